//! Contract scenarios of reader accounts and comments.

use crate::newsroom::{draft, user};
use chrono::{DateTime, TimeZone, Utc};
use kiosque_domain::comment::{
    CommentId, CommentStatus, Decision, DeletionPolicy, NewComment, NewReader, Queue, Reader,
    ReaderAction, Sort, TokenPurpose,
};
use kiosque_domain::{ArticleId, Role, StoreError, Stores};

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, h, m, 0).unwrap()
}

async fn reader(stores: &Stores, email: &str, name: &str) -> Reader {
    let reader = stores
        .readers
        .create_reader(
            &NewReader {
                email: email.into(),
                display_name: name.into(),
                password_hash: "$argon2id$fake".into(),
            },
            at(9, 0),
        )
        .await
        .unwrap();
    stores
        .readers
        .mark_reader_verified(reader.id, at(9, 0))
        .await
        .unwrap();
    stores.readers.reader(reader.id).await.unwrap()
}

fn post(
    article: ArticleId,
    by: &Reader,
    parent: Option<CommentId>,
    reply_to: Option<CommentId>,
    body: &str,
) -> NewComment {
    NewComment {
        article_id: article,
        reader_id: by.id,
        parent_id: parent,
        reply_to,
        body: body.into(),
        status: CommentStatus::Approved,
        queued_because: None,
    }
}

