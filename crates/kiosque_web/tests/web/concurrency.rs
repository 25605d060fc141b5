//! Editors hammering one article through the API at once: every change that was
//! acknowledged is in the revision history; the others were refused, never lost.

use crate::api::token_for;
use crate::app::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use kiosque_domain::Role;
use serde_json::Value;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_patches_lose_no_acknowledged_update() {
    let app = Arc::new(TestApp::new().await);
    let id = app.fixture.draft.id.0;
    let mut editors = Vec::new();
    for e in 0..6 {
        let app = app.clone();
        let token = token_for(&app, &format!("editeur{e}@example.org"), Role::Editor).await;
        editors.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            let mut refused = 0;
            for n in 0..15 {
                let read = app
                    .request(
                        Request::get(format!("/api/v1/articles/{id}"))
                            .header("authorization", format!("Bearer {token}"))
                            .body(Body::empty())
                            .unwrap(),
                    )
                    .await;
                let article: Value = serde_json::from_str(&read.body).unwrap();
                let revision = article["revision"].as_i64().unwrap();
                let text = format!("Version de l'éditeur {e}, essai {n}.");
                let patch = app
                    .request(
                        Request::patch(format!("/api/v1/articles/{id}"))
                            .header("authorization", format!("Bearer {token}"))
                            .header("content-type", "application/json")
                            .header("if-match", revision.to_string())
                            .body(Body::from(
                                serde_json::json!({ "body_markdown": text }).to_string(),
                            ))
                            .unwrap(),
                    )
                    .await;
                match patch.status {
                    StatusCode::OK => acknowledged.push(text),
                    StatusCode::PRECONDITION_FAILED => refused += 1,
                    other => panic!("unexpected {other}: {}", patch.body),
                }
            }
            (acknowledged, refused)
        }));
    }
    let mut acknowledged = Vec::new();
    let mut refused = 0;
    for editor in editors {
        let (mine, theirs) = editor.await.unwrap();
        acknowledged.extend(mine);
        refused += theirs;
    }
    assert!(!acknowledged.is_empty());
    eprintln!(
        "{} changes acknowledged, {refused} refused as stale",
        acknowledged.len()
    );
    let revisions = app
        .stores
        .articles
        .revisions(kiosque_domain::ArticleId(id))
        .await
        .unwrap();
    for text in &acknowledged {
        assert!(
            revisions.iter().any(|r| r.content.body_markdown == *text),
            "acknowledged change {text:?} is not in the history"
        );
    }
    let versions: std::collections::BTreeSet<i64> = revisions.iter().map(|r| r.version).collect();
    assert_eq!(versions.len(), revisions.len(), "no version saved twice");
    let last = app
        .stores
        .articles
        .article(kiosque_domain::ArticleId(id))
        .await
        .unwrap();
    assert!(
        acknowledged.contains(&last.body_markdown),
        "the article holds an acknowledged text"
    );
}
