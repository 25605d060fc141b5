//! Search, and the rule that nothing non-public reaches any reader-facing listing.

use crate::app::{TestApp, now};
use axum::http::StatusCode;
use chrono::Duration;
use kiosque_domain::article::{ArticleStatus, NewArticle};

#[tokio::test]
async fn search_finds_public_articles_with_highlights() {
    let app = TestApp::new().await;
    assert!(app.sync_search().await >= 3);
    let f = &app.fixture;
    let page = app.get("/recherche?q=poutine").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    assert!(html.contains(&f.reference.canonical_path()), "{html}");
    assert!(
        html.contains("à <mark>Poutine</mark> une rencontre"),
        "headline highlighted"
    );
    assert!(html.contains("Un article correspond à « poutine »."));
    assert!(html.contains(r#"<meta name="robots" content="noindex, follow">"#));
    assert!(
        html.contains(r#"value="poutine""#),
        "the query stays in the box"
    );

    // Standfirst words, accents folded, elisions dropped: "l'invitation" ← "invitations".
    let page = app.get("/recherche?q=INVITATIONS+telephonique").await;
    assert!(page.body.contains(&f.reference.canonical_path()));
    assert!(page.body.contains("<mark>"), "{}", page.body);
    // Tags and bylines.
    let page = app.get("/recherche?q=diplomatie").await;
    assert!(page.body.contains(&f.reference.canonical_path()));
    assert!(page.body.contains(&f.recent.canonical_path()));
    assert!(page.body.contains("2 articles correspondent"));
    // The escaped headline stays escaped.
    let page = app.get("/recherche?q=match").await;
    assert!(
        page.body
            .contains("Le &lt;script&gt;alert(1)&lt;/script&gt; <mark>match</mark>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script>alert(1)"));
}

#[tokio::test]
async fn search_filters_by_section_and_date_and_handles_odd_input() {
    let app = TestApp::new().await;
    app.sync_search().await;
    let f = &app.fixture;
    let in_sport = app.get("/recherche?q=diplomatie&section=sport").await;
    assert!(in_sport.body.contains(&f.recent.canonical_path()));
    assert!(!in_sport.body.contains(&f.reference.canonical_path()));
    let in_monde = app.get("/recherche?q=diplomatie&section=monde").await;
    assert!(
        in_monde.body.contains(&f.reference.canonical_path()),
        "monde covers monde/europe"
    );
    assert!(
        in_monde
            .body
            .contains(r#"<option value="monde" selected>Monde</option>"#)
    );
    let old = app.get("/recherche?q=diplomatie&to=2019-01-01").await;
    assert!(old.body.contains(&f.reference.canonical_path()));
    assert!(!old.body.contains(&f.recent.canonical_path()));
    let recent = app.get("/recherche?q=diplomatie&from=2026-11-27").await;
    assert!(recent.body.contains(&f.recent.canonical_path()));
    assert!(!recent.body.contains(&f.reference.canonical_path()));

    for odd in [
        "/recherche",
        "/recherche?q=",
        "/recherche?q=%22",
        "/recherche?q=title%3A%5Ba+TO+b%5D",
        "/recherche?q=zzzzqqq",
        "/recherche?q=poutine&page=9999",
        "/recherche?q=poutine&page=abc",
        "/recherche?q=poutine&from=hier",
        "/recherche?q=poutine&section=..%2Fetc",
        "/search?q=poutine",
    ] {
        let page = app.get(odd).await;
        assert_eq!(page.status, StatusCode::OK, "{odd}");
    }
    assert!(
        app.get("/recherche")
            .await
            .body
            .contains("Tapez un ou plusieurs mots")
    );
    assert!(
        app.get("/recherche?q=zzzzqqq")
            .await
            .body
            .contains("Aucun article ne correspond")
    );
    let bad_date = app.get("/recherche?q=poutine&from=hier").await;
    assert!(bad_date.body.contains("a été ignorée"));
    assert!(bad_date.body.contains(&f.reference.canonical_path()));
    let long: String = "a".repeat(5000);
    assert_eq!(
        app.get(&format!("/recherche?q={long}")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn search_follows_publish_update_and_unpublish() {
    let app = TestApp::new().await;
    app.sync_search().await;
    let monde = app.stores.taxonomy.sections().await.unwrap()[0].clone();
    let mut new = NewArticle::draft("Ouragan sur les Antilles", monde.id);
    new.status = ArticleStatus::Published;
    new.published_at = Some(now() - Duration::minutes(5));
    let article = app
        .stores
        .articles
        .create_article(&new, now())
        .await
        .unwrap();
    assert!(
        !app.get("/recherche?q=ouragan")
            .await
            .body
            .contains(&article.canonical_path())
    );
    assert_eq!(app.sync_search().await, 1);
    app.page_cache.purge_all();
    assert!(
        app.get("/recherche?q=ouragan")
            .await
            .body
            .contains(&article.canonical_path())
    );

    app.stores
        .articles
        .set_article_status(article.id, ArticleStatus::Unpublished, now())
        .await
        .unwrap();
    // Before the index hears of it, the database check already hides it.
    app.page_cache.purge_all();
    assert!(
        !app.get("/recherche?q=ouragan")
            .await
            .body
            .contains(&article.canonical_path())
    );
    app.sync_search().await;
    assert_eq!(
        app.state.search.len(),
        3,
        "the three public articles of the fixture"
    );
}

/// Every reader-facing listing, against every state that is not public.
#[tokio::test]
async fn nothing_non_public_reaches_any_listing() {
    let app = TestApp::new().await;
    let sections = app.stores.taxonomy.sections().await.unwrap();
    let europe = sections.iter().find(|s| s.path == "monde/europe").unwrap();
    let lea = app
        .stores
        .people
        .contributor_by_slug("lea-martin")
        .await
        .unwrap();
    let hidden_article =
        |headline: &str,
         status: ArticleStatus,
         published: Option<chrono::DateTime<chrono::Utc>>| {
            let mut new = NewArticle::draft(headline, europe.id);
            new.status = status;
            new.published_at = published;
            new.standfirst = "Clandestin, introuvable.".into();
            new.body_markdown = "Clandestin clandestin.".into();
            new.tags = vec!["Diplomatie".into()];
            new.contributors = vec![lea.id];
            new
        };
    let mut hidden = Vec::new();
    for (headline, status, published) in [
        ("Clandestin brouillon", ArticleStatus::Draft, None),
        (
            "Clandestin programmé",
            ArticleStatus::Scheduled,
            Some(now() + Duration::hours(1)),
        ),
        (
            "Clandestin futur",
            ArticleStatus::Published,
            Some(now() + Duration::hours(3)),
        ),
        (
            "Clandestin retiré",
            ArticleStatus::Published,
            Some(now() - Duration::hours(1)),
        ),
    ] {
        let article = app
            .stores
            .articles
            .create_article(&hidden_article(headline, status, published), now())
            .await
            .unwrap();
        hidden.push(article);
    }
    let withdrawn = hidden[3].id;
    app.stores
        .articles
        .set_article_status(withdrawn, ArticleStatus::Unpublished, now())
        .await
        .unwrap();
    app.sync_search().await;
    let reference = app.fixture.reference.canonical_path();
    let mut pages: Vec<String> = [
        "/",
        "/?avant=1900000000-999999",
        "/monde/",
        "/monde/europe/",
        "/tags/diplomatie/",
        "/auteurs/lea-martin/",
        "/archives/2026/11/",
        "/archives/2026/11/27/",
        "/rss.xml",
        "/atom.xml",
        "/feed.json",
        "/monde/europe/rss.xml",
        "/monde/europe/atom.xml",
        "/monde/europe/feed.json",
        "/tags/diplomatie/rss.xml",
        "/tags/diplomatie/feed.json",
        "/auteurs/lea-martin/rss.xml",
        "/auteurs/lea-martin/atom.xml",
        "/sitemap-news.xml",
        "/sitemap-pages.xml",
        "/recherche?q=clandestin",
        "/recherche?q=diplomatie",
        reference.as_str(),
    ]
    .iter()
    .map(|p| (*p).to_owned())
    .collect();
    let index = app.get("/sitemap.xml").await.body;
    for loc in index.split("<loc>").skip(1) {
        let url = loc.split("</loc>").next().unwrap();
        pages.push(
            url.trim_start_matches("http://127.0.0.1:8080")
                .replace("https://kiosque.example", ""),
        );
    }
    assert!(pages.len() > 24, "the sitemap index lists its sitemaps");
    for page in &pages {
        let response = app.get(page).await;
        assert_eq!(response.status, StatusCode::OK, "{page}");
        for article in &hidden {
            assert!(
                !response.body.contains(&article.headline)
                    && !response.body.contains(&article.canonical_path()),
                "{} ({:?}) is visible on {page}",
                article.headline,
                article.status
            );
        }
    }
    // Each of them is refused at its own URL too.
    for article in &hidden {
        let status = app.get(&article.canonical_path()).await.status;
        assert!(
            matches!(status, StatusCode::NOT_FOUND | StatusCode::GONE),
            "{}: {status}",
            article.headline
        );
    }
}