pub async fn reader_accounts_links_and_sessions(stores: &Stores) {
    let lea = reader(stores, "lea@example.org", "Léa").await;
    assert!(lea.verified && lea.staff.is_none());
    let taken = stores
        .readers
        .create_reader(
            &NewReader {
                email: "lea@example.org".into(),
                display_name: "Autre".into(),
                password_hash: "x".into(),
            },
            at(9, 0),
        )
        .await;
    assert!(
        matches!(taken, Err(StoreError::Duplicate("email"))),
        "{taken:?}"
    );
    let (found, hash) = stores
        .readers
        .reader_credentials("lea@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.id, hash.as_deref()),
        (lea.id, Some("$argon2id$fake"))
    );
    assert!(
        stores
            .readers
            .reader_credentials("x@y.fr")
            .await
            .unwrap()
            .is_none()
    );

    // Single-use, expiring links; a newer link of the same purpose replaces the older.
    let r = &stores.readers;
    r.create_reader_token("old", lea.id, TokenPurpose::Reset, None, at(10, 0))
        .await
        .unwrap();
    r.create_reader_token("new", lea.id, TokenPurpose::Reset, None, at(10, 1))
        .await
        .unwrap();
    assert_eq!(
        r.take_reader_token("old", TokenPurpose::Reset, at(10, 2))
            .await
            .unwrap(),
        None
    );
    assert!(
        r.peek_reader_token("new", TokenPurpose::Reset, at(10, 2))
            .await
            .unwrap()
    );
    assert_eq!(
        r.take_reader_token("new", TokenPurpose::Magic, at(10, 2))
            .await
            .unwrap(),
        None,
        "a link is only good for its purpose"
    );
    assert_eq!(
        r.take_reader_token("new", TokenPurpose::Reset, at(10, 2))
            .await
            .unwrap(),
        Some((lea.id, None))
    );
    assert_eq!(
        r.take_reader_token("new", TokenPurpose::Reset, at(10, 3))
            .await
            .unwrap(),
        None,
        "single use"
    );
    r.create_reader_token("late", lea.id, TokenPurpose::Reset, None, at(10, 0))
        .await
        .unwrap();
    assert_eq!(
        r.take_reader_token("late", TokenPurpose::Reset, at(11, 1))
            .await
            .unwrap(),
        None,
        "expired"
    );
    r.create_reader_token(
        "mail",
        lea.id,
        TokenPurpose::ChangeEmail,
        Some("lea@new.example"),
        at(10, 0),
    )
    .await
    .unwrap();
    assert_eq!(
        r.take_reader_token("mail", TokenPurpose::ChangeEmail, at(10, 5))
            .await
            .unwrap(),
        Some((lea.id, Some("lea@new.example".into())))
    );
    r.set_reader_email(lea.id, "lea@new.example").await.unwrap();
    let paul = reader(stores, "paul@example.org", "Paul").await;
    assert!(matches!(
        r.set_reader_email(paul.id, "lea@new.example").await,
        Err(StoreError::Duplicate("email"))
    ));

    // Sessions.
    r.create_reader_session("s1", lea.id, "csrf1", at(10, 0), at(20, 0))
        .await
        .unwrap();
    r.create_reader_session("s2", lea.id, "csrf2", at(10, 0), at(20, 0))
        .await
        .unwrap();
    let session = r.reader_session("s1", at(11, 0)).await.unwrap().unwrap();
    assert_eq!(
        (session.reader.id, session.csrf_token.as_str()),
        (lea.id, "csrf1")
    );
    assert!(
        r.reader_session("s1", at(21, 0)).await.unwrap().is_none(),
        "expired"
    );
    r.delete_reader_sessions(lea.id).await.unwrap();
    assert!(
        r.reader_session("s2", at(11, 0)).await.unwrap().is_none(),
        "all revoked"
    );

    // Staff comment under their own identity, with their role.
    let moderator = user(stores, "modo@example.org", Role::Moderator).await;
    let staff = r.reader_for_staff(&moderator, at(10, 0)).await.unwrap();
    assert_eq!(staff.staff, Some((moderator.id, Role::Moderator)));
    assert_eq!(
        r.reader_for_staff(&moderator, at(10, 1)).await.unwrap().id,
        staff.id
    );

    // Moderation of people, logged.
    r.moderate_reader(
        paul.id,
        &ReaderAction::Suspend {
            until: at(18, 0),
            reason: "insultes".into(),
        },
        moderator.id,
        at(12, 0),
    )
    .await
    .unwrap();
    r.moderate_reader(
        paul.id,
        &ReaderAction::Premoderate(true),
        moderator.id,
        at(12, 1),
    )
    .await
    .unwrap();
    r.moderate_reader(
        paul.id,
        &ReaderAction::Warn("ton".into()),
        moderator.id,
        at(12, 2),
    )
    .await
    .unwrap();
    let paul = r.reader(paul.id).await.unwrap();
    assert_eq!(paul.suspended_until, Some(at(18, 0)));
    assert!(paul.always_premoderate);
    assert_eq!(paul.warnings, 1);
    r.moderate_reader(
        paul.id,
        &ReaderAction::Ban("spam".into()),
        moderator.id,
        at(12, 3),
    )
    .await
    .unwrap();
    assert_eq!(
        r.reader(paul.id).await.unwrap().banned_reason.as_deref(),
        Some("spam")
    );
    r.moderate_reader(paul.id, &ReaderAction::Reinstate, moderator.id, at(12, 4))
        .await
        .unwrap();
    let paul = r.reader(paul.id).await.unwrap();
    assert_eq!((paul.banned_reason, paul.suspended_until), (None, None));
    let log = stores.comments.moderation_log(10).await.unwrap();
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["reinstate", "ban", "warn", "premoderate", "suspend"]
    );
    assert_eq!(log[1].moderator.as_deref(), Some("modo"));
    assert_eq!(log[1].reader_name.as_deref(), Some("Paul"));
    assert_eq!(log[1].reason, "spam");
    assert_eq!(r.find_readers("PAUL", 10).await.unwrap().len(), 1);
}

