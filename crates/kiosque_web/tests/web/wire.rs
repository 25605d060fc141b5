//! The wire: HTTP push, the desk, articles from dispatches, routing rules, watch folders.

use crate::admin::Browser;
use crate::api::token_for;
use crate::app::{Options, TestApp, TestResponse};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use kiosque_app::wire::{FileOutcome, RouteAction, RoutingRule, WatchFolder};
use kiosque_domain::ArticleStatus;
use kiosque_domain::staff::Role;
use kiosque_domain::wire::WireId;
use serde_json::Value;

/// An original NewsML-G2 text item.
pub(crate) fn g2(
    guid: &str,
    version: i64,
    headline: &str,
    status: &str,
    urgency: u8,
    embargo: Option<&str>,
) -> String {
    let embargo = embargo
        .map(|e| format!("<embargoed>{e}</embargoed>"))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{guid}" version="{version}" standard="NewsML-G2" standardversion="2.35" xml:lang="fr">
  <rightsInfo><copyrightHolder literal="AFP"/><copyrightNotice>© AFP 2026</copyrightNotice></rightsInfo>
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider literal="AFP"/>
    <versionCreated>2026-11-27T11:0{version}:00+01:00</versionCreated>
    <pubStatus qcode="stat:{status}"/>
    {embargo}
  </itemMeta>
  <contentMeta>
    <urgency>{urgency}</urgency>
    <language tag="fr"/>
    <subject qcode="medtop:06000000"><name>environnement</name></subject>
    <headline>{headline}</headline>
    <description role="drol:summary">Le chapeau de la dépêche.</description>
  </contentMeta>
  <contentSet>
    <inlineXML contenttype="application/xhtml+xml">
      <html xmlns="http://www.w3.org/1999/xhtml"><head><title>{headline}</title></head>
      <body><p>Premier paragraphe de la version {version}.</p><h2>Les secours</h2><p>Les équipes sont sur place.</p></body></html>
    </inlineXML>
  </contentSet>
</newsItem>"#
    )
}

pub(crate) async fn push(
    app: &TestApp,
    token: &str,
    content_type: &str,
    body: &str,
) -> (TestResponse, Value) {
    let request = Request::builder()
        .method("POST")
        .uri("/api/v1/wire")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(Body::from(body.to_owned()))
        .unwrap();
    let response = app.request(request).await;
    let json = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    (response, json)
}

