//! Static pages, the redirects manager and the back office's import, through the
//! router, on SQLite and PostgreSQL.

use crate::admin::Browser;
use crate::api::{call, token_for};
use crate::app::{TestApp, corpus_available, corpus_dir};
use axum::http::StatusCode;
use kiosque_domain::staff::Role;
use serde_json::json;

fn page_fields<'a>(
    title: &'a str,
    path: &'a str,
    body: &'a str,
    version: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("path", path),
        ("description", "Qui publie ce site."),
        ("body_markdown", body),
        ("status", "published"),
        ("in_footer", "on"),
        ("footer_position", "1"),
        ("version", version),
    ]
}

#[tokio::test]
async fn editors_write_static_pages_served_at_their_address() {
    let app = TestApp::new().await;
    static_pages_on(&app).await;
    app.cleanup().await;
}

#[tokio::test]
async fn editors_write_static_pages_served_at_their_address_on_postgresql() {
    let Some(app) = TestApp::on_postgres().await else {
        return;
    };
    static_pages_on(&app).await;
    app.cleanup().await;
}

async fn static_pages_on(app: &TestApp) {
    let editor = Browser::login(app, "chef@example.org", Role::Editor).await;
    assert_eq!(editor.get("/admin/pages").await.status, StatusCode::OK);
    // A reserved address is refused, and what was typed comes back.
    let refused = editor
        .post_form(
            "/admin/pages",
            &page_fields("Mentions légales", "admin/x", "Texte gardé.", "0"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Texte gardé."));
    let created = editor
        .post_form(
            "/admin/pages",
            &page_fields(
                "Mentions légales",
                "/Mentions-Legales/",
                "Éditeur : **Kiosque Média**.\n\n<script>alert(1)</script>",
                "0",
            ),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let edit_path = created
        .header("location")
        .split('?')
        .next()
        .unwrap()
        .to_owned();

    // Readers: the page at its address, in the footer, in the sitemap.
    let page = app.get("/mentions-legales/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<strong>Kiosque Média</strong>"));
    assert!(!page.body.contains("alert(1)</script>"));
    assert!(
        page.body.contains("\"@type\": \"WebPage\""),
        "{}",
        page.body
    );
    assert!(!page.body.contains("class=\"byline\""));
    assert!(!page.body.contains("age-banner"));
    assert!(!page.body.contains("data-comments"));
    assert_eq!(
        app.get("/mentions-legales").await.status,
        StatusCode::MOVED_PERMANENTLY
    );
    let other_case = app.get("/Mentions-Legales/").await;
    assert_eq!(other_case.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(other_case.header("location"), "/mentions-legales/");
    let home = app.get("/").await;
    assert!(home.body.contains("href=\"/mentions-legales/\""));
    assert!(
        app.get("/sitemap-pages.xml")
            .await
            .body
            .contains("/mentions-legales/</loc>")
    );
    assert!(!app.get("/rss.xml").await.body.contains("Mentions légales"));

    // Someone else saves first: a save on the old version is refused, shows both
    // texts and keeps the typed one; the stored page is untouched.
    let other = Browser::login(app, "autre@example.org", Role::Editor).await;
    let saved = other
        .post_form(
            &edit_path,
            &page_fields(
                "Mentions légales",
                "mentions-legales",
                "Version de Paul.",
                "1",
            ),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let stale = editor
        .post_form(
            &edit_path,
            &page_fields("Mentions légales", "mentions-legales", "Ma version.", "1"),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale.body.contains("Ma version.") && stale.body.contains("Version de Paul."),
        "{}",
        stale.body
    );
    assert!(
        app.get("/mentions-legales/")
            .await
            .body
            .contains("Version de Paul.")
    );
    // Moving the page keeps its old address.
    let moved = editor
        .post_form(
            &edit_path,
            &page_fields(
                "Mentions légales",
                "informations/mentions",
                "Ma version.",
                "2",
            ),
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let old = app.get("/mentions-legales/").await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.header("location"), "/informations/mentions/");
    // Journalists do not write static pages.
    let journalist = Browser::login(app, "plume@example.org", Role::Journalist).await;
    assert_eq!(
        journalist.get("/admin/pages").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_redirects_manager_adds_imports_exports_and_deletes() {
    let app = TestApp::new().await;
    let editor = Browser::login(&app, "chef@example.org", Role::Editor).await;
    let add = |path: &'static str, target: &'static str, status: &'static str, prefix: bool| {
        let editor = &editor;
        async move {
            let mut fields = vec![("path", path), ("target", target), ("status", status)];
            if prefix {
                fields.push(("prefix", "on"));
            }
            editor.post_form("/admin/redirects", &fields).await
        }
    };
    assert_eq!(
        add("/ancien-article/", "/monde/", "301", false)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        add("/blog", "/archives-blog/", "302", true).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        add("/retire", "", "410", false).await.status,
        StatusCode::SEE_OTHER
    );
    let refused = add("pas-un-chemin", "javascript:alert(1)", "301", false).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let moved = app.get("/ancien-article/").await;
    assert_eq!(moved.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(moved.header("location"), "/monde/");
    assert_eq!(
        app.get("/ancien-article").await.header("location"),
        "/monde/"
    );
    let prefix = app.get("/blog/2020/05/un-billet/").await;
    assert_eq!(prefix.status, StatusCode::FOUND);
    assert_eq!(prefix.header("location"), "/archives-blog/");
    assert_eq!(app.get("/retire").await.status, StatusCode::GONE);

    // CSV: one wrong line and nothing is written; then a good file.
    let bad = "path,target,status\n/a,/monde/,301\n/b,nowhere,301\n";
    let response = editor
        .post_multipart("/admin/redirects/import", &[("file", bad)])
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("line 3"), "{}", response.body);
    assert_eq!(app.get("/a").await.status, StatusCode::NOT_FOUND);
    let good = "path,target,status,prefix\n/a,/monde/,301,\n/c/,https://ailleurs.example/,302,\n/d,,410,\n";
    let response = editor
        .post_multipart("/admin/redirects/import", &[("file", good)])
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(app.get("/a").await.header("location"), "/monde/");
    assert_eq!(app.get("/d").await.status, StatusCode::GONE);
    let export = editor.get("/admin/redirects/export.csv").await;
    assert!(export.header("content-type").starts_with("text/csv"));
    assert!(
        export.body.contains("/blog,/archives-blog/,302,prefix"),
        "{}",
        export.body
    );
    assert!(
        export.body.contains("/c,https://ailleurs.example/,302,"),
        "{}",
        export.body
    );
    // Search, delete, audit.
    let found = editor.get("/admin/redirects?q=ancien").await;
    assert!(found.body.contains("/ancien-article"));
    assert!(!found.body.contains("/blog"));
    let id: String = found
        .body
        .split("/delete\"")
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    assert!(id.chars().all(|c| c.is_ascii_digit()), "{id}");
    let deleted = editor
        .post_form(&format!("/admin/redirects/{id}/delete"), &[])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/ancien-article/").await.status,
        StatusCode::NOT_FOUND
    );
    let log = app.stores.accounts.audit_log(50).await.unwrap();
    assert!(log.iter().any(|e| e.action == "redirect.add"));
    assert!(log.iter().any(|e| e.action == "redirect.import"));
    assert!(log.iter().any(|e| e.action == "redirect.delete"));
    // Journalists do not manage redirects.
    let journalist = Browser::login(&app, "plume@example.org", Role::Journalist).await;
    assert_eq!(
        journalist.get("/admin/redirects").await.status,
        StatusCode::FORBIDDEN
    );
    app.cleanup().await;
}

#[tokio::test]
async fn static_pages_through_the_api() {
    let app = TestApp::new().await;
    let token = token_for(&app, "robot@example.org", Role::Editor).await;
    let body = json!({"path": "charte", "title": "Charte de modération", "body_markdown": "Soyez *courtois*.", "status": "published", "in_footer": true});
    let (created, page) = call(
        &app,
        "POST",
        "/api/v1/pages",
        &token,
        Some(body.clone()),
        None,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = page["id"].as_i64().unwrap();
    assert_eq!(page["revision"], 1);
    assert_eq!(created.header("etag"), "\"1\"");
    let (taken, problem) = call(
        &app,
        "POST",
        "/api/v1/pages",
        &token,
        Some(body.clone()),
        None,
    )
    .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "path");
    let path = format!("/api/v1/pages/{id}");
    let changed = json!({"path": "charte", "title": "Charte", "body_markdown": "Nouveau texte.", "status": "published"});
    let (missing, _) = call(&app, "PUT", &path, &token, Some(changed.clone()), None).await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    let (saved, page) = call(
        &app,
        "PUT",
        &path,
        &token,
        Some(changed.clone()),
        Some("\"1\""),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK);
    assert_eq!(page["revision"], 2);
    let (stale, _) = call(&app, "PUT", &path, &token, Some(changed), Some("1")).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert!(app.get("/charte/").await.body.contains("Nouveau texte."));
    let journalist = token_for(&app, "plume@example.org", Role::Journalist).await;
    let (forbidden, _) = call(&app, "GET", "/api/v1/pages", &journalist, None, None).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let (list, pages) = call(&app, "GET", "/api/v1/pages", &token, None, None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(pages["items"].as_array().unwrap().len(), 1);
    let (gone, _) = call(&app, "DELETE", &path, &token, None, None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/charte/").await.status, StatusCode::NOT_FOUND);
    let (absent, _) = call(&app, "GET", &path, &token, None, None).await;
    assert_eq!(absent.status, StatusCode::NOT_FOUND);
    app.cleanup().await;
}

#[tokio::test]
async fn admins_import_an_export_from_the_back_office() {
    if !corpus_available() {
        return;
    }
    let app = TestApp::new().await;
    let editor = Browser::login(&app, "chef@example.org", Role::Editor).await;
    assert_eq!(
        editor.get("/admin/import").await.status,
        StatusCode::FORBIDDEN
    );
    let admin = Browser::login(&app, "admin@example.org", Role::Admin).await;
    assert_eq!(admin.get("/admin/import").await.status, StatusCode::OK);
    let export = std::fs::read_to_string(
        corpus_dir().join("wxr/wordpress-importer/e2e-fixtures/wxr-comprehensive.xml"),
    )
    .unwrap();
    let started = admin
        .post_multipart(
            "/admin/import",
            &[("system", "wordpress"), ("file", &export)],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let progress = started.header("location").to_owned();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let page = loop {
        let page = admin.get(&progress).await;
        if !page.body.contains("http-equiv=\"refresh\"") {
            break page;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the import never ended"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(page.body.contains("1 articles, 1 pages"), "{}", page.body);
    assert!(page.body.contains("created article"), "{}", page.body);
    // A file that is not an export is refused with the reason, and nothing written.
    let started = admin
        .post_multipart(
            "/admin/import",
            &[("system", "wordpress"), ("file", "<rss><channel>")],
        )
        .await;
    let progress = started.header("location").to_owned();
    let page = loop {
        let page = admin.get(&progress).await;
        if !page.body.contains("http-equiv=\"refresh\"") {
            break page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(
        page.body.contains("malformed file at byte"),
        "{}",
        page.body
    );
    app.cleanup().await;
}