pub async fn threads_likes_reports_and_moderation(stores: &Stores) {
    let editor = user(stores, "chef@example.org", Role::Editor).await;
    let article = draft(stores, "Un article", &editor).await.id;
    let lea = reader(stores, "lea@example.org", "Léa").await;
    let paul = reader(stores, "paul@example.org", "Paul").await;
    let c = &stores.comments;
    let first = c
        .post_comment(&post(article, &lea, None, None, "Premier"), at(10, 0))
        .await
        .unwrap();
    let second = c
        .post_comment(&post(article, &paul, None, None, "Second"), at(10, 1))
        .await
        .unwrap();
    let reply = c
        .post_comment(
            &post(article, &paul, Some(first.id), None, "Réponse"),
            at(10, 2),
        )
        .await
        .unwrap();
    let deeper = c
        .post_comment(
            &post(
                article,
                &lea,
                Some(first.id),
                Some(reply.id),
                "Réponse à la réponse",
            ),
            at(10, 3),
        )
        .await
        .unwrap();
    assert_eq!(deeper.reply_to, Some((reply.id, "Paul".into())));
    assert_eq!(deeper.author.as_ref().unwrap().name, "Léa");
    let mut pending = post(article, &paul, None, None, "En attente");
    pending.status = CommentStatus::Pending;
    pending.queued_because = Some("holds a link".into());
    let pending = c.post_comment(&pending, at(10, 4)).await.unwrap();

    let page = c.thread(article, Sort::Newest, 0).await.unwrap();
    assert_eq!(
        (page.total, page.roots_total),
        (4, 2),
        "pending comments are not counted"
    );
    assert_eq!(
        page.roots.iter().map(|c| c.id).collect::<Vec<_>>(),
        [second.id, first.id]
    );
    assert_eq!(
        page.replies.iter().map(|c| c.id).collect::<Vec<_>>(),
        [reply.id, deeper.id]
    );
    assert_eq!(page.reply_counts, [(first.id, 2)]);
    let oldest = c.thread(article, Sort::Oldest, 0).await.unwrap();
    assert_eq!(oldest.roots[0].id, first.id);
    assert_eq!(c.comment_count(article).await.unwrap(), 4);
    assert_eq!(
        c.pending_for(article, paul.id).await.unwrap()[0].id,
        pending.id
    );
    assert!(c.pending_for(article, lea.id).await.unwrap().is_empty());
    assert_eq!(
        c.thread(article, Sort::Newest, 1)
            .await
            .unwrap()
            .roots
            .len(),
        0
    );
    assert_eq!(c.replies(first.id).await.unwrap().len(), 2);

    // One like per account; a second click takes it back.
    assert!(c.toggle_like(second.id, lea.id).await.unwrap());
    assert!(c.toggle_like(second.id, paul.id).await.unwrap());
    assert!(!c.toggle_like(second.id, paul.id).await.unwrap());
    assert!(c.toggle_like(first.id, paul.id).await.unwrap());
    assert!(c.toggle_like(second.id, paul.id).await.unwrap());
    assert_eq!(c.comment(second.id).await.unwrap().like_count, 2);
    assert_eq!(
        c.liked_by(lea.id, &[first.id, second.id]).await.unwrap(),
        [second.id]
    );
    let liked = c.thread(article, Sort::Liked, 0).await.unwrap();
    assert_eq!(liked.roots[0].id, second.id);

    // History for the moderation rules.
    let fp = kiosque_domain::comment::body_fingerprint("premier !");
    assert_eq!(
        c.author_history(lea.id, &fp, at(9, 0)).await.unwrap(),
        (2, true)
    );
    assert_eq!(
        c.author_history(lea.id, &fp, at(10, 30)).await.unwrap(),
        (2, false)
    );

    // Reports: one per reader, counted with their reasons.
    assert!(
        c.report_comment(second.id, lea.id, "spam", at(11, 0))
            .await
            .unwrap()
    );
    assert!(
        !c.report_comment(second.id, lea.id, "spam", at(11, 1))
            .await
            .unwrap()
    );
    let modo = user(stores, "modo@example.org", Role::Moderator).await;
    let modo_reader = stores
        .readers
        .reader_for_staff(&modo, at(11, 0))
        .await
        .unwrap();
    assert!(
        c.report_comment(second.id, modo_reader.id, "spam", at(11, 2))
            .await
            .unwrap()
    );
    let reported = c.moderation_queue(Queue::Reported, 10).await.unwrap();
    assert_eq!(reported.len(), 1);
    assert_eq!(reported[0].reports, [("spam".to_owned(), 2)]);
    assert_eq!(reported[0].headline, "Un article");
    let queue = c.moderation_queue(Queue::Pending, 10).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].queued_because.as_deref(), Some("holds a link"));
    assert_eq!(c.pending_count().await.unwrap(), 1);

    // Decisions, logged; approving a reported comment clears its reports.
    let changed = c
        .moderate_comments(
            &[pending.id, second.id],
            &Decision::Approve,
            modo.id,
            at(12, 0),
        )
        .await
        .unwrap();
    assert_eq!(
        changed
            .iter()
            .map(|(c, was)| (c.id, c.status, *was))
            .collect::<Vec<_>>(),
        [
            (pending.id, CommentStatus::Approved, CommentStatus::Pending),
            (second.id, CommentStatus::Approved, CommentStatus::Approved)
        ]
    );
    assert!(
        c.moderation_queue(Queue::Reported, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let again = c
        .moderate_comments(&[pending.id], &Decision::Approve, modo.id, at(12, 1))
        .await
        .unwrap();
    assert!(again.is_empty(), "approving twice changes nothing");
    let rejected = c
        .moderate_comments(
            &[reply.id],
            &Decision::Reject("hors sujet".into()),
            modo.id,
            at(12, 2),
        )
        .await
        .unwrap();
    assert_eq!(rejected[0].0.reject_reason.as_deref(), Some("hors sujet"));
    c.moderate_comments(&[first.id], &Decision::Feature, modo.id, at(12, 3))
        .await
        .unwrap();
    assert_eq!(c.featured(article).await.unwrap()[0].id, first.id);
    let log = c.moderation_log(10).await.unwrap();
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["feature", "reject", "approve", "approve"]
    );
    assert_eq!(log[1].reason, "hors sujet");
    assert_eq!(c.comment_count(article).await.unwrap(), 4);

    // Edits and deletions by the author.
    c.edit_comment(
        first.id,
        "Premier, corrigé",
        CommentStatus::Approved,
        at(10, 4),
    )
    .await
    .unwrap();
    let edited = c.comment(first.id).await.unwrap();
    assert_eq!(
        (edited.body.as_str(), edited.edited_at),
        ("Premier, corrigé", Some(at(10, 4)))
    );
    c.delete_comment(second.id).await.unwrap();
    assert_eq!(
        c.comment(second.id).await.unwrap().status,
        CommentStatus::Deleted
    );
    assert!(
        c.edit_comment(second.id, "x", CommentStatus::Approved, at(10, 5))
            .await
            .is_err()
    );

    // Imports keep order and times, and count like posts.
    let imported = stores
        .readers
        .import_readers(
            &[NewReader {
                email: "gen1@example.org".into(),
                display_name: "Gen".into(),
                password_hash: "x".into(),
            }],
            at(9, 0),
        )
        .await
        .unwrap();
    let gen_reader = stores.readers.reader(imported[0]).await.unwrap();
    assert!(gen_reader.verified);
    let batch = vec![
        (
            post(article, &gen_reader, None, None, "Importé 1"),
            at(8, 0),
        ),
        (
            post(article, &gen_reader, None, None, "Importé 2"),
            at(8, 1),
        ),
    ];
    let ids = c.import_comments(&batch).await.unwrap();
    assert_eq!(ids.len(), 2);
    assert!(ids[0] < ids[1]);
    assert_eq!(c.comment(ids[1]).await.unwrap().created_at, at(8, 1));
    assert_eq!(c.comment_count(article).await.unwrap(), 5);

    // Account deletion: anonymised by default, removed under the other policy.
    assert_eq!(c.reader_comments(lea.id, 10).await.unwrap().len(), 2);
    stores
        .readers
        .delete_reader(lea.id, DeletionPolicy::Anonymise)
        .await
        .unwrap();
    let kept = c.comment(first.id).await.unwrap();
    assert_eq!((kept.author, kept.status), (None, CommentStatus::Approved));
    stores
        .readers
        .delete_reader(paul.id, DeletionPolicy::Remove)
        .await
        .unwrap();
    let removed = c.comment(pending.id).await.unwrap();
    assert_eq!(
        (removed.status, removed.body.as_str()),
        (CommentStatus::Deleted, "")
    );
    assert_eq!(
        c.comment(first.id).await.unwrap().like_count,
        0,
        "the deleted reader's like goes"
    );
    assert!(matches!(
        stores.readers.reader(paul.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        stores
            .readers
            .delete_reader(paul.id, DeletionPolicy::Remove)
            .await,
        Err(StoreError::NotFound)
    ));
}
