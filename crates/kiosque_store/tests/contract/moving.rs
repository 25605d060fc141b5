//! Contract scenarios of static pages, redirects and the import's bookkeeping.

use chrono::{DateTime, TimeZone, Utc};
use kiosque_domain::article::{ArticleStatus, NewArticle};
use kiosque_domain::page::{NewPage, PageStatus};
use kiosque_domain::redirect::{NewRedirect, RedirectStatus, RedirectTarget};
use kiosque_domain::section::NewSection;
use kiosque_domain::store::{
    ImportContent, ImportOutcome, ImportWrite, ImportedComment, RedirectQuery,
};
use kiosque_domain::{Slug, StoreError, Stores};

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, h, 0, 0).unwrap()
}

fn page(path: &str, title: &str) -> NewPage {
    NewPage {
        path: path.into(),
        title: title.into(),
        description: None,
        body_markdown: "Texte de la *page*.\n\n<script>alert(1)</script>".into(),
        status: PageStatus::Published,
        in_footer: true,
        footer_position: 2,
    }
}

pub async fn static_pages_are_versioned(stores: &Stores) {
    let created = stores
        .pages
        .create_page(&page("mentions-legales", "Mentions légales"), None, at(9))
        .await
        .unwrap();
    assert_eq!(created.version, 1);
    assert!(created.body_html.contains("<em>page</em>"));
    assert!(!created.body_html.contains("<script"));
    // The same address twice is refused.
    let twice = stores
        .pages
        .create_page(&page("mentions-legales", "Autre"), None, at(9))
        .await;
    assert!(matches!(twice, Err(StoreError::Duplicate(_))), "{twice:?}");
    // An edit on the current version is saved; one on an older version is refused and
    // changes nothing.
    let mut changed = page("mentions-legales", "Mentions légales (2026)");
    changed.body_markdown = "Nouveau texte.".into();
    let saved = stores
        .pages
        .update_page(created.id, &changed, 1, None, at(10))
        .await
        .unwrap();
    assert_eq!(saved.version, 2);
    let stale = stores
        .pages
        .update_page(
            created.id,
            &page("mentions-legales", "Perdu"),
            1,
            None,
            at(11),
        )
        .await;
    assert!(
        matches!(
            stale,
            Err(StoreError::VersionMismatch {
                stored: Some(2),
                expected: 1
            })
        ),
        "{stale:?}"
    );
    let stored = stores.pages.page(created.id).await.unwrap();
    assert_eq!(stored.title, "Mentions légales (2026)");
    let revisions = stores.pages.page_revisions(created.id).await.unwrap();
    assert_eq!(
        revisions.iter().map(|r| r.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(revisions[1].title, "Mentions légales");
    // Footer order, then lookup by address.
    let mut first = page("charte", "Charte");
    first.footer_position = 1;
    stores.pages.create_page(&first, None, at(9)).await.unwrap();
    let all = stores.pages.pages().await.unwrap();
    assert_eq!(
        all.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
        vec!["charte", "mentions-legales"]
    );
    assert!(stores.pages.page_by_path("charte").await.unwrap().is_some());
    assert!(
        stores
            .pages
            .page_by_path("absente")
            .await
            .unwrap()
            .is_none()
    );
    stores.pages.delete_page(created.id).await.unwrap();
    assert!(matches!(
        stores.pages.page(created.id).await,
        Err(StoreError::NotFound)
    ));
}

async fn a_section(stores: &Stores, slug: &str) -> kiosque_domain::Section {
    stores
        .taxonomy
        .create_section(&NewSection {
            parent_id: None,
            slug: Slug::parse(slug).unwrap(),
            name: slug.into(),
            description: String::new(),
            position: 0,
        })
        .await
        .unwrap()
}

fn imported_article(section: &kiosque_domain::Section, headline: &str) -> NewArticle {
    let mut article = NewArticle::draft(headline, section.id);
    article.status = ArticleStatus::Published;
    article.published_at = Some(at(8));
    article.body_markdown = "Le corps de l'article.".into();
    article.tags = vec!["Archives".into()];
    article
}

fn comment(key: &str, parent: Option<&str>, approved: bool) -> ImportedComment {
    ImportedComment {
        key: key.into(),
        parent_key: parent.map(str::to_owned),
        author_name: format!("Lecteur {key}"),
        author_email: format!("{key}@lecteurs.example"),
        body: format!("Commentaire {key}"),
        approved,
        created_at: at(7),
    }
}

pub async fn imports_write_each_item_once_with_its_comments_and_redirects(stores: &Stores) {
    let monde = a_section(stores, "monde").await;
    let write = ImportWrite {
        system: "wordpress".into(),
        key: "https://old.example/?p=12#12".into(),
        fingerprint: "v1".into(),
        content: ImportContent::Article {
            article: Box::new(imported_article(&monde, "Un ancien article")),
            review_requested: false,
        },
        body: kiosque_domain::body::render_body("Le corps de l'article."),
        comments: vec![
            comment("1", None, true),
            comment("2", Some("1"), true),
            comment("3", Some("2"), false),
        ],
        old_paths: vec!["/2019/05/un-ancien-article".into(), "/?p=12".into()],
    };
    let (id, outcome) = stores.imports.import_item(&write, at(9)).await.unwrap();
    assert_eq!(outcome, ImportOutcome::Created);
    let article = stores
        .articles
        .article(kiosque_domain::ArticleId(id))
        .await
        .unwrap();
    assert_eq!(article.status, ArticleStatus::Published);
    assert_eq!(article.published_at, Some(at(8)));
    // Threads: 2 answers 1, 3 answers 2 under the same top-level comment.
    let thread = stores
        .comments
        .thread(article.id, kiosque_domain::comment::Sort::Oldest, 0)
        .await
        .unwrap();
    assert_eq!(stores.comments.comment_count(article.id).await.unwrap(), 2);
    let debug = format!("{thread:?}");
    assert!(debug.contains("Lecteur 1"), "{debug}");
    assert!(
        !debug.contains("@lecteurs.example"),
        "addresses are never shown: {debug}"
    );
    assert!(stores.comments.pending_count().await.unwrap() >= 1);
    // Old addresses lead to the article's current address.
    let answer = stores
        .redirects
        .find_redirect("/2019/05/un-ancien-article")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(answer.status, RedirectStatus::Permanent);
    assert_eq!(
        answer.location.as_deref(),
        Some(article.canonical_path().as_str())
    );
    // The same fingerprint again: nothing written.
    let (again, outcome) = stores.imports.import_item(&write, at(10)).await.unwrap();
    assert_eq!((again, outcome), (id, ImportOutcome::Unchanged));
    assert_eq!(stores.comments.comment_count(article.id).await.unwrap(), 2);
    // A new fingerprint updates in place, and adds only the new comment.
    let mut changed = write.clone();
    changed.fingerprint = "v2".into();
    changed.content = ImportContent::Article {
        article: Box::new(imported_article(&monde, "Un ancien article, corrigé")),
        review_requested: false,
    };
    changed.comments.push(comment("4", Some("1"), true));
    let (same, outcome) = stores.imports.import_item(&changed, at(11)).await.unwrap();
    assert_eq!((same, outcome), (id, ImportOutcome::Updated));
    let article = stores.articles.article(article.id).await.unwrap();
    assert_eq!(article.headline, "Un ancien article, corrigé");
    assert_eq!(stores.comments.comment_count(article.id).await.unwrap(), 3);
    // The article moves: its old addresses follow, with no chain.
    let europe = a_section(stores, "europe").await;
    let mut moved = article.content();
    moved.section_id = europe.id;
    let moved = stores
        .articles
        .update_article(
            article.id,
            &moved,
            &kiosque_domain::article::Edit {
                expected_version: article.version,
                kind: kiosque_domain::article::RevisionKind::Minor,
                correction_note: None,
                user: None,
            },
            at(12),
        )
        .await
        .unwrap();
    let answer = stores
        .redirects
        .find_redirect("/?p=12")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        answer.location.as_deref(),
        Some(moved.canonical_path().as_str())
    );
    assert!(answer.location.as_deref().unwrap().starts_with("/europe/"));
    // An item that cannot be written leaves nothing behind.
    let mut broken = write.clone();
    broken.key = "broken".into();
    broken.old_paths = vec!["/broken".into()];
    broken.content = ImportContent::Article {
        article: Box::new(NewArticle::draft("   ", monde.id)),
        review_requested: false,
    };
    assert!(stores.imports.import_item(&broken, at(9)).await.is_err());
    // In a batch, the broken item is left out and the others are written.
    let mut good = write.clone();
    good.key = "good".into();
    good.old_paths = vec!["/good".into()];
    let results = stores
        .imports
        .import_items(&[broken.clone(), good], at(9))
        .await
        .unwrap();
    assert!(results[0].is_err());
    assert_eq!(results[1].as_ref().unwrap().1, ImportOutcome::Created);
    assert!(
        stores
            .redirects
            .find_redirect("/good")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        stores
            .imports
            .imported("wordpress", "broken")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        stores
            .redirects
            .find_redirect("/broken")
            .await
            .unwrap()
            .is_none()
    );
    // A page from an import.
    let page_write = ImportWrite {
        system: "ghost".into(),
        key: "5951f5fca366002ebd5dbf3b".into(),
        fingerprint: "p1".into(),
        content: ImportContent::Page(page("about", "À propos")),
        body: kiosque_domain::body::render_body("Texte de la *page*."),
        comments: Vec::new(),
        old_paths: vec!["/a-propos".into()],
    };
    let (page_id, outcome) = stores
        .imports
        .import_item(&page_write, at(9))
        .await
        .unwrap();
    assert_eq!(outcome, ImportOutcome::Created);
    let answer = stores
        .redirects
        .find_redirect("/a-propos")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(answer.location.as_deref(), Some("/about/"));
    let source = stores
        .imports
        .imported("ghost", "5951f5fca366002ebd5dbf3b")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((source.kind.as_str(), source.target_id), ("page", page_id));
    // A statement failing in the middle of a batch (an address another page holds):
    // that item alone is left out.
    let page_item = |key: &str, path: &str| ImportWrite {
        key: key.into(),
        content: ImportContent::Page(page(path, key)),
        old_paths: Vec::new(),
        ..page_write.clone()
    };
    let results = stores
        .imports
        .import_items(
            &[
                page_item("p-a", "page-a"),
                page_item("p-taken", "about"),
                page_item("p-b", "page-b"),
            ],
            at(10),
        )
        .await
        .unwrap();
    assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
    assert!(
        matches!(results[1], Err(StoreError::Duplicate(_))),
        "{results:?}"
    );
    assert!(stores.pages.page_by_path("page-a").await.unwrap().is_some());
    assert!(stores.pages.page_by_path("page-b").await.unwrap().is_some());
    assert!(
        stores
            .imports
            .imported("ghost", "p-taken")
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn redirects_match_exact_then_longest_prefix(stores: &Stores) {
    let url = |path: &str, prefix: bool, target: &str, status: RedirectStatus| NewRedirect {
        path: path.into(),
        prefix,
        target: if target.is_empty() {
            RedirectTarget::Nothing
        } else {
            RedirectTarget::Url(target.into())
        },
        status,
    };
    let written = stores
        .redirects
        .save_redirects(
            &[
                url("/blog", true, "/archives-blog/", RedirectStatus::Permanent),
                url("/blog/2020", true, "/monde/", RedirectStatus::Temporary),
                url(
                    "/blog/2020/exact",
                    false,
                    "https://ailleurs.example/",
                    RedirectStatus::Permanent,
                ),
                url("/retire", false, "", RedirectStatus::Gone),
            ],
            "manual",
            at(9),
        )
        .await
        .unwrap();
    assert_eq!(written, 4);
    let find =
        |key: &'static str| async move { stores.redirects.find_redirect(key).await.unwrap() };
    let exact = find("/blog/2020/exact").await.unwrap();
    assert_eq!(exact.location.as_deref(), Some("https://ailleurs.example/"));
    let longest = find("/blog/2020/05/x").await.unwrap();
    assert_eq!(
        (longest.status, longest.location.as_deref()),
        (RedirectStatus::Temporary, Some("/monde/"))
    );
    assert_eq!(
        find("/blog/2019").await.unwrap().location.as_deref(),
        Some("/archives-blog/")
    );
    assert_eq!(find("/retire").await.unwrap().status, RedirectStatus::Gone);
    assert!(find("/ailleurs").await.is_none());
    // Saving the same path again replaces it.
    stores
        .redirects
        .save_redirects(
            &[url(
                "/retire",
                false,
                "/nouveau/",
                RedirectStatus::Permanent,
            )],
            "manual",
            at(10),
        )
        .await
        .unwrap();
    assert_eq!(
        find("/retire").await.unwrap().location.as_deref(),
        Some("/nouveau/")
    );
    // Search and count.
    let query = RedirectQuery {
        search: "blog".into(),
        limit: 10,
        offset: 0,
    };
    let rows = stores.redirects.redirects(&query).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(stores.redirects.count_redirects("blog").await.unwrap(), 3);
    assert_eq!(stores.redirects.count_redirects("").await.unwrap(), 4);
    stores.redirects.delete_redirect(rows[0].id).await.unwrap();
    assert_eq!(stores.redirects.count_redirects("").await.unwrap(), 3);
    assert!(matches!(
        stores.redirects.delete_redirect(rows[0].id).await,
        Err(StoreError::NotFound)
    ));
}
