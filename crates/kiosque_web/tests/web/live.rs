//! Live coverage through the router, on SQLite and PostgreSQL: the API (concurrent
//! entries, pins, revisions, deletions, closing), the reader's page (badge, summary,
//! key moments, pinned entry, fixed older pages, permalinks, JSON-LD), the polled state,
//! the new entries' fragment, the live's feed, the page cache and the live desk.

use crate::admin::Browser;
use crate::api::{call, token_for};
use crate::app::{Options, TestApp};
use axum::http::StatusCode;
use kiosque_domain::staff::Role;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;

/// A live created and published by an editor; its id and its public path.
async fn published_live(app: &TestApp, editor: &str) -> (i64, String) {
    let section = app.fixture.reference.section.path.clone();
    let (created, body) = call(
        app,
        "POST",
        "/api/v1/articles",
        editor,
        Some(json!({
            "headline": "DIRECT. Tempête sur la côte atlantique",
            "section": section,
            "kind": "live",
            "standfirst": "Vents violents et vigilance rouge.",
            "body_markdown": "- **Vigilance rouge** dans trois départements\n- Les écoles fermées",
        })),
        None,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(body["kind"], "live");
    let id = body["id"].as_i64().unwrap();
    let (published, body) = call(
        app,
        "POST",
        &format!("/api/v1/articles/{id}/publish"),
        editor,
        None,
        None,
    )
    .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert_eq!(body["live"]["open"], true);
    let url = body["url"].as_str().unwrap();
    let path = url[url.find("://").unwrap() + 3..].to_owned();
    (id, path[path.find('/').unwrap()..].to_owned())
}

async fn post(app: &TestApp, token: &str, live: i64, body: Value) -> (StatusCode, Value) {
    let (response, json) = call(
        app,
        "POST",
        &format!("/api/v1/articles/{live}/entries"),
        token,
        Some(body),
        None,
    )
    .await;
    (response.status, json)
}

fn json_ld(html: &str) -> Value {
    let open = r#"<script type="application/ld+json">"#;
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

/// The entries' anchors in the stream of a page (the pinned block has none).
fn anchors(html: &str) -> Vec<String> {
    html.match_indices(r#"<li class="live-entry"#)
        .filter_map(|(at, _)| {
            let rest = &html[at..html[at..].find('>').map_or(html.len(), |e| at + e)];
            rest.split(r#"id=""#)
                .nth(1)
                .map(|s| s.split('"').next().unwrap().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn lives_take_concurrent_entries_and_serve_readers() {
    let app = TestApp::new().await;
    live_on(&app).await;
    app.cleanup().await;
}

#[tokio::test]
async fn lives_take_concurrent_entries_and_serve_readers_on_postgresql() {
    let Some(app) = TestApp::on_postgres().await else {
        return;
    };
    live_on(&app).await;
    app.cleanup().await;
}

async fn live_on(app: &TestApp) {
    let editor = token_for(app, "chef@example.org", Role::Editor).await;
    let (live, path) = published_live(app, &editor).await;
    let mut journalists = Vec::new();
    for n in 0..8 {
        journalists.push(token_for(app, &format!("j{n}@example.org"), Role::Journalist).await);
    }
    // A kind that does not exist is refused.
    let (refused, _) = call(
        app,
        "POST",
        "/api/v1/articles",
        &editor,
        Some(json!({"headline": "X", "section": "monde", "kind": "blog"})),
        None,
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Eight journalists post at once, ten entries each: none lost, none doubled.
    let writers = journalists.iter().enumerate().map(|(n, token)| async move {
        let mut mine = Vec::new();
        for k in 0..10 {
            let (status, body) = post(
                app,
                token,
                live,
                json!({"body_markdown": format!("Journaliste {n}, entrée {k} : les rafales *forcissent*."), "key_event": k == 9 && n == 0}),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            assert!(body["permalink"].as_str().unwrap().contains("#entree-"));
            mine.push(body["id"].as_i64().unwrap());
        }
        mine
    });
    let posted: Vec<i64> = futures_util::future::join_all(writers)
        .await
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(posted.iter().collect::<BTreeSet<_>>().len(), 80);
    // Walked with the cursor, newest first: every entry once, numbered 1 to 80.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let (page, body) = call(
            app,
            "GET",
            &format!("/api/v1/articles/{live}/entries?limit=30&cursor={cursor}"),
            &journalists[3],
            None,
            None,
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        for item in body["items"].as_array().unwrap() {
            seen.push(item["seq"].as_i64().unwrap());
        }
        match body["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, (1..=80).rev().collect::<Vec<_>>());

    // Pinning is the editors'; one pinned entry at a time.
    let first = posted[0];
    let entry_path = |id: i64| format!("/api/v1/articles/{live}/entries/{id}");
    let (forbidden, _) = call(
        app,
        "PATCH",
        &entry_path(first),
        &journalists[0],
        Some(json!({"pinned": true})),
        Some("\"1\""),
    )
    .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let (pinned, body) = call(
        app,
        "PATCH",
        &entry_path(first),
        &editor,
        Some(json!({"pinned": true, "title": "Ce que l'on sait à cette heure"})),
        Some("\"1\""),
    )
    .await;
    assert_eq!(pinned.status, StatusCode::OK, "{}", pinned.body);
    assert_eq!(body["revision"], 2);
    assert_eq!(pinned.header("etag"), "\"2\"");
    let first_permalink = body["permalink"].as_str().unwrap().to_owned();
    // A stale revision, and none at all.
    let (stale, _) = call(
        app,
        "PATCH",
        &entry_path(first),
        &editor,
        Some(json!({"body_markdown": "Écrasé"})),
        Some("\"1\""),
    )
    .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let (missing, _) = call(
        app,
        "PATCH",
        &entry_path(first),
        &editor,
        Some(json!({"key_event": true})),
        None,
    )
    .await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    // Another journalist may mark a colleague's entry as a key moment, not rewrite it.
    let other = posted[15];
    let (rewrite, _) = call(
        app,
        "PATCH",
        &entry_path(other),
        &journalists[0],
        Some(json!({"body_markdown": "Réécrit"})),
        Some("\"1\""),
    )
    .await;
    assert_eq!(rewrite.status, StatusCode::FORBIDDEN);
    let (marked, _) = call(
        app,
        "PATCH",
        &entry_path(other),
        &journalists[0],
        Some(json!({"key_event": true})),
        Some("\"1\""),
    )
    .await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.body);
    // Deleted: gone from the page and the list (kept in the history). The newest
    // entry (number 80), whoever wrote it; an editor may delete anyone's.
    let (_, newest) = call(
        app,
        "GET",
        &format!("/api/v1/articles/{live}/entries?limit=1"),
        &editor,
        None,
        None,
    )
    .await;
    assert_eq!(newest["items"][0]["seq"], 80);
    let doomed = newest["items"][0]["id"].as_i64().unwrap();
    let (deleted, _) = call(app, "DELETE", &entry_path(doomed), &editor, None, None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let (gone, _) = call(
        app,
        "GET",
        &format!("/api/v1/articles/{live}/entries?limit=100"),
        &editor,
        None,
        None,
    )
    .await;
    assert!(!gone.body.contains(&format!("\"id\":{doomed},")));

    // The reader's page.
    let page = app.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    assert!(html.contains("En direct"));
    assert!(html.contains("Ce qu&#39;il faut savoir"));
    assert!(html.contains("<strong>Vigilance rouge</strong>"));
    assert!(!html.contains("Temps de lecture"));
    assert!(html.contains("Les moments clés"));
    assert!(html.contains("Ce que l&#39;on sait à cette heure"));
    let shown = anchors(html);
    assert_eq!(shown.len(), 20, "20 entries a page");
    assert!(!shown.contains(&format!("entree-{doomed}")));
    assert!(html.contains(&format!("{path}?page=3")), "the older page");
    assert!(html.contains("data-live-state=\"/direct/"));
    // A permalink opens the page the entry stays on, whatever was posted since.
    let permalink = first_permalink[first_permalink.find(&path).unwrap()..]
        .split('#')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        permalink.starts_with(&format!("{path}?page=")),
        "{permalink}"
    );
    let older = app.get(&permalink).await;
    assert_eq!(older.status, StatusCode::OK);
    assert!(anchors(&older.body).contains(&format!("entree-{first}")));
    assert!(older.body.contains("noindex"));
    assert_eq!(
        app.get(&format!("{path}?page=5")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("{path}?page=x")).await.status,
        StatusCode::NOT_FOUND
    );
    // Structured data: a LiveBlogPosting with its latest updates.
    let ld = json_ld(html);
    assert_eq!(ld["@type"], "LiveBlogPosting");
    assert!(ld["coverageStartTime"].is_string());
    assert!(ld.get("coverageEndTime").is_none());
    let updates = ld["liveBlogUpdate"].as_array().unwrap();
    assert_eq!(updates.len(), 10);
    assert_eq!(updates[0]["@type"], "BlogPosting");
    assert!(
        updates[0]["articleBody"]
            .as_str()
            .unwrap()
            .contains("les rafales forcissent")
    );
    assert!(updates[0]["datePublished"].is_string() && updates[0]["headline"].is_string());

    // What script polls, and the new entries it then fetches.
    let state = app.get(&format!("/direct/{live}/etat.json")).await;
    assert_eq!(state.status, StatusCode::OK);
    assert!(state.header("cache-control").contains("public"));
    assert!(
        state
            .header("surrogate-key")
            .contains(&format!("article:{live}"))
    );
    let state: Value = serde_json::from_str(&state.body).unwrap();
    assert_eq!(state["seq"], 80);
    assert_eq!(state["open"], true);
    let newer = app
        .get(&format!("/direct/{live}/entrees?apres=77&jusqua=79"))
        .await;
    assert_eq!(newer.status, StatusCode::OK);
    assert_eq!(anchors(&newer.body).len(), 2);
    assert_eq!(
        app.get(&format!("/direct/{}/etat.json", app.fixture.reference.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The live's own feed: one item per entry, read by a real parser.
    let rss = app.get(&format!("/direct/{live}/rss.xml")).await;
    assert_eq!(rss.status, StatusCode::OK);
    if let Some(parsed) = crate::feeds::python(crate::feeds::FEEDPARSER, &rss.body) {
        let parsed: Value = serde_json::from_str(&parsed).unwrap();
        assert_eq!(parsed["version"], "rss20");
        let entries = parsed["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 30);
        assert!(entries[0]["link"].as_str().unwrap().contains("#entree-"));
    }
    let atom = app.get(&format!("/direct/{live}/atom.xml")).await;
    assert_eq!(atom.status, StatusCode::OK);
    if let Some(parsed) = crate::feeds::python(crate::feeds::FEEDPARSER, &atom.body) {
        let parsed: Value = serde_json::from_str(&parsed).unwrap();
        assert_eq!(parsed["version"], "atom10");
    }

    // Closed: no more entries (409), the page says so, coverage has an end.
    let (journalist_close, _) = call(
        app,
        "POST",
        &format!("/api/v1/articles/{live}/close"),
        &journalists[0],
        None,
        None,
    )
    .await;
    assert_eq!(journalist_close.status, StatusCode::FORBIDDEN);
    let (closed, body) = call(
        app,
        "POST",
        &format!("/api/v1/articles/{live}/close"),
        &editor,
        None,
        None,
    )
    .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    assert_eq!(body["open"], false);
    let (status, _) = post(
        app,
        &journalists[1],
        live,
        json!({"body_markdown": "Trop tard"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let page = app.get(&path).await.body;
    assert!(page.contains("Ce direct est terminé"));
    assert!(json_ld(&page)["coverageEndTime"].is_string());
    let (reopened, _) = call(
        app,
        "POST",
        &format!("/api/v1/articles/{live}/reopen"),
        &editor,
        None,
        None,
    )
    .await;
    assert_eq!(reopened.status, StatusCode::OK);
    let (status, body) = post(
        app,
        &journalists[1],
        live,
        json!({"body_markdown": "Reprise du direct"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["seq"], 81);
    // A standard article takes no entries.
    let (status, _) = post(
        app,
        &editor,
        app.fixture.reference.id.0,
        json!({"body_markdown": "Non"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_new_entry_is_on_the_cached_page_at_once() {
    let app = TestApp::with(Options {
        page_cache: kiosque_web::PageCache::new(Duration::from_secs(60), 100),
        ..Options::default()
    })
    .await;
    let editor = token_for(&app, "chef@example.org", Role::Editor).await;
    let (live, path) = published_live(&app, &editor).await;
    for _ in 0..2 {
        assert_eq!(app.get(&path).await.status, StatusCode::OK);
        assert_eq!(
            app.get(&format!("/direct/{live}/etat.json")).await.status,
            StatusCode::OK
        );
    }
    assert_eq!(app.get(&path).await.header("x-cache"), "hit");
    let (status, _) = post(
        &app,
        &editor,
        live,
        json!({"body_markdown": "Une entrée toute fraîche."}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(
        app.get(&path)
            .await
            .body
            .contains("Une entrée toute fraîche.")
    );
    assert!(
        app.get(&format!("/direct/{live}/etat.json"))
            .await
            .body
            .contains("\"seq\":1")
    );
}

#[tokio::test]
async fn the_live_desk_posts_marks_and_keeps_what_was_typed() {
    let app = TestApp::new().await;
    let editor_token = token_for(&app, "api@example.org", Role::Editor).await;
    let (live, path) = published_live(&app, &editor_token).await;
    let desk_path = format!("/admin/articles/{live}/direct");
    let journalist = Browser::login(&app, "jo@example.org", Role::Journalist).await;
    let desk = journalist.get(&desk_path).await;
    assert_eq!(desk.status, StatusCode::OK, "{}", desk.body);
    assert!(desk.body.contains("desk-compose"));
    assert!(
        !desk.body.contains("/direct/fermer"),
        "journalists do not close lives"
    );
    // Posted from the desk: on the desk's stream and on the reader's page.
    let posted = journalist
        .post_form(
            &desk_path,
            &[
                ("title", "Premier bilan"),
                ("body_markdown", "Deux blessés légers à Brest."),
                ("credit", ""),
                ("key_event", "on"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let stream = journalist.get(&format!("{desk_path}/flux?apres=0")).await;
    assert!(stream.body.contains("Deux blessés légers à Brest."));
    assert!(
        journalist
            .get(&format!("{desk_path}/flux?apres=1"))
            .await
            .body
            .trim()
            .is_empty()
    );
    assert!(app.get(&path).await.body.contains("Premier bilan"));
    // An empty entry is refused and the title typed comes back.
    let refused = journalist
        .post_form(
            &desk_path,
            &[("title", "Titre gardé"), ("body_markdown", "  ")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Titre gardé"));
    // Without a CSRF token nothing is posted.
    let forged = app
        .request(
            axum::http::Request::post(&desk_path)
                .header("cookie", &journalist.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(axum::body::Body::from("body_markdown=forged"))
                .unwrap(),
        )
        .await;
    assert_ne!(forged.status, StatusCode::SEE_OTHER);
    assert!(!app.get(&path).await.body.contains("forged"));
    // "Add to the live" from the wire: the dispatch as a draft entry, credited.
    let wire = crate::wire::g2(
        "urn:afp:live-test",
        1,
        "Le pont de Saint-Nazaire fermé",
        "usable",
        1,
        None,
    );
    let (pushed, body) = crate::wire::push(&app, &editor_token, "application/xml", &wire).await;
    assert_eq!(pushed.status, StatusCode::ACCEPTED, "{}", pushed.body);
    let wire_id = body["items"][0]["id"].as_i64().unwrap();
    let editor = Browser::login(&app, "chef@example.org", Role::Editor).await;
    let item = editor.get(&format!("/admin/wire/{wire_id}")).await;
    assert!(
        item.body
            .contains(&format!("{desk_path}?depeche={wire_id}"))
    );
    let drafted = editor.get(&format!("{desk_path}?depeche={wire_id}")).await;
    assert!(drafted.body.contains("Le pont de Saint-Nazaire fermé"));
    assert!(drafted.body.contains("value=\"AFP\""));
    assert!(
        !app.get(&path).await.body.contains("Saint-Nazaire"),
        "nothing posted by itself"
    );
    // Editors close the live from the desk.
    let closed = editor.post_form(&format!("{desk_path}/fermer"), &[]).await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    let late = journalist
        .post_form(&desk_path, &[("body_markdown", "Après la fin")])
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body.contains("Après la fin"));
    // A new article of kind live from the editor form.
    let sections = app.fixture.reference.section.id.to_string();
    let mut fields = crate::admin::article_fields("DIRECT. Un autre direct", &sections, "0");
    fields.push(("kind", "live"));
    let created = editor.post_multipart("/admin/articles", &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let location = created
        .header("location")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let new_editor = editor.get(&location).await;
    assert!(
        new_editor.body.contains("/direct\""),
        "the editor links to its desk"
    );
}