#[tokio::test]
async fn dispatches_are_pushed_idempotently_and_versioned() {
    let app = TestApp::new().await;
    let token = token_for(&app, "robot@example.org", Role::Editor).await;
    let v1 = g2(
        "urn:afp:seisme",
        1,
        "Séisme au large du Japon",
        "usable",
        4,
        None,
    );
    let (response, body) = push(&app, &token, "application/xml", &v1).await;
    assert_eq!(response.status, StatusCode::ACCEPTED, "{}", response.body);
    assert_eq!(body["items"][0]["outcome"], "created");
    let id = body["items"][0]["id"].as_i64().unwrap();
    let (again, body) = push(&app, &token, "application/xml", &v1).await;
    assert_eq!(again.status, StatusCode::ACCEPTED);
    assert_eq!(body["items"][0]["outcome"], "duplicate");
    assert_eq!(body["items"][0]["id"], id);
    let v2 = g2(
        "urn:afp:seisme",
        2,
        "Séisme au large du Japon : alerte au tsunami",
        "usable",
        2,
        None,
    );
    let (_, body) = push(
        &app,
        &token,
        "application/vnd.iptc.g2.newsitem+xml; charset=utf-8",
        &v2,
    )
    .await;
    assert_eq!(body["items"][0]["outcome"], "updated");
    let entry = app.stores.wire.wire_item(WireId(id)).await.unwrap();
    assert_eq!((entry.version, entry.urgency), (2, Some(2)));
    assert_eq!(entry.provider.as_deref(), Some("AFP"));

    // ninjs as JSON.
    let ninjs = r#"{"uri": "urn:reuters:1", "version": "1", "type": "text", "language": "en", "headline": "Markets open higher", "body_text": "Stocks rose.\n\nBonds fell.", "copyrightholder": "Reuters"}"#;
    let (response, body) = push(&app, &token, "application/json", ninjs).await;
    assert_eq!(response.status, StatusCode::ACCEPTED, "{}", response.body);
    assert_eq!(body["items"][0]["guid"], "urn:reuters:1");

    // Bad input: a clear problem document, nothing stored.
    let (response, problem) = push(&app, &token, "application/json", &v1).await;
    assert_eq!(response.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("body is newsml-g2")
    );
    let (response, _) = push(&app, &token, "text/plain", "hello").await;
    assert_eq!(response.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (response, problem) = push(
        &app,
        &token,
        "application/json",
        r#"{"headline": "no uri"}"#,
    )
    .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("`uri` is required")
    );
    let (response, problem) = push(
        &app,
        &token,
        "application/xml",
        "<newsItem guid='x'><unclosed></newsItem>",
    )
    .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("malformed XML")
    );
    let journalist = token_for(&app, "pigiste@example.org", Role::Journalist).await;
    assert_eq!(
        push(&app, &journalist, "application/xml", &v1)
            .await
            .0
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        push(&app, "kq_nope", "application/xml", &v1).await.0.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_desk_turns_a_dispatch_into_a_draft_and_flags_newer_versions() {
    let app = TestApp::new().await;
    let token = token_for(&app, "robot@example.org", Role::Editor).await;
    let (_, body) = push(
        &app,
        &token,
        "application/xml",
        &g2("urn:afp:crue", 1, "Crue de la Loire", "usable", 2, None),
    )
    .await;
    let id = body["items"][0]["id"].as_i64().unwrap();
    push(
        &app,
        &token,
        "application/xml",
        &g2(
            "urn:afp:calme",
            1,
            "Marché calme à Paris",
            "usable",
            5,
            None,
        ),
    )
    .await;

    let julie = Browser::login(&app, "julie@example.org", Role::Journalist).await;
    let desk = julie.get("/admin/wire").await;
    assert_eq!(desk.status, StatusCode::OK);
    assert!(desk.body.contains("Crue de la Loire") && desk.body.contains("Marché calme à Paris"));
    assert!(
        desk.body.contains(r#"<tr class="wire-urgent">"#),
        "urgent items stand out"
    );
    let urgent = julie.get("/admin/wire?urgent=1").await.body;
    assert!(urgent.contains("Crue de la Loire") && !urgent.contains("Marché calme"));
    let search = julie.get("/admin/wire?q=march%C3%A9").await.body;
    assert!(!search.contains("Crue de la Loire") && search.contains("Marché calme"));

    let item = julie.get(&format!("/admin/wire/{id}")).await;
    assert_eq!(item.status, StatusCode::OK);
    assert!(
        item.body.contains("<h2>Les secours</h2>"),
        "the body, rendered"
    );
    assert!(item.body.contains("© AFP 2026"));

    let monde = app.fixture.reference.section.id;
    let created = julie
        .post_form(
            &format!("/admin/wire/{id}/article"),
            &[("section", &monde.to_string())],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let location = created.header("location").to_owned();
    let article_id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    let article = app
        .stores
        .articles
        .article(kiosque_domain::ArticleId(article_id))
        .await
        .unwrap();
    assert_eq!(article.status, ArticleStatus::Draft);
    assert_eq!(article.headline, "Crue de la Loire");
    assert_eq!(article.standfirst, "Le chapeau de la dépêche.");
    assert!(
        article
            .body_markdown
            .starts_with("Premier paragraphe de la version 1.")
    );
    assert!(article.body_markdown.contains("## Les secours"));
    assert_eq!(
        article
            .agencies
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        ["AFP"]
    );
    assert!(article.tags.iter().any(|t| t.name == "environnement"));
    // A second click opens the same article.
    let again = julie
        .post_form(
            &format!("/admin/wire/{id}/article"),
            &[("section", &monde.to_string())],
        )
        .await;
    assert_eq!(again.header("location"), location);

    // The journalist edits; the agency sends version 2: the draft is not touched, and
    // both the editor and the desk say a newer version exists, with the diff.
    push(
        &app,
        &token,
        "application/xml",
        &g2(
            "urn:afp:crue",
            2,
            "Crue de la Loire : évacuations",
            "usable",
            2,
            None,
        ),
    )
    .await;
    let after = app.stores.articles.article(article.id).await.unwrap();
    assert_eq!(after.version, article.version);
    assert_eq!(after.headline, "Crue de la Loire");
    let editor = julie.get(&location).await.body;
    assert!(editor.contains("version 2"), "{editor}");
    assert!(editor.contains(&format!(r#"href="/admin/wire/{id}""#)));
    let item = julie.get(&format!("/admin/wire/{id}")).await.body;
    assert!(
        item.contains(r#"<span class="diff-del">- Crue de la Loire</span>"#),
        "{item}"
    );
    assert!(item.contains(r#"<span class="diff-ins">+ Crue de la Loire : évacuations</span>"#));
}

#[tokio::test]
async fn routing_rules_publish_update_and_kill() {
    let app = TestApp::with(Options {
        wire_rules: vec![RoutingRule {
            agency: Some("afp".into()),
            urgency_max: Some(2),
            section: Some("monde/europe".into()),
            tags: vec!["Alerte".into()],
            action: RouteAction::Publish,
            ..RoutingRule::default()
        }],
        ..Options::default()
    })
    .await;
    let token = token_for(&app, "robot@example.org", Role::Editor).await;
    // A partner's endpoint: routing's publications reach it as the newsroom's do.
    let admin = token_for(&app, "admin@example.org", Role::Admin).await;
    let (r, hook) = crate::api::call(
        &app,
        "POST",
        "/api/v1/webhooks",
        &admin,
        Some(serde_json::json!({"url": "http://127.0.0.1:9/hook", "events": ["article.published", "article.updated", "article.unpublished"]})),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let hook = hook["id"].as_i64().unwrap();
    let (_, body) = push(
        &app,
        &token,
        "application/xml",
        &g2(
            "urn:afp:flash",
            1,
            "Explosion dans un port",
            "usable",
            1,
            None,
        ),
    )
    .await;
    let actions = body["items"][0]["actions"][0].as_str().unwrap();
    assert!(actions.starts_with("published as article"), "{body}");
    let entry = app
        .stores
        .wire
        .wire_item(WireId(body["items"][0]["id"].as_i64().unwrap()))
        .await
        .unwrap();
    let article_id = entry.article_id.unwrap();
    assert!(entry.auto_published);
    let article = app.stores.articles.article(article_id).await.unwrap();
    assert_eq!(article.status, ArticleStatus::Published);
    assert_eq!(article.section.path, "monde/europe");
    assert!(article.tags.iter().any(|t| t.name == "Alerte"));
    let page = app.get(&article.canonical_path()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(r#"<p class="byline">Article rédigé par AFP</p>"#),
        "credited to the agency"
    );

    // A newer version updates the article and its public "updated" time.
    push(
        &app,
        &token,
        "application/xml",
        &g2(
            "urn:afp:flash",
            2,
            "Explosion dans un port : deux blessés",
            "usable",
            1,
            None,
        ),
    )
    .await;
    let updated = app.stores.articles.article(article_id).await.unwrap();
    assert_eq!(updated.headline, "Explosion dans un port : deux blessés");
    assert!(updated.updated_at.is_some());
    assert_eq!(updated.slug, article.slug, "the URL stays");

    // The agency kills it: the article leaves the site.
    push(
        &app,
        &token,
        "application/xml",
        &g2(
            "urn:afp:flash",
            3,
            "Explosion dans un port : deux blessés",
            "canceled",
            1,
            None,
        ),
    )
    .await;
    let killed = app.stores.articles.article(article_id).await.unwrap();
    assert_eq!(killed.status, ArticleStatus::Unpublished);
    let mut events: Vec<(String, Option<i64>)> = app
        .stores
        .webhooks
        .deliveries(hook, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.event, d.article_id))
        .collect();
    events.reverse();
    assert_eq!(
        events,
        [
            "article.published",
            "article.updated",
            "article.unpublished"
        ]
        .map(|e| (e.to_owned(), Some(article_id.0)))
        .to_vec(),
        "routing's publication, update and kill, each queued for the endpoint"
    );
    assert_eq!(
        app.get(&article.canonical_path()).await.status,
        StatusCode::GONE
    );

    // Under embargo: scheduled for its end, not public before.
    let (_, body) = push(
        &app,
        &token,
        "application/xml",
        &g2(
            "urn:afp:embargo",
            1,
            "Prix Nobel annoncé",
            "usable",
            1,
            Some("2026-11-28T10:00:00+01:00"),
        ),
    )
    .await;
    let entry = app
        .stores
        .wire
        .wire_item(WireId(body["items"][0]["id"].as_i64().unwrap()))
        .await
        .unwrap();
    let embargoed = app
        .stores
        .articles
        .article(entry.article_id.unwrap())
        .await
        .unwrap();
    assert_eq!(embargoed.status, ArticleStatus::Scheduled);
    assert_eq!(
        embargoed.published_at.unwrap().to_rfc3339(),
        "2026-11-28T09:00:00+00:00"
    );

    // Withheld, not urgent enough, or another agency: the desk, no article.
    for doc in [
        g2("urn:afp:held", 1, "Retenue", "withheld", 1, None),
        g2("urn:afp:slow", 1, "Pas urgente", "usable", 5, None),
    ] {
        let (_, body) = push(&app, &token, "application/xml", &doc).await;
        let entry = app
            .stores
            .wire
            .wire_item(WireId(body["items"][0]["id"].as_i64().unwrap()))
            .await
            .unwrap();
        assert!(entry.article_id.is_none(), "{}", entry.headline);
    }
}

#[tokio::test]
async fn watch_folders_take_complete_files_and_quarantine_bad_ones() {
    let app = TestApp::new().await;
    let dir = tempfile::tempdir().unwrap();
    let mut folder = WatchFolder::new(dir.path()).unwrap();
    let intake = app.state.intake();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(5);
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    };
    write(
        "crue.xml",
        g2("urn:afp:w1", 1, "Crue de la Seine", "usable", 3, None).as_bytes(),
    );
    write("broken.xml", b"<newsItem guid='x'><itemMeta></newsItem>");
    write("upload.xml.part", b"<newsItem");
    // A picture item with its file next to it.
    let photo = r#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:afp:photo1" version="1">
  <itemMeta><itemClass qcode="ninat:picture"/><provider literal="AFP"/><versionCreated>2026-11-27T10:00:00Z</versionCreated></itemMeta>
  <contentMeta><headline>La Seine en crue</headline><description role="drol:caption">La Seine au pont de l'Alma.</description><creditline>JEAN DUPONT / AFP</creditline></contentMeta>
  <contentSet><remoteContent rendition="rnd:highRes" href="seine.png" contenttype="image/png" width="800" height="450"/></contentSet>
</newsItem>"#;
    write("photo.xml", photo.as_bytes());
    let png = {
        let img = image::RgbImage::from_fn(800, 450, |x, _| image::Rgb([(x % 255) as u8, 80, 160]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    write("seine.png", &png);

    // The first poll only notes sizes; the second takes what held still.
    assert!(folder.poll(&intake).await.unwrap().is_empty());
    let outcomes = folder.poll(&intake).await.unwrap();
    let done: Vec<_> = outcomes
        .iter()
        .filter(|o| matches!(o, FileOutcome::Done { .. }))
        .collect();
    assert_eq!(done.len(), 2, "{outcomes:?}");
    assert!(dir.path().join("done/crue.xml").exists());
    assert!(dir.path().join("done/photo.xml").exists());
    assert!(
        dir.path().join("done/seine.png").exists(),
        "the picture follows its document"
    );
    assert!(dir.path().join("quarantine/broken.xml").exists());
    let why = std::fs::read_to_string(dir.path().join("quarantine/broken.xml.error.txt")).unwrap();
    assert!(why.contains("malformed XML"), "{why}");
    assert!(
        dir.path().join("upload.xml.part").exists(),
        "partial files wait"
    );
    assert!(!dir.path().join("crue.xml").exists());

    // The picture reached the media library with its caption and credit.
    let media = app.stores.media.list_media(None, 10).await.unwrap();
    let seine = media
        .iter()
        .find(|m| m.credit == "JEAN DUPONT / AFP")
        .unwrap();
    assert_eq!((seine.width, seine.height), (800, 450));
    assert_eq!(seine.alt, "La Seine au pont de l'Alma.");

    // A file delivered twice (a crash between commit and move) is a duplicate.
    write(
        "crue-again.xml",
        g2("urn:afp:w1", 1, "Crue de la Seine", "usable", 3, None).as_bytes(),
    );
    folder.poll(&intake).await.unwrap();
    folder.poll(&intake).await.unwrap();
    let items = app
        .stores
        .wire
        .wire_items(&kiosque_domain::wire::WireQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(items.iter().filter(|e| e.guid == "urn:afp:w1").count(), 1);
    assert!(dir.path().join("done/crue-again.xml").exists());
}

#[tokio::test]
async fn wire_copy_never_goes_public_before_the_agency_allows() {
    let app = TestApp::new().await;
    let token = token_for(&app, "robot@example.org", Role::Editor).await;
    let doc = g2(
        "urn:afp:nobel",
        1,
        "Le prix Nobel de littérature attribué",
        "usable",
        3,
        Some("2026-11-28T10:00:00+01:00"),
    );
    let (_, body) = push(&app, &token, "application/xml", &doc).await;
    let id = body["items"][0]["id"].as_i64().unwrap();
    let paul = Browser::login(&app, "paul@example.org", Role::Editor).await;
    let monde = app.fixture.reference.section.id.to_string();
    let created = paul
        .post_form(&format!("/admin/wire/{id}/article"), &[("section", &monde)])
        .await;
    let location = created.header("location").to_owned();
    let article_id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();

    // Through the API: publishing now or scheduling before the embargo is refused.
    let publish = |body: &'static str| {
        let token = token.clone();
        let app = &app;
        async move {
            let request = Request::builder()
                .method("POST")
                .uri(format!("/api/v1/articles/{article_id}/publish"))
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(Body::from(body))
                .unwrap();
            app.request(request).await
        }
    };
    let refused = publish("").await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("under embargo until 2026-11-28T09:00:00+00:00")
    );
    assert_eq!(
        publish(r#"{"at": "2026-11-28T08:59:00Z"}"#).await.status,
        StatusCode::CONFLICT
    );
    // In the back office: the editor says why and keeps the article a draft.
    let article = app
        .stores
        .articles
        .article(kiosque_domain::ArticleId(article_id))
        .await
        .unwrap();
    let version = article.version.to_string();
    let mut fields = crate::admin::article_fields(&article.headline, &monde, &version);
    fields.push(("action", "publish"));
    let page = paul.post_multipart(&location, &fields).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(
        page.body.contains("sous embargo jusqu’au 28/11/2026 10:00"),
        "{}",
        page.body
    );
    let still = app.stores.articles.article(article.id).await.unwrap();
    assert_eq!(still.status, ArticleStatus::Draft);
    // At the end of the embargo, it may be scheduled.
    let scheduled = publish(r#"{"at": "2026-11-28T09:00:00Z"}"#).await;
    assert_eq!(scheduled.status, StatusCode::OK, "{}", scheduled.body);
    assert_eq!(
        app.stores
            .articles
            .article(article.id)
            .await
            .unwrap()
            .status,
        ArticleStatus::Scheduled
    );
}

fn small_png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(640, 360, |x, y| {
        image::Rgb([(x % 255) as u8, (y % 255) as u8, 120])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Standard base64, for embedding a picture in a test document.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[tokio::test]
async fn embedded_pictures_reach_the_media_library() {
    let app = TestApp::new().await;
    let token = token_for(&app, "robot@example.org", Role::Editor).await;
    let encoded = base64(&small_png());
    // NewsML-G2: a picture item with its bytes inline.
    let g2_picture = format!(
        r#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:afp:inline-photo" version="1">
  <itemMeta><itemClass qcode="ninat:picture"/><provider literal="AFP"/><versionCreated>2026-11-27T10:00:00Z</versionCreated></itemMeta>
  <contentMeta><headline>Le port au matin</headline><description role="drol:caption">Le port de Sète au lever du jour.</description><creditline>MARIE DURAND / AFP</creditline></contentMeta>
  <contentSet><inlineData contenttype="image/png" encoding="base64" width="640" height="360">{encoded}</inlineData></contentSet>
</newsItem>"#
    );
    let (response, body) = push(&app, &token, "application/xml", &g2_picture).await;
    assert_eq!(response.status, StatusCode::ACCEPTED, "{}", response.body);
    assert!(
        body["items"][0]["actions"][0]
            .as_str()
            .unwrap()
            .starts_with("picture imported as media"),
        "{body}"
    );
    // ninjs: a story whose photo is a data: URI.
    let ninjs = format!(
        r#"{{"uri": "urn:reuters:story-photo", "headline": "Une histoire illustrée", "body_text": "Texte.",
            "associations": {{"featureimage": {{"uri": "urn:reuters:photo", "type": "picture", "byline": "J. MARTIN",
              "description_text": "Une légende.", "renditions": {{"original": {{"href": "data:image/png;base64,{encoded}"}}}}}}}}}}"#
    );
    let (response, body) = push(&app, &token, "application/json", &ninjs).await;
    assert_eq!(response.status, StatusCode::ACCEPTED, "{}", response.body);
    assert!(
        body["items"][0]["actions"][0]
            .as_str()
            .unwrap()
            .starts_with("picture imported"),
        "{body}"
    );
    let media = app.stores.media.list_media(None, 10).await.unwrap();
    let port = media
        .iter()
        .find(|m| m.credit == "MARIE DURAND / AFP")
        .unwrap();
    assert_eq!((port.width, port.height), (640, 360));
    assert_eq!(port.alt, "Le port de Sète au lever du jour.");
    assert!(media.iter().any(|m| m.alt == "Une légende."));
    // The payload keeps no copy of the bytes.
    let id = WireId(body["items"][0]["id"].as_i64().unwrap());
    let versions = app.stores.wire.wire_versions(id).await.unwrap();
    assert!(!versions[0].payload.contains("base64"));
}
