//! Embeds against a local oEmbed provider stub (no network): the answer fetched when
//! the article is saved and stored with it, the thumbnail copied into the media
//! library, the consent placeholder (no player, nothing from the provider in the
//! page, the CSP framing only the configured provider), a card for a provider whose
//! player needs its script, a dead provider, and reading pages that never calls the
//! provider. The browser half (nothing requested before the click, the player after
//! it under the CSP) is in the CLI suite, `e2e_embeds.rs`.

use crate::api::{call, token_for};
use crate::app::{Options, TestApp};
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use kiosque_domain::embed::{EmbedStyle, Provider, Providers};
use kiosque_domain::staff::Role;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What the stub was asked, in order, and whether it is up.
#[derive(Clone, Default)]
struct Stub {
    log: Arc<Mutex<Vec<String>>>,
    title: Arc<Mutex<String>>,
    origin: Arc<Mutex<String>>,
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, _| image::Rgb([(x % 250) as u8, 30, 60]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn oembed(
    State(stub): State<Stub>,
    Query(q): Query<HashMap<String, String>>,
) -> axum::response::Response {
    let url = q.get("url").cloned().unwrap_or_default();
    stub.log.lock().unwrap().push(format!("oembed {url}"));
    let origin = stub.origin.lock().unwrap().clone();
    let title = stub.title.lock().unwrap().clone();
    if url.contains("/watch/") {
        axum::Json(json!({
            "version": "1.0", "type": "video", "provider_name": "Stub",
            "title": title, "author_name": "Rédaction Stub",
            "author_url": format!("{origin}/chaine"),
            "width": 640, "height": 360,
            "html": format!(r#"<iframe width="640" height="360" src="{origin}/player/1?autoplay=0&amp;x=1" frameborder="0" allowfullscreen></iframe>"#),
            "thumbnail_url": format!("{origin}/thumb.png"),
            "thumbnail_width": 640, "thumbnail_height": 360,
        }))
        .into_response()
    } else if url.contains("/escape/") {
        // A player on someone else's origin: never framed.
        axum::Json(json!({
            "version": "1.0", "type": "video", "title": "Ailleurs",
            "html": r#"<iframe src="https://evil.example/player"></iframe>"#,
            "thumbnail_url": "http://127.0.0.2:9/secret.png",
        }))
        .into_response()
    } else if url.contains("/status/") {
        axum::Json(json!({
            "version": "1.0", "type": "rich", "author_name": "Préfecture de Lorvennes",
            "author_url": "https://social.example/prefecture",
            "html": "<blockquote class=\"social-post\"><p lang=\"fr\">Route <b>coupée</b> entre Lorvennes et Saint-Aubin <script>alert(1)</script><a href=\"https://t.example/1\">pic.example/1</a></p>&mdash; Préfecture (@pref) <a href=\"https://social.example/prefecture/status/9\">3 décembre 2026</a></blockquote><script src=\"https://social.example/widgets.js\"></script>",
        }))
        .into_response()
    } else {
        (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "down").into_response()
    }
}

async fn thumb(State(stub): State<Stub>) -> axum::response::Response {
    stub.log.lock().unwrap().push("thumb".into());
    ([("content-type", "image/png")], png(640, 360)).into_response()
}

/// A provider stub on a free loopback port; its origin.
async fn start_stub(stub: Stub) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    *stub.origin.lock().unwrap() = origin.clone();
    let router = axum::Router::new()
        .route("/oembed", axum::routing::get(oembed))
        .route("/thumb.png", axum::routing::get(thumb))
        .with_state(stub);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    origin
}

fn settings(origin: &str) -> kiosque_app::embeds::EmbedSettings {
    let provider = |name: &str, schemes: Vec<String>, style| Provider {
        name: name.into(),
        schemes,
        endpoint: format!("{origin}/oembed"),
        style,
        frame_origins: vec![origin.to_owned()],
        image_origins: Vec::new(),
    };
    kiosque_app::embeds::EmbedSettings {
        providers: Providers::new(
            vec![
                provider(
                    "Stub Vidéo",
                    vec![
                        format!("{origin}/watch/*"),
                        format!("{origin}/escape/*"),
                        format!("{origin}/dead/*"),
                    ],
                    EmbedStyle::Frame,
                ),
                provider(
                    "Stub Social",
                    vec![format!("{origin}/*/status/*")],
                    EmbedStyle::Card,
                ),
            ],
            &[],
        ),
        timeout: std::time::Duration::from_secs(3),
        max_bytes: 64 * 1024,
    }
}

#[tokio::test]
async fn embeds_are_fetched_at_save_and_shown_behind_consent() {
    let stub = Stub::default();
    *stub.title.lock().unwrap() = "Crue de la Loire : les images".into();
    let origin = start_stub(stub.clone()).await;
    let app = TestApp::with(Options {
        embeds: settings(&origin),
        ..Options::default()
    })
    .await;
    let token = token_for(&app, "chef@example.org", Role::Editor).await;
    let body = format!(
        "La crue vue du ciel.\n\n{origin}/watch/42\n\nLa préfecture a réagi :\n\n{origin}/pref/status/9\n\n{origin}/dead/1\n\n{origin}/escape/2\n\nUn lien dans une phrase {origin}/watch/7 reste un lien.\n"
    );
    let (created, json) = call(
        &app,
        "POST",
        "/api/v1/articles",
        &token,
        Some(json!({"headline": "La Loire déborde à Lorvennes", "section": "france", "body_markdown": body})),
        None,
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = json["id"].as_i64().unwrap();

    // Fetched at save: each embed asked once, the thumbnail copied; the inline link
    // was not asked.
    let asked = stub.log.lock().unwrap().clone();
    assert!(
        asked.contains(&format!("oembed {origin}/watch/42")),
        "{asked:?}"
    );
    assert!(
        asked.contains(&format!("oembed {origin}/pref/status/9")),
        "{asked:?}"
    );
    assert!(
        asked.contains(&format!("oembed {origin}/dead/1")),
        "{asked:?}"
    );
    assert!(!asked.iter().any(|a| a.contains("/watch/7")), "{asked:?}");
    assert_eq!(
        asked.iter().filter(|a| *a == "thumb").count(),
        1,
        "{asked:?}"
    );

    let (listed, embeds) = call(
        &app,
        "GET",
        &format!("/api/v1/articles/{id}/embeds"),
        &token,
        None,
        None,
    )
    .await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let by_url = |suffix: &str| {
        embeds["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["url"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix} in {embeds}"))
            .clone()
    };
    let video = by_url("/watch/42");
    assert_eq!(video["style"], "frame");
    assert_eq!(
        video["frame_src"],
        format!("{origin}/player/1?autoplay=0&x=1")
    );
    assert_eq!(video["title"], "Crue de la Loire : les images");
    let thumbnail = video["thumbnail_url"].as_str().unwrap();
    assert!(thumbnail.contains("/media/"), "{thumbnail}");
    let social = by_url("/status/9");
    assert_eq!(social["style"], "card");
    assert_eq!(social["card_date"], "3 décembre 2026");
    assert!(!social["card_text"].as_str().unwrap().contains('<'));
    let dead = by_url("/dead/1");
    assert!(dead["error"].as_str().unwrap().contains("500"), "{dead}");
    // A player on another origin is not framed, and a thumbnail elsewhere is not
    // fetched: the embed falls back to a card.
    let escape = by_url("/escape/2");
    assert_eq!(escape["frame_src"], serde_json::Value::Null);
    assert_eq!(escape["thumbnail_url"], serde_json::Value::Null);

    let (published, json) = call(
        &app,
        "POST",
        &format!("/api/v1/articles/{id}/publish"),
        &token,
        None,
        None,
    )
    .await;
    assert_eq!(published.status, 200, "{}", published.body);
    let path = &path_of(&json["url"]);

    let before = stub.log.lock().unwrap().len();
    let page = app.get(path).await;
    assert_eq!(page.status, 200);
    // The placeholder: Kiosque's copy of the thumbnail, the title, the provider, the
    // consent button and a link to the original; no player, no provider address
    // anywhere a browser would load it.
    let html = &page.body;
    assert!(html.contains("Afficher le contenu (Stub Vidéo)"), "{html}");
    assert!(html.contains(&format!(
        "data-embed-src=\"{origin}/player/1?autoplay=0&amp;x=1\""
    )));
    assert!(html.contains(&format!("href=\"{origin}/watch/42\"")));
    assert!(html.contains("Crue de la Loire : les images"));
    assert!(!html.contains("<iframe"), "no player before the click");
    for attribute in [" src=\"", " srcset=\""] {
        for (at, _) in html.match_indices(attribute) {
            let value = &html[at + attribute.len()..];
            assert!(
                !value.starts_with(&origin),
                "nothing loads from the provider: {}",
                &value[..60.min(value.len())]
            );
        }
    }
    assert!(html.contains("/static/embeds.js?v="));
    // The card: text (its markup and script gone), author, date, link.
    assert!(html.contains("Route coupée entre Lorvennes et Saint-Aubin"));
    assert!(!html.contains("alert(1)") && !html.contains("widgets.js"));
    assert!(html.contains("Préfecture de Lorvennes"));
    // The dead provider: a link to the original.
    assert!(
        html.contains(&format!(
            "<a href=\"{origin}/dead/1\">Voir sur Stub Vidéo</a>"
        )),
        "{html}"
    );
    // The link in a sentence stays a link in its sentence.
    assert!(html.contains(&format!("phrase <a href=\"{origin}/watch/7\"")));
    let csp = page.header("content-security-policy");
    assert!(csp.contains(&format!("frame-src {origin}")), "{csp}");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("evil.example"));
    // Feeds carry the cards, never a player, with absolute addresses.
    let feed = app.get("/rss.xml").await;
    assert_eq!(feed.status, 200);
    assert!(
        feed.body.contains("Crue de la Loire : les images"),
        "{}",
        feed.body
    );
    assert!(!feed.body.contains("iframe") && !feed.body.contains("data-embed-src"));
    assert!(
        feed.body.contains("src=&quot;http://"),
        "thumbnails with absolute addresses"
    );
    assert!(
        feed.body
            .contains("Route coupée entre Lorvennes et Saint-Aubin")
    );
    assert_eq!(
        stub.log.lock().unwrap().len(),
        before,
        "reading a page never asks the provider"
    );

    // Refreshed on demand: the new title shows; the provider that is still down
    // keeps what was stored.
    *stub.title.lock().unwrap() = "Crue de la Loire : les images du drone".into();
    let (refreshed, json) = call(
        &app,
        "POST",
        &format!("/api/v1/articles/{id}/embeds/refresh"),
        &token,
        None,
        None,
    )
    .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.body);
    assert!(json.to_string().contains("les images du drone"));
    let refreshed_video = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["url"].as_str().unwrap().ends_with("/watch/42"))
        .unwrap()
        .clone();
    assert_eq!(
        refreshed_video["thumbnail_url"], video["thumbnail_url"],
        "the same thumbnail address reuses the library's copy"
    );
    assert_eq!(
        stub.log
            .lock()
            .unwrap()
            .iter()
            .filter(|a| *a == "thumb")
            .count(),
        1,
        "and is not fetched again"
    );
    let page = app.get(path).await;
    assert!(page.body.contains("les images du drone"));

    // The editor lists the embeds with their state and asks again on request.
    let desk = crate::admin::Browser::login(&app, "redac@example.org", Role::Editor).await;
    let editor = desk.get(&format!("/admin/articles/{id}")).await;
    assert_eq!(editor.status, 200);
    assert!(editor.body.contains("Contenus intégrés"), "{}", editor.body);
    assert!(editor.body.contains("les images du drone"));
    assert!(
        editor.body.contains("answered 500"),
        "the dead provider's failure is shown"
    );
    let asked = stub.log.lock().unwrap().len();
    let refreshed = desk
        .post_form(&format!("/admin/articles/{id}/embeds"), &[])
        .await;
    assert_eq!(refreshed.status, axum::http::StatusCode::SEE_OTHER);
    assert!(
        stub.log.lock().unwrap().len() > asked,
        "the providers were asked again"
    );

    // A journalist who did not write the article may not make Kiosque ask.
    let other = token_for(&app, "pigiste@example.org", Role::Journalist).await;
    let (refused, _) = call(
        &app,
        "POST",
        &format!("/api/v1/articles/{id}/embeds/refresh"),
        &other,
        None,
        None,
    )
    .await;
    assert_eq!(refused.status, 403);
    app.cleanup().await;
}

