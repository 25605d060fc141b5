//! The article page: its eleven parts, in order, in correct French; its head; its
//! status codes.

use crate::app::{TestApp, position};
use axum::http::StatusCode;

#[tokio::test]
async fn article_page_shows_the_eleven_parts_in_order() {
    let app = TestApp::new().await;
    let path = app.fixture.reference.canonical_path();
    assert!(
        path.starts_with(
            "/monde/europe/trump-a-propose-a-poutine-une-rencontre-a-la-maison-blanche_"
        ),
        "{path}"
    );
    let page = app.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;

    let parts = [
        r#"<p class="age-banner" role="status" lang="fr">Cet article date de plus de huit ans.</p>"#,
        r#"<nav class="breadcrumb""#,
        r#"<p class="kicker">Diplomatie</p>"#,
        r#"<h1 class="article__title">Trump a proposé à Poutine une rencontre à la Maison Blanche</h1>"#,
        r#"<p class="standfirst">Le président américain"#,
        r#"<p class="byline">Article rédigé par <a href="/auteurs/kiosque-info/">Kiosque Info</a> avec AFP</p>"#,
        r#"<p class="publisher">Kiosque Média</p>"#,
        r#"Publié le <time datetime="2018-04-02T13:05:00+02:00">02/04/2018 13:05</time>"#,
        r#"Mis à jour le <time datetime="2018-04-02T15:20:00+02:00">02/04/2018 15:20</time>"#,
        "Temps de lecture : 1 min",
        r#"<figure class="lead-figure">"#,
        r#"<figcaption>Deux dirigeants le 7 juillet 2017 lors d&#39;un sommet à Hambourg (Allemagne). <span class="credit">(SAUL LOEB / AFP)</span></figcaption>"#,
        r#"<div class="article__body">"#,
        r#"<section class="tags""#,
        r#"<h2 id="comments-title">Commentaires</h2>"#,
        r#"<p class="comments__link"><a href="/commentaires/"#,
        "Lire les commentaires et participer à la conversation</a>",
    ];
    let positions: Vec<usize> = parts.iter().map(|p| position(html, p)).collect();
    for (pair, window) in parts.windows(2).zip(positions.windows(2)) {
        assert!(
            window[0] < window[1],
            "{:?} must come before {:?}",
            pair[0],
            pair[1]
        );
    }
    assert_eq!(html.matches("<h1").count(), 1, "one h1 per page");
    // Breadcrumb: home › section › subsection.
    let crumbs = &html[positions[1]..positions[2]];
    let home = position(crumbs, r#"<a href="/">Accueil</a>"#);
    let monde = position(crumbs, r#"<a href="/monde/">Monde</a>"#);
    let europe = position(crumbs, r#"<a href="/monde/europe/">Europe</a>"#);
    assert!(home < monde && monde < europe);
    // The body: rendered Markdown, subheading, quote, list, link.
    assert!(html.contains("<h2>Un sous-titre</h2>"));
    assert!(html.contains("<blockquote>"));
    assert!(html.contains("<li>un autre</li>"));
    assert!(html.contains(r#"<a href="https://example.org/" rel="noopener">lien</a>"#));
    // The lead image has its size, alt text and renditions.
    assert!(html.contains(r#"width="1200" height="675" alt="Deux dirigeants se serrent la main""#));
    assert!(html.contains("-thumb.jpg 480w"));
    // WebP for the browsers that take it, the original's type for the others.
    let source = html
        .split(r#"<source type="image/webp" srcset=""#)
        .nth(1)
        .unwrap();
    let webp = source.split('"').next().unwrap();
    assert!(webp.contains("-thumb-webp.webp 480w"), "{webp}");
    assert!(webp.contains("-full-webp.webp 1200w"), "{webp}");
    assert!(!webp.contains(".jpg"), "{webp}");
    let img_srcset = html.split(r#"fetchpriority"#).next().unwrap();
    assert!(!img_srcset.rsplit("<img").next().unwrap().contains(".webp"));
    // Tags link to tag pages.
    assert!(html.contains(r#"<a href="/tags/etats-unis/">États-Unis</a>"#));
}

#[tokio::test]
async fn the_head_carries_canonical_open_graph_and_json_ld() {
    let app = TestApp::new().await;
    let article = &app.fixture.reference;
    let html = app.get(&article.canonical_path()).await.body;
    let canonical = format!("http://127.0.0.1:8080{}", article.canonical_path());
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    assert!(html.contains(&format!(r#"<link rel="canonical" href="{canonical}">"#)));
    assert!(html.contains(
        "<title>Trump a proposé à Poutine une rencontre à la Maison Blanche | Kiosque Info</title>"
    ));
    assert!(html.contains(
        r#"<meta name="description" content="Le président américain a lancé l&#39;invitation"#
    ));
    assert!(html.contains(r#"<meta property="og:type" content="article">"#));
    assert!(html.contains(&format!(
        r#"<meta property="og:url" content="{canonical}">"#
    )));
    assert!(html.contains(r#"<meta property="og:locale" content="fr_FR">"#));
    assert!(html.contains(
        r#"<meta property="article:published_time" content="2018-04-02T13:05:00+02:00">"#
    ));
    assert!(html.contains(
        r#"<meta property="article:modified_time" content="2018-04-02T15:20:00+02:00">"#
    ));
    assert!(html.contains(r#"<meta property="og:image:width" content="1200">"#));

    let ld = json_ld(&html);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(
        ld["headline"],
        "Trump a proposé à Poutine une rencontre à la Maison Blanche"
    );
    assert_eq!(ld["datePublished"], "2018-04-02T13:05:00+02:00");
    assert_eq!(ld["dateModified"], "2018-04-02T15:20:00+02:00");
    assert_eq!(ld["author"][0]["@type"], "Organization");
    assert_eq!(ld["author"][0]["name"], "Kiosque Info");
    assert_eq!(ld["publisher"]["@type"], "Organization");
    assert_eq!(ld["publisher"]["name"], "Kiosque Média");
    assert_eq!(ld["articleSection"], "Europe");
    assert_eq!(ld["inLanguage"], "fr");
    assert_eq!(ld["image"][0]["width"], 1200);
    assert!(
        ld["image"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:8080/media/")
    );
}

#[tokio::test]
async fn several_contributors_are_joined_naturally_one_author_object_each() {
    let app = TestApp::new().await;
    let html = app.get(&app.fixture.recent.canonical_path()).await.body;
    assert!(html.contains(
        r#"Article rédigé par <a href="/auteurs/lea-martin/">Léa Martin</a>, <a href="/auteurs/paul-durand/">Paul Durand</a> et <a href="/auteurs/kiosque-info/">Kiosque Info</a> avec AFP, Reuters</p>"#
    ), "{html}");
    assert!(
        !html.contains("age-banner"),
        "a two-hour-old article has no age banner"
    );
    assert!(
        !html.contains("Mis à jour"),
        "no significant update, no update time"
    );
    let ld = json_ld(&html);
    let authors: Vec<(&str, &str)> = ld["author"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["@type"].as_str().unwrap(), a["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        authors,
        [
            ("Person", "Léa Martin"),
            ("Person", "Paul Durand"),
            ("Organization", "Kiosque Info")
        ]
    );
    assert_eq!(
        ld["author"][0]["url"],
        "http://127.0.0.1:8080/auteurs/lea-martin/"
    );
}

#[tokio::test]
async fn english_articles_speak_english() {
    let app = TestApp::new().await;
    let html = app.get(&app.fixture.english.canonical_path()).await.body;
    assert!(html.contains(r#"<article class="article" lang="en">"#));
    assert!(
        html.contains(r#"lang="en">This article is more than 2 years old</p>"#),
        "{html}"
    );
    assert!(html.contains(
        r#"By <a href="/auteurs/jane-roe/">Jane Roe</a>, <a href="/auteurs/lea-martin/">Léa Martin</a> and <a href="/auteurs/paul-durand/">Paul Durand</a> with Reuters, AFP"#
    ));
    assert!(html.contains("Published <time"));
    assert!(html.contains("Reading time: 1 min"));
    assert!(html.contains(r#"<meta property="og:locale" content="en_GB">"#));
    // Its sharing and comments parts too, on a French site.
    for english in [
        ">Share</h2>",
        "Copy the link:",
        ">Comments</h2>",
        "Read the comments and join the conversation",
    ] {
        assert!(html.contains(english), "{english}");
    }
    for french in [
        ">Partager</h2>",
        "Copier le lien",
        ">Commentaires</h2>",
        "Lire les commentaires",
    ] {
        assert!(!html.contains(french), "{french}");
    }
}

#[tokio::test]
async fn user_text_is_escaped_everywhere() {
    let app = TestApp::new().await;
    let html = app.get(&app.fixture.recent.canonical_path()).await.body;
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains("Le &lt;script&gt;alert(1)&lt;/script&gt; match de la saison"));
    assert!(html.contains("Un chapô &amp; des « guillemets »."));
    let home = app.get("/").await.body;
    assert!(!home.contains("<script>alert(1)"));
}

#[tokio::test]
async fn outdated_slugs_and_section_paths_redirect_permanently() {
    let app = TestApp::new().await;
    let article = &app.fixture.reference;
    let canonical = article.canonical_path();
    for old in [
        format!("/monde/europe/ancien-titre_{}.html", article.id),
        format!(
            "/sport/trump-a-propose-a-poutine-une-rencontre-a-la-maison-blanche_{}.html",
            article.id
        ),
        format!("/{}.html", article.id),
    ] {
        let response = app.get(&old).await;
        assert_eq!(response.status, StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(response.header("location"), canonical);
    }
}

#[tokio::test]
async fn unknown_unpublished_and_unreleased_articles() {
    let app = TestApp::new().await;
    let missing = app.get("/monde/rien_999999.html").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.body.contains("<h1>Page introuvable</h1>"),
        "{}",
        missing.body
    );
    assert!(
        missing.body.contains(r#"<nav class="site-nav""#),
        "the 404 page is in the site's style"
    );
    assert!(
        missing
            .body
            .contains(r#"<input id="error-search-q" type="search" name="q""#),
        "the 404 page offers a search"
    );

    let gone = app.get(&app.fixture.unpublished.canonical_path()).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.body.contains("<h1>Article retiré</h1>"));
    assert!(gone.body.contains(r#"action="/recherche""#));

    for hidden in [&app.fixture.draft, &app.fixture.scheduled] {
        let response = app.get(&hidden.canonical_path()).await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{}",
            hidden.headline
        );
        assert!(!response.body.contains(&hidden.headline));
    }
}

#[tokio::test]
async fn the_age_banner_threshold_is_a_site_setting() {
    let site = kiosque_domain::SiteSettings {
        age_banner_days: 4000,
        ..Default::default()
    };
    let app = TestApp::with(crate::app::Options {
        site,
        ..crate::app::Options::default()
    })
    .await;
    let html = app.get(&app.fixture.reference.canonical_path()).await.body;
    assert!(!html.contains("age-banner"));
    let html = app.get(&app.fixture.english.canonical_path()).await.body;
    assert!(!html.contains("age-banner"));
}

/// The page's JSON-LD block, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    let open = r#"<script type="application/ld+json">"#;
    let start = position(html, open) + open.len();
    let end = start + position(&html[start..], "</script>");
    serde_json::from_str(&html[start..end]).unwrap()
}

#[tokio::test]
async fn read_also_lists_related_public_articles_never_the_article_itself() {
    let app = TestApp::new().await;
    let f = &app.fixture;
    let related_of = |html: &str| {
        html.split(r#"<section class="related""#)
            .nth(1)
            .map(|s| s.split("</section>").next().unwrap().to_owned())
    };
    // The 2018 reference shares a tag with the recent article.
    let html = app.get(&f.reference.canonical_path()).await.body;
    let related = related_of(&html).unwrap();
    assert!(related.contains("À lire aussi"));
    assert!(related.contains(&f.recent.canonical_path()), "{related}");
    assert!(
        !related.contains(&f.reference.canonical_path()),
        "never itself"
    );
    for hidden in [&f.draft, &f.unpublished, &f.scheduled] {
        assert!(!related.contains(&hidden.canonical_path()));
    }
    // Nothing else of the last year relates to the recent one: no empty section.
    let recent = app.get(&f.recent.canonical_path()).await.body;
    assert!(related_of(&recent).is_none());
}

#[tokio::test]
async fn share_links_are_plain_links_with_the_encoded_url() {
    let app = TestApp::new().await;
    let f = &app.fixture;
    let html = app.get(&f.recent.canonical_path()).await.body;
    let share = html
        .split(r#"<section class="share""#)
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    let url = format!("http://127.0.0.1:8080{}", f.recent.canonical_path());
    let encoded: String = url
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    for host in [
        "https://x.com/intent/post?url=",
        "https://www.facebook.com/sharer/sharer.php?u=",
        "https://www.linkedin.com/sharing/share-offsite/?url=",
        "https://wa.me/?text=",
        "mailto:?subject=",
    ] {
        assert!(
            share.contains(&format!(r#"<a href="{host}"#)),
            "{host}: {share}"
        );
    }
    assert!(share.contains(&encoded), "{share}");
    assert!(
        share.contains(&format!(r#"value="{url}" readonly"#)),
        "copy the link"
    );
    // The headline with markup in it stays inert: encoded in the URLs.
    assert!(share.contains("%3Cscript%3E"));
    assert!(!share.contains("<script"));
    assert_eq!(
        share
            .matches("rel=\"noopener noreferrer nofollow\"")
            .count(),
        5
    );
}

#[tokio::test]
async fn translations_link_each_other_with_hreflang() {
    let app = TestApp::new().await;
    let f = &app.fixture;
    let mut english = f.reference.content();
    english.slug = None;
    english.headline = "Trump offered Putin a White House meeting".into();
    english.language = "en".into();
    english.translation_of = Some(f.reference.id);
    let english = app
        .stores
        .articles
        .create_article(&english, crate::app::now())
        .await
        .unwrap();
    let html = app.get(&f.reference.canonical_path()).await.body;
    let base = "http://127.0.0.1:8080";
    assert!(
        html.contains(&format!(
            r#"<link rel="alternate" hreflang="fr" href="{base}{}">"#,
            f.reference.canonical_path()
        )),
        "itself too"
    );
    assert!(html.contains(&format!(
        r#"<link rel="alternate" hreflang="en" href="{base}{}">"#,
        english.canonical_path()
    )));
    assert!(html.contains(&format!(
        r#"<a href="{}" hreflang="en" lang="en""#,
        english.canonical_path()
    )));
    assert!(html.contains(">English</a>"));
    let other = app.get(&english.canonical_path()).await.body;
    assert!(other.contains(r#"hreflang="fr""#) && other.contains(">Français</a>"));
    // An article without translations has no alternates.
    let alone = app.get(&f.recent.canonical_path()).await.body;
    assert!(!alone.contains("hreflang"));
}
