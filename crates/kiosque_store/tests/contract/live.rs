//! Contract scenarios of live coverage: entries posted at once, pinned, edited on a
//! revision, deleted into the history, and the live closed.

use chrono::{DateTime, Duration, TimeZone, Utc};
use kiosque_domain::article::{ArticleStatus, NewArticle};
use kiosque_domain::live::{ArticleKind, EntryContent, EntryQuery};
use kiosque_domain::staff::Role;
use kiosque_domain::{StoreError, Stores};
use std::collections::BTreeSet;

fn at(m: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 14, 0, 0).unwrap() + Duration::minutes(m)
}

fn text(body: &str) -> EntryContent {
    EntryContent {
        body_markdown: body.into(),
        ..EntryContent::default()
    }
}

async fn live(stores: &Stores) -> kiosque_domain::Article {
    let by = crate::newsroom::user(stores, "direct@example.org", Role::Journalist).await;
    let draft = crate::newsroom::draft(stores, "Tempête : la côte en alerte", &by).await;
    let mut new: NewArticle = draft.content();
    new.headline = "DIRECT. Tempête : la côte en alerte".into();
    new.slug = None;
    new.kind = ArticleKind::Live;
    new.status = ArticleStatus::Published;
    new.published_at = Some(at(0));
    stores.articles.create_article(&new, at(0)).await.unwrap()
}