/// Players seek with range requests: the part asked for, with `206` and its
/// `Content-Range`; a range past the end is 416; no range, the whole file.
#[tokio::test]
async fn media_files_answer_range_requests() {
    let app = TestApp::new().await;
    let library =
        kiosque_media::MediaLibrary::new(app.state.blobs.clone(), app.stores.media.clone());
    let media = library
        .add_image(
            png(800, 450),
            kiosque_media::ImageMeta {
                name: "quai".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let path = media.url();
    let whole = app.get(&path).await;
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("accept-ranges"), "bytes");
    let len = whole.bytes.len();
    assert_eq!(len as u64, media.byte_size);
    let ranged = |range: &'static str| {
        let request = axum::http::Request::builder()
            .uri(path.clone())
            .header("range", range)
            .body(axum::body::Body::empty())
            .unwrap();
        app.request(request)
    };
    let part = ranged("bytes=100-199").await;
    assert_eq!(part.status, 206);
    assert_eq!(part.header("content-range"), format!("bytes 100-199/{len}"));
    assert_eq!(part.bytes, whole.bytes[100..200]);
    let tail = ranged("bytes=-10").await;
    assert_eq!(tail.status, 206);
    assert_eq!(tail.bytes, whole.bytes[len - 10..]);
    let open = ranged("bytes=50-").await;
    assert_eq!(open.bytes, whole.bytes[50..]);
    let beyond = ranged("bytes=999999999-").await;
    assert_eq!(beyond.status, 416);
    assert_eq!(beyond.header("content-range"), format!("bytes */{len}"));
    app.cleanup().await;
}