pub async fn live_entries_are_numbered_pinned_edited_and_kept(stores: &Stores) {
    let article = live(stores).await;
    assert_eq!(article.kind, ArticleKind::Live);
    assert_eq!(article.live.unwrap().last_seq, 0);
    assert!(article.live.unwrap().is_open());

    // Eight writers at once, five entries each: none lost, none doubled, numbers
    // 1..=40 each used once.
    let mut tasks = Vec::new();
    for writer in 0..8 {
        let stores = stores.clone();
        let id = article.id;
        tasks.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for n in 0..5 {
                let body = format!("Écrivain {writer}, entrée {n}");
                let entry = stores
                    .live
                    .post_entry(
                        id,
                        &text(&body),
                        &format!("<p>{body}</p>"),
                        None,
                        "Rédaction",
                        at(1),
                    )
                    .await
                    .unwrap();
                ids.push((entry.id, entry.seq, body));
            }
            ids
        }));
    }
    let mut posted = Vec::new();
    for task in tasks {
        posted.extend(task.await.unwrap());
    }
    let seqs: BTreeSet<i64> = posted.iter().map(|p| p.1).collect();
    assert_eq!(seqs, (1..=40).collect::<BTreeSet<_>>());
    let all = stores
        .live
        .entries(article.id, EntryQuery::latest(100))
        .await
        .unwrap();
    assert_eq!(all.len(), 40);
    assert!(all.windows(2).all(|w| w[0].seq > w[1].seq), "newest first");
    let bodies: BTreeSet<&str> = all.iter().map(|e| e.body_markdown.as_str()).collect();
    assert_eq!(bodies.len(), 40);
    let reloaded = stores.articles.article(article.id).await.unwrap();
    assert_eq!(reloaded.live.unwrap().last_seq, 40);
    assert_eq!(reloaded.live.unwrap().last_entry_at, Some(at(1)));
    assert_eq!(
        reloaded.updated_at,
        Some(at(1)),
        "a published live is updated by its entries"
    );

    // Pages are fixed blocks: page 2 is entries 21 to 40, page 1 the first twenty.
    let page2 = stores
        .live
        .entries(article.id, EntryQuery::page(2))
        .await
        .unwrap();
    assert_eq!(
        (page2.first().unwrap().seq, page2.last().unwrap().seq),
        (40, 21)
    );
    let page1 = stores
        .live
        .entries(article.id, EntryQuery::page(1))
        .await
        .unwrap();
    assert_eq!(page1.len(), 20);
    assert_eq!(page1[0].seq, 20);

    // At most one pinned entry: pinning another unpins the first.
    let first = all.last().unwrap().clone();
    let mut pin = first.content();
    pin.pinned = true;
    pin.key_event = true;
    let pinned = stores
        .live
        .edit_entry(
            first.id,
            &pin,
            &first.body_html,
            first.revision,
            None,
            at(2),
        )
        .await
        .unwrap();
    assert_eq!(pinned.revision, 2);
    let other = &all[0];
    let mut pin_other = other.content();
    pin_other.pinned = true;
    stores
        .live
        .edit_entry(
            other.id,
            &pin_other,
            &other.body_html,
            other.revision,
            None,
            at(3),
        )
        .await
        .unwrap();
    let now_pinned = stores.live.pinned_entry(article.id).await.unwrap().unwrap();
    assert_eq!(now_pinned.id, other.id);
    assert!(!stores.live.entry(first.id).await.unwrap().pinned);
    let keys = stores
        .live
        .entries(
            article.id,
            EntryQuery {
                key_events_only: true,
                ..EntryQuery::latest(10)
            },
        )
        .await
        .unwrap();
    assert_eq!(
        keys.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![first.id]
    );

    // An edit from an old revision is refused and changes nothing.
    let stale = stores
        .live
        .edit_entry(first.id, &text("Écrasé"), "<p>Écrasé</p>", 1, None, at(4))
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
    assert_ne!(
        stores.live.entry(first.id).await.unwrap().body_markdown,
        "Écrasé"
    );

    // A deleted entry is gone from the live and kept in its history.
    stores
        .live
        .delete_entry(other.id, Some(other.revision + 1), None, at(5))
        .await
        .unwrap();
    let after = stores
        .live
        .entries(article.id, EntryQuery::latest(100))
        .await
        .unwrap();
    assert_eq!(after.len(), 39);
    assert!(after.iter().all(|e| e.id != other.id));
    assert!(
        stores
            .live
            .pinned_entry(article.id)
            .await
            .unwrap()
            .is_none()
    );
    let history = stores.live.entry_revisions(other.id).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|r| r.action.as_str())
            .collect::<Vec<_>>(),
        ["create", "edit", "delete"]
    );
    assert_eq!(history[0].content.body_markdown, other.body_markdown);
    assert!(matches!(
        stores.live.delete_entry(other.id, None, None, at(5)).await,
        Err(StoreError::NotFound)
    ));
    // Newer than a number, for the readers' "new entries" button.
    let newer = stores
        .live
        .entries(
            article.id,
            EntryQuery {
                after_seq: Some(37),
                ..EntryQuery::latest(10)
            },
        )
        .await
        .unwrap();
    assert_eq!(newer.iter().map(|e| e.seq).collect::<Vec<_>>(), [39, 38]);

    // Closed: no more entries, until it is opened again.
    stores
        .live
        .set_live_closed(article.id, Some(at(6)))
        .await
        .unwrap();
    let closed = stores.articles.article(article.id).await.unwrap();
    assert_eq!(closed.live.unwrap().closed_at, Some(at(6)));
    let refused = stores
        .live
        .post_entry(
            article.id,
            &text("Trop tard"),
            "<p>Trop tard</p>",
            None,
            "R",
            at(7),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    stores.live.set_live_closed(article.id, None).await.unwrap();
    let reopened = stores
        .live
        .post_entry(
            article.id,
            &text("Reprise"),
            "<p>Reprise</p>",
            None,
            "R",
            at(8),
        )
        .await
        .unwrap();
    assert_eq!(reopened.seq, 41, "numbers are never reused");

    // A standard article takes no entries.
    let by = crate::newsroom::user(stores, "autre@example.org", Role::Journalist).await;
    let standard = crate::newsroom::draft(stores, "Un article ordinaire", &by).await;
    assert_eq!(standard.kind, ArticleKind::Standard);
    assert!(standard.live.is_none());
    assert!(matches!(
        stores
            .live
            .post_entry(standard.id, &text("Non"), "<p>Non</p>", None, "R", at(9))
            .await,
        Err(StoreError::NotFound)
    ));
}