/// Cards use the 16:9 crop cut around the focal point; moving the focal point cuts
/// new crops under new keys and purges the pages that show them. A lead at least
/// 1,200 px wide lets search engines show it large.
#[tokio::test]
async fn focal_points_make_real_crops_and_purge_the_pages() {
    let app = TestApp::with(Options {
        page_cache: kiosque_web::PageCache::new(std::time::Duration::from_secs(600), 100),
        ..Options::default()
    })
    .await;
    let reference = &app.fixture.reference;
    let media = reference.lead_image.as_ref().unwrap().media.clone();
    let crop_key = |m: &kiosque_domain::media::Media| {
        m.renditions
            .iter()
            .find(|r| r.name == "crop-16x9-480")
            .unwrap()
            .storage_key
            .clone()
    };
    let stored = app.stores.media.media(media.id).await.unwrap();
    let before = crop_key(&stored);
    let home = app.get("/").await;
    assert!(
        home.body.contains(&before),
        "the home page's card shows the 16:9 crop"
    );

    let article = app.get(&reference.canonical_path()).await;
    assert!(
        article
            .body
            .contains(r#"<meta name="robots" content="max-image-preview:large">"#)
    );

    let editor = kiosque_app::Actor::new(
        kiosque_domain::User {
            id: kiosque_domain::UserId(1),
            email: "chef@example.org".into(),
            name: "Chef".into(),
            role: kiosque_domain::Role::Editor,
            active: true,
            created_at: crate::app::now(),
        },
        kiosque_app::Entrance::BackOffice,
    );
    kiosque_app::media::update_details(
        &app.state.app,
        &editor,
        media.id,
        &kiosque_domain::media::MediaDetails {
            alt: stored.alt.clone(),
            credit: stored.credit.clone(),
            copyright: stored.copyright.clone(),
            focal: kiosque_domain::media::FocalPoint::new(0.95, 0.1),
        },
    )
    .await
    .unwrap();
    let moved = app.stores.media.media(media.id).await.unwrap();
    let after = crop_key(&moved);
    assert_ne!(after, before, "new crops get new keys");
    assert_eq!(
        moved.renditions.iter().filter(|r| r.is_crop()).count(),
        stored.renditions.iter().filter(|r| r.is_crop()).count(),
        "the old crops were replaced, not added to"
    );
    // The square crop of this 16:9 picture is really cut further right: its pixels
    // differ from the centred one's (the 16:9 crop is the whole picture either way).
    let square = |m: &kiosque_domain::media::Media| {
        m.renditions
            .iter()
            .find(|r| r.name == "crop-1x1-480")
            .unwrap()
            .storage_key
            .clone()
    };
    let old_bytes = app
        .state
        .blobs
        .get(&square(&stored))
        .await
        .unwrap()
        .unwrap()
        .bytes;
    let new_bytes = app
        .state
        .blobs
        .get(&square(&moved))
        .await
        .unwrap()
        .unwrap()
        .bytes;
    let (old_img, new_img) = (
        image::load_from_memory(&old_bytes).unwrap().to_rgb8(),
        image::load_from_memory(&new_bytes).unwrap().to_rgb8(),
    );
    assert_eq!(old_img.dimensions(), new_img.dimensions());
    assert!(
        old_img != new_img,
        "the square crop moved with the focal point"
    );
    let home = app.get("/").await;
    assert!(
        home.body.contains(&after),
        "the cached home page was purged"
    );
    assert!(!home.body.contains(&before));
    app.cleanup().await;
}

/// Library pictures in a body get their renditions (`srcset`, `sizes`, WebP),
/// width and height, caption and credit; pictures in a row make a gallery: a list
/// of figures without script, `gallery.js` for the carousel, `ImageGallery` in
/// the JSON-LD.
#[tokio::test]
async fn body_pictures_get_renditions_and_rows_of_pictures_make_a_gallery() {
    let app = TestApp::new().await;
    let token = token_for(&app, "chef@example.org", Role::Editor).await;
    let library =
        kiosque_media::MediaLibrary::new(app.state.blobs.clone(), app.stores.media.clone());
    let mut urls = Vec::new();
    for (i, name) in ["digue", "quai", "pont", "place"].iter().enumerate() {
        let media = library
            .add_image(
                png(1600, 900 + i as u32 * 10),
                kiosque_media::ImageMeta {
                    name: (*name).into(),
                    credit: format!("PHOTOGRAPHE {i} / KIOSQUE"),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        urls.push((media.url(), media.width, media.height));
    }
    let body = format!(
        "La digue a tenu.\n\n![La digue au matin]({} \"La digue, mardi matin\")\n\nLes images de la journée :\n\n![Le quai]({} \"Le quai inondé\")\n![Le pont]({})\n![La place]({} \"La place & la mairie\")\n\nFin.\n",
        urls[0].0, urls[1].0, urls[2].0, urls[3].0
    );
    let (created, json) = call(
        &app,
        "POST",
        "/api/v1/articles",
        &token,
        Some(json!({"headline": "La digue de Lorvennes a tenu", "section": "france", "body_markdown": body})),
        None,
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = json["id"].as_i64().unwrap();
    let (published, json) = call(
        &app,
        "POST",
        &format!("/api/v1/articles/{id}/publish"),
        &token,
        None,
        None,
    )
    .await;
    assert_eq!(published.status, 200, "{}", published.body);
    let page = app.get(&path_of(&json["url"])).await;
    assert_eq!(page.status, 200);
    let html = &page.body;

    // The single picture: renditions in both types, its size, caption and credit.
    assert!(
        html.contains(&format!(
            "width=\"{}\" height=\"{}\" alt=\"La digue au matin\" loading=\"lazy\"",
            urls[0].1, urls[0].2
        )),
        "{html}"
    );
    assert!(html.contains("<source type=\"image/webp\" srcset=\""));
    assert!(html.contains("-medium.jpg 960w"));
    assert!(
        html.contains(
            "La digue, mardi matin <span class=\"credit\">(PHOTOGRAPHE 0 / KIOSQUE)</span>"
        )
    );

    // The three in a row: one gallery of three figures, in order, each with its
    // caption (or its credit alone) — readable as a list without script.
    let start = html.find("<section class=\"gallery\"").expect("a gallery");
    let gallery = &html[start..start + html[start..].find("</section>").unwrap()];
    // The single picture stands before the gallery, alone, not in it.
    assert!(html.find("alt=\"La digue au matin\"").unwrap() < start);
    assert!(!gallery.contains("La digue"));
    assert!(
        gallery.contains("aria-label=\"Galerie : 3 photos\""),
        "{gallery}"
    );
    assert_eq!(gallery.matches("<li class=\"gallery__item\"").count(), 3);
    let (quai, pont, place) = (
        gallery.find("Le quai inondé").unwrap(),
        gallery.find("alt=\"Le pont\"").unwrap(),
        gallery.find("La place &amp; la mairie").unwrap(),
    );
    assert!(quai < pont && pont < place);
    assert!(gallery.contains(
        "<figcaption><span class=\"credit\">(PHOTOGRAPHE 2 / KIOSQUE)</span></figcaption>"
    ));
    assert!(html.contains("/static/gallery.js?v="));

    // JSON-LD: the gallery as a part of the article.
    let ld = json_ld(html);
    let part = &ld["hasPart"][0];
    assert_eq!(part["@type"], "ImageGallery", "{ld}");
    let images = part["associatedMedia"].as_array().unwrap();
    assert_eq!(images.len(), 3);
    assert!(
        images[0]["contentUrl"]
            .as_str()
            .unwrap()
            .ends_with(&urls[1].0)
    );
    assert_eq!(images[0]["caption"], "Le quai inondé");
    assert_eq!(images[2]["caption"], "La place & la mairie");
    assert_eq!(images[1]["creditText"], "PHOTOGRAPHE 2 / KIOSQUE");
    app.cleanup().await;
}

/// The path of an absolute URL the API answered.
fn path_of(url: &serde_json::Value) -> String {
    let url = url.as_str().unwrap().split_once("://").unwrap().1;
    url[url.find('/').unwrap()..].to_owned()
}

/// The page's JSON-LD document (the article's).
fn json_ld(html: &str) -> serde_json::Value {
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open).unwrap() + open.len();
    serde_json::from_str(&html[start..start + html[start..].find("</script>").unwrap()]).unwrap()
}

/// A file made by Debian's ffmpeg, or `None` when it is missing (an error when
/// `KIOSQUE_REQUIRE_FFMPEG` is set, as in CI).
fn ffmpeg(dir: &std::path::Path, name: &str, args: &[&str]) -> Option<Vec<u8>> {
    let out = dir.join(name);
    let made = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-y"])
        .args(args)
        .arg(&out)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        assert!(
            std::env::var_os("KIOSQUE_REQUIRE_FFMPEG").is_none(),
            "KIOSQUE_REQUIRE_FFMPEG is set but ffmpeg cannot make {name}"
        );
        return None;
    }
    Some(std::fs::read(out).unwrap())
}

async fn upload(
    app: &TestApp,
    token: &str,
    mime: &str,
    bytes: Vec<u8>,
) -> (crate::app::TestResponse, serde_json::Value) {
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/media")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", mime)
        .header("x-filename", "crue")
        .body(axum::body::Body::from(bytes))
        .unwrap();
    let response = app.request(request).await;
    let json = serde_json::from_str(&response.body).unwrap_or_default();
    (response, json)
}

/// Videos and sounds: uploaded raw (streamed to disk, type and duration read from the
/// bytes), a poster and WebVTT captions, played from a line of the body with
/// `preload="none"`, described as VideoObject and AudioObject, sought with ranges.
#[tokio::test]
async fn videos_and_sounds_are_uploaded_played_and_described() {
    let dir = tempfile::tempdir().unwrap();
    let Some(mp4) = ffmpeg(
        dir.path(),
        "crue.mp4",
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=3:size=320x180:rate=25",
            "-pix_fmt",
            "yuv420p",
        ],
    ) else {
        return;
    };
    let Some(mp3) = ffmpeg(
        dir.path(),
        "crue.mp3",
        &["-f", "lavfi", "-i", "sine=frequency=440:duration=4"],
    ) else {
        return;
    };
    let app = TestApp::new().await;
    let token = token_for(&app, "chef@example.org", Role::Editor).await;

    let (made, video) = upload(&app, &token, "video/mp4", mp4.clone()).await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(
        (video["kind"].as_str(), video["mime"].as_str()),
        (Some("video"), Some("video/mp4"))
    );
    assert_eq!(
        (video["width"].as_u64(), video["height"].as_u64()),
        (Some(320), Some(180))
    );
    assert!(
        video["duration_ms"].as_u64().unwrap().abs_diff(3000) < 150,
        "{video}"
    );
    // A sound declared as something else is still what its bytes say.
    let (made, sound) = upload(&app, &token, "audio/ogg", mp3).await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(sound["mime"], "audio/mpeg");
    assert!(
        sound["duration_ms"].as_u64().unwrap().abs_diff(4000) < 150,
        "{sound}"
    );
    // Not a video, whatever it claims.
    let (refused, _) = upload(
        &app,
        &token,
        "video/mp4",
        b"<html>pas une video</html>".to_vec(),
    )
    .await;
    assert_eq!(refused.status, 415, "{}", refused.body);

    let video_id = video["id"].as_i64().unwrap();
    let poster = app
        .fixture
        .reference
        .lead_image
        .as_ref()
        .unwrap()
        .media
        .id
        .0;
    let (set, _) = call(
        &app,
        "PUT",
        &format!("/api/v1/media/{video_id}/poster"),
        &token,
        Some(json!({"media_id": poster})),
        None,
    )
    .await;
    assert_eq!(set.status, 204, "{}", set.body);
    let captions = |body: &'static str| {
        axum::http::Request::builder()
            .method("PUT")
            .uri(format!("/api/v1/media/{video_id}/captions?lang=fr"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "text/vtt")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    assert_eq!(
        app.request(captions("pas des sous-titres")).await.status,
        422
    );
    assert_eq!(
        app.request(captions(
            "WEBVTT\n\n00:00.000 --> 00:02.000\nLa crue vue du ciel\n"
        ))
        .await
        .status,
        204
    );

    let (video_path, sound_path) = (path_of(&video["url"]), path_of(&sound["url"]));
    let body = format!(
        "Les images du drone.\n\n{video_path}\n\nLe reportage de notre envoyée spéciale :\n\n{sound_path}\n"
    );
    let (created, json) = call(&app, "POST", "/api/v1/articles", &token, Some(json!({"headline": "La crue en images et en son", "standfirst": "Vidéo et reportage.", "section": "france", "body_markdown": body})), None).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = json["id"].as_i64().unwrap();
    let (published, json) = call(
        &app,
        "POST",
        &format!("/api/v1/articles/{id}/publish"),
        &token,
        None,
        None,
    )
    .await;
    assert_eq!(published.status, 200, "{}", published.body);
    let page = app.get(&path_of(&json["url"])).await;
    let html = &page.body;
    assert!(
        html.contains(
            "<video controls preload=\"none\" width=\"320\" height=\"180\" poster=\"/media/"
        ),
        "{html}"
    );
    assert!(html.contains(&format!("<source src=\"{video_path}\" type=\"video/mp4\">")));
    assert!(
        html.contains("<track kind=\"captions\" src=\"/media/") && html.contains("srclang=\"fr\"")
    );
    assert!(html.contains(&format!(
        "<audio controls preload=\"none\"><source src=\"{sound_path}\" type=\"audio/mpeg\">"
    )));
    assert!(
        page.header("content-security-policy")
            .contains("media-src 'self'")
    );
    let ld = json_ld(html);
    let media = ld["associatedMedia"].as_array().unwrap();
    assert_eq!(media[0]["@type"], "VideoObject", "{ld}");
    assert_eq!(media[0]["duration"], "PT3S");
    assert!(
        media[0]["thumbnailUrl"]
            .as_str()
            .unwrap()
            .starts_with("http")
    );
    assert!(
        media[0]["contentUrl"]
            .as_str()
            .unwrap()
            .ends_with(&video_path)
    );
    assert_eq!(media[1]["@type"], "AudioObject");
    assert_eq!(media[1]["duration"], "PT4S");

    // Seeking: a range of the stored video is those bytes.
    let request = axum::http::Request::builder()
        .uri(&video_path)
        .header("range", "bytes=1000-1999")
        .body(axum::body::Body::empty())
        .unwrap();
    let part = app.request(request).await;
    assert_eq!(part.status, 206);
    assert_eq!(part.bytes, mp4[1000..2000]);
    assert_eq!(part.header("content-type"), "video/mp4");
    let track_start = html.find("<track kind=\"captions\" src=\"").unwrap()
        + "<track kind=\"captions\" src=\"".len();
    let vtt_path = &html[track_start..track_start + html[track_start..].find('"').unwrap()];
    let vtt = app.get(vtt_path).await;
    assert!(vtt.header("content-type").starts_with("text/vtt"));
    assert!(vtt.body.contains("La crue vue du ciel"));
    app.cleanup().await;
}
