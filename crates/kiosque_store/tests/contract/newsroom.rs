//! Contract scenarios of the newsroom: accounts, sessions, tokens, edits, revisions,
//! workflow and jobs.

use chrono::{DateTime, Duration, TimeZone, Utc};
use kiosque_domain::article::{ArticleStatus, Edit, NewArticle, RevisionKind};
use kiosque_domain::section::NewSection;
use kiosque_domain::staff::{NewUser, Role};
use kiosque_domain::store::{AdminQuery, ListQuery, PUBLISH_JOB, Scope};
use kiosque_domain::{Slug, StoreError, Stores, User};

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, h, 0, 0).unwrap()
}

pub(crate) async fn user(stores: &Stores, email: &str, role: Role) -> User {
    let new = NewUser {
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        role,
        password_hash: "$argon2id$fake".into(),
    };
    stores.accounts.create_user(&new, at(8)).await.unwrap()
}

pub(crate) async fn draft(stores: &Stores, headline: &str, by: &User) -> kiosque_domain::Article {
    let new_section = NewSection {
        parent_id: None,
        slug: Slug::parse("monde").unwrap(),
        name: "Monde".into(),
        description: String::new(),
        position: 0,
    };
    let section = match stores.taxonomy.sections().await.unwrap().into_iter().next() {
        Some(s) => s,
        None => stores.taxonomy.create_section(&new_section).await.unwrap(),
    };
    let mut new = NewArticle::draft(headline, section.id);
    new.body_markdown = "Un texte.".into();
    new.created_by = Some(by.id);
    stores.articles.create_article(&new, at(9)).await.unwrap()
}

fn edit(version: i64, kind: RevisionKind, user: &User) -> Edit {
    Edit {
        expected_version: version,
        kind,
        correction_note: None,
        user: Some(user.id),
    }
}

pub async fn accounts_sessions_and_tokens(stores: &Stores) {
    let admin = user(stores, "Chef@Example.org", Role::Admin).await;
    assert_eq!(
        admin.email, "chef@example.org",
        "emails are stored normalised"
    );
    let dup = NewUser {
        email: "chef@example.org ".into(),
        name: "x".into(),
        role: Role::Editor,
        password_hash: "h".into(),
    };
    assert!(matches!(
        stores.accounts.create_user(&dup, at(8)).await,
        Err(StoreError::Duplicate("email"))
    ));
    let (found, hash) = stores
        .accounts
        .user_credentials("CHEF@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.id, hash.as_str()), (admin.id, "$argon2id$fake"));
    assert!(
        stores
            .accounts
            .user_credentials("nobody@example.org")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(stores.accounts.count_admins().await.unwrap(), 1);

    let journalist = user(stores, "lea@example.org", Role::Journalist).await;
    stores
        .accounts
        .create_session("hash-1", journalist.id, "csrf-1", at(9), at(21))
        .await
        .unwrap();
    let session = stores
        .accounts
        .session("hash-1", at(10))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (session.user.id, session.csrf_token.as_str()),
        (journalist.id, "csrf-1")
    );
    assert!(
        stores
            .accounts
            .session("hash-1", at(22))
            .await
            .unwrap()
            .is_none(),
        "expired sessions are gone"
    );
    stores
        .accounts
        .touch_session("hash-1", at(11))
        .await
        .unwrap();
    assert_eq!(
        stores
            .accounts
            .session("hash-1", at(11))
            .await
            .unwrap()
            .unwrap()
            .last_seen_at,
        at(11)
    );

    let token_id = stores
        .accounts
        .create_api_token(journalist.id, "robot", "token-hash", at(9))
        .await
        .unwrap();
    assert_eq!(
        stores
            .accounts
            .user_by_api_token("token-hash", at(10))
            .await
            .unwrap()
            .unwrap()
            .id,
        journalist.id
    );
    assert_eq!(
        stores.accounts.api_tokens(journalist.id).await.unwrap()[0].last_used_at,
        Some(at(10))
    );

    // Deactivation revokes sessions and tokens at once.
    stores
        .accounts
        .set_user_active(journalist.id, false, at(12))
        .await
        .unwrap();
    assert!(
        stores
            .accounts
            .session("hash-1", at(12))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        stores
            .accounts
            .user_by_api_token("token-hash", at(12))
            .await
            .unwrap()
            .is_none()
    );
    stores
        .accounts
        .set_user_active(journalist.id, true, at(13))
        .await
        .unwrap();
    assert!(
        stores
            .accounts
            .user_by_api_token("token-hash", at(13))
            .await
            .unwrap()
            .is_none(),
        "a reactivated user's old tokens stay revoked"
    );
    assert!(matches!(
        stores
            .accounts
            .revoke_api_token(journalist.id, token_id, at(13))
            .await,
        Err(StoreError::NotFound)
    ));

    stores
        .accounts
        .create_session("hash-2", admin.id, "csrf-2", at(9), at(21))
        .await
        .unwrap();
    stores
        .accounts
        .set_password_hash(admin.id, "$argon2id$new")
        .await
        .unwrap();
    assert!(
        stores
            .accounts
            .session("hash-2", at(10))
            .await
            .unwrap()
            .is_none(),
        "a new password ends sessions"
    );
    stores
        .accounts
        .create_session("hash-3", admin.id, "csrf-3", at(9), at(21))
        .await
        .unwrap();
    stores.accounts.delete_session("hash-3").await.unwrap();
    assert!(
        stores
            .accounts
            .session("hash-3", at(10))
            .await
            .unwrap()
            .is_none()
    );

    stores
        .accounts
        .audit(
            Some(admin.id),
            "user.deactivate",
            "lea@example.org",
            "",
            at(12),
        )
        .await
        .unwrap();
    let log = stores.accounts.audit_log(10).await.unwrap();
    assert_eq!(log[0].action, "user.deactivate");
    assert_eq!(log[0].user_name.as_deref(), Some("Chef"));
}

pub async fn stale_edits_are_refused_and_history_is_kept(stores: &Stores) {
    let lea = user(stores, "lea@example.org", Role::Journalist).await;
    let paul = user(stores, "paul@example.org", Role::Editor).await;
    let article = draft(stores, "Premier titre", &lea).await;
    assert_eq!(article.version, 1);
    assert_eq!(article.created_by, Some(lea.id));
    assert_eq!(
        article.preview_token, None,
        "preview links are signed, not stored"
    );

    let mut content = article.content();
    content.headline = "Titre de Léa".into();
    let saved = stores
        .articles
        .update_article(
            article.id,
            &content,
            &edit(1, RevisionKind::Draft, &lea),
            at(10),
        )
        .await
        .unwrap();
    assert_eq!(saved.version, 2);
    assert_eq!(
        saved.slug.as_str(),
        "titre-de-lea",
        "a draft's slug follows its headline"
    );

    // Paul started from version 1 too: his save must not overwrite Léa's.
    let mut stale = article.content();
    stale.headline = "Titre de Paul".into();
    let refused = stores
        .articles
        .update_article(
            article.id,
            &stale,
            &edit(1, RevisionKind::Draft, &paul),
            at(11),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::VersionMismatch { .. })),
        "{refused:?}"
    );
    assert_eq!(
        stores.articles.article(article.id).await.unwrap().headline,
        "Titre de Léa"
    );

    // Autosaves fold into one revision per person.
    let mut v = 2;
    for minute in 0..3 {
        content.body_markdown = format!("Brouillon {minute}");
        v = stores
            .articles
            .update_article(
                article.id,
                &content,
                &edit(v, RevisionKind::Autosave, &lea),
                at(12),
            )
            .await
            .unwrap()
            .version;
    }
    assert_eq!(v, 5);
    let history = stores.articles.revisions(article.id).await.unwrap();
    let kinds: Vec<_> = history.iter().map(|r| (r.version, r.kind)).collect();
    assert_eq!(
        kinds,
        [
            (5, RevisionKind::Autosave),
            (2, RevisionKind::Draft),
            (1, RevisionKind::Create)
        ]
    );
    assert_eq!(history[0].content.body_markdown, "Brouillon 2");
    assert_eq!(history[0].user_name.as_deref(), Some("lea"));
    assert_eq!(history[2].content.headline, "Premier titre");
}

pub async fn publishing_updates_and_corrections(stores: &Stores) {
    let paul = user(stores, "paul@example.org", Role::Editor).await;
    let article = draft(stores, "Un sommet", &paul).await;
    stores
        .articles
        .request_review(article.id, at(9))
        .await
        .unwrap();
    let waiting = stores
        .articles
        .list_admin(&AdminQuery {
            awaiting_review: true,
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        waiting.iter().map(|a| a.id).collect::<Vec<_>>(),
        [article.id]
    );

    // A past publication time is kept (imports, records).
    let published = stores
        .articles
        .publish_article(article.id, at(6), at(10))
        .await
        .unwrap();
    assert_eq!(published.status, ArticleStatus::Published);
    assert_eq!(published.published_at, Some(at(6)));
    assert_eq!(published.review_requested_at, None);
    let waiting = stores
        .articles
        .list_admin(&AdminQuery {
            awaiting_review: true,
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(waiting.is_empty());

    let mut content = published.content();
    content.standfirst = "Une coquille corrigée.".into();
    let minor = stores
        .articles
        .update_article(
            article.id,
            &content,
            &edit(published.version, RevisionKind::Minor, &paul),
            at(11),
        )
        .await
        .unwrap();
    assert_eq!(
        minor.updated_at, None,
        "a minor edit leaves no public trace"
    );
    assert_eq!(minor.slug, published.slug);

    content.headline = "Un sommet reporté".into();
    let update = stores
        .articles
        .update_article(
            article.id,
            &content,
            &edit(minor.version, RevisionKind::Update, &paul),
            at(12),
        )
        .await
        .unwrap();
    assert_eq!(update.updated_at, Some(at(12)));
    assert_eq!(
        update.slug, published.slug,
        "a published article keeps its URL"
    );

    let no_note = stores
        .articles
        .update_article(
            article.id,
            &content,
            &edit(update.version, RevisionKind::Correction, &paul),
            at(13),
        )
        .await;
    assert!(matches!(no_note, Err(StoreError::Invalid(_))));
    let mut correction = edit(update.version, RevisionKind::Correction, &paul);
    correction.correction_note = Some("Le sommet a lieu à Bruxelles, pas à Strasbourg.".into());
    let corrected = stores
        .articles
        .update_article(article.id, &content, &correction, at(14))
        .await
        .unwrap();
    assert_eq!(corrected.updated_at, Some(at(14)));
    assert_eq!(corrected.corrections.len(), 1);
    assert_eq!(corrected.corrections[0].created_at, at(14));
}

pub async fn scheduling_enqueues_a_durable_job(stores: &Stores) {
    let paul = user(stores, "paul@example.org", Role::Editor).await;
    let article = draft(stores, "Plus tard", &paul).await;
    let scheduled = stores
        .articles
        .publish_article(article.id, at(15), at(10))
        .await
        .unwrap();
    assert_eq!(scheduled.status, ArticleStatus::Scheduled);
    let listed = stores
        .articles
        .list_published(&ListQuery::latest(Scope::All, at(16), 10))
        .await
        .unwrap();
    assert!(
        listed.is_empty(),
        "scheduled is not public, even after its time, until the job runs"
    );

    assert!(
        stores
            .jobs
            .claim_due("test", at(14), at(14) + Duration::minutes(1), 10)
            .await
            .unwrap()
            .is_empty(),
        "not due yet"
    );
    let claimed = stores
        .jobs
        .claim_due("test", at(15), at(15) + Duration::minutes(1), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        (claimed[0].kind.as_str(), claimed[0].payload.clone()),
        (PUBLISH_JOB, article.id.0.to_string())
    );
    assert!(
        stores
            .jobs
            .claim_due("test", at(15), at(15) + Duration::minutes(1), 10)
            .await
            .unwrap()
            .is_empty(),
        "claimed once"
    );

    // A worker that died: its claim expires and the job is claimed again.
    let again = stores
        .jobs
        .claim_due("test", at(15) + Duration::minutes(2), at(16), 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 2);
    stores
        .jobs
        .fail(again[0].id, "disk full", Some(at(17)), at(15))
        .await
        .unwrap();
    let troubled = stores.jobs.troubled_jobs(10).await.unwrap();
    assert_eq!(troubled[0].last_error.as_deref(), Some("disk full"));
    let retried = stores
        .jobs
        .claim_due("test", at(17), at(18), 10)
        .await
        .unwrap();
    assert_eq!(retried.len(), 1);
    stores.jobs.complete(retried[0].id, at(17)).await.unwrap();
    assert!(stores.jobs.troubled_jobs(10).await.unwrap().is_empty());

    let other = stores
        .jobs
        .enqueue("noop", "{}", at(9), at(9))
        .await
        .unwrap();
    let job = stores
        .jobs
        .claim_due("test", at(9), at(10), 10)
        .await
        .unwrap();
    assert_eq!(job[0].id, other);
    stores
        .jobs
        .fail(other, "bad payload", None, at(9))
        .await
        .unwrap();
    assert_eq!(
        stores.jobs.troubled_jobs(10).await.unwrap()[0].status,
        "failed"
    );
}

/// Eight workers claiming at once (several nodes on one database): every due job is
/// claimed, none twice; a released job is due again without counting as an attempt.
pub async fn concurrent_workers_claim_each_job_once(stores: &Stores) {
    let now = Utc::now();
    let mut ids = std::collections::BTreeSet::new();
    for n in 0..60 {
        ids.insert(
            stores
                .jobs
                .enqueue("mail", &format!("{{\"n\":{n}}}"), now, now)
                .await
                .unwrap(),
        );
    }
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let jobs = stores.jobs.clone();
            tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let claimed = jobs
                        .claim_due(&format!("worker-{w}"), now, now + Duration::minutes(1), 3)
                        .await
                        .unwrap();
                    if claimed.is_empty() {
                        return mine;
                    }
                    mine.extend(claimed.into_iter().map(|j| (j.id, j.attempts)));
                }
            })
        })
        .collect();
    let mut claimed = Vec::new();
    for worker in workers {
        claimed.extend(worker.await.unwrap());
    }
    assert_eq!(claimed.len(), 60, "each job claimed exactly once");
    assert!(claimed.iter().all(|(_, attempts)| *attempts == 1));
    let distinct: std::collections::BTreeSet<i64> = claimed.iter().map(|(id, _)| *id).collect();
    assert_eq!(distinct, ids);
    assert_eq!(
        stores.jobs.queue_stats(now).await.unwrap().0,
        0,
        "none left due"
    );

    // A worker shutting down gives one back: due again, same attempt count.
    let given_back = *ids.iter().next().unwrap();
    stores.jobs.release(given_back, now).await.unwrap();
    let (due, oldest) = stores.jobs.queue_stats(now).await.unwrap();
    assert_eq!(due, 1);
    assert_eq!(oldest.unwrap().timestamp(), now.timestamp());
    let again = stores
        .jobs
        .claim_due("worker-9", now, now + Duration::minutes(1), 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].id, again[0].attempts), (given_back, 1));
    // An expired claim (its worker died) is due again, and is an attempt.
    let later = now + Duration::minutes(2);
    assert_eq!(stores.jobs.queue_stats(later).await.unwrap().0, 60);
}

pub async fn the_admin_list_filters_and_pages(stores: &Stores) {
    let lea = user(stores, "lea@example.org", Role::Journalist).await;
    let paul = user(stores, "paul@example.org", Role::Editor).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let by = if i % 2 == 0 { &lea } else { &paul };
        ids.push(
            draft(stores, &format!("Dépêche numéro {i} 100%_vrai"), by)
                .await
                .id,
        );
    }
    stores
        .articles
        .publish_article(ids[4], at(9), at(10))
        .await
        .unwrap();
    let q = |query: AdminQuery| async move {
        stores
            .articles
            .list_admin(&AdminQuery { limit: 50, ..query })
            .await
            .unwrap()
    };
    assert_eq!(q(AdminQuery::default()).await.len(), 5);
    assert_eq!(
        q(AdminQuery {
            created_by: Some(lea.id),
            ..Default::default()
        })
        .await
        .len(),
        3
    );
    assert_eq!(
        q(AdminQuery {
            status: Some(ArticleStatus::Published),
            ..Default::default()
        })
        .await[0]
            .id,
        ids[4]
    );
    let found = q(AdminQuery {
        text: Some("NUMÉRO 3".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(found.iter().map(|a| a.id).collect::<Vec<_>>(), [ids[3]]);
    assert_eq!(
        q(AdminQuery {
            text: Some("100%_".into()),
            ..Default::default()
        })
        .await
        .len(),
        5,
        "LIKE wildcards are literal"
    );
    assert_eq!(
        q(AdminQuery {
            text: Some("%".into()),
            ..Default::default()
        })
        .await
        .len(),
        5
    );
    assert!(
        q(AdminQuery {
            text: Some("_x".into()),
            ..Default::default()
        })
        .await
        .is_empty()
    );
    assert_eq!(found[0].created_by_name.as_deref(), Some("paul"));

    let mut seen = Vec::new();
    let mut query = AdminQuery {
        limit: 2,
        ..Default::default()
    };
    loop {
        let page = stores.articles.list_admin(&query).await.unwrap();
        let Some(last) = page.last() else { break };
        query.before = Some((last.modified_at, last.id));
        seen.extend(page.iter().map(|a| a.id));
    }
    seen.sort();
    assert_eq!(seen, ids);
}

pub async fn related_articles_share_tags_or_section(stores: &Stores) {
    let editor = user(stores, "related@example.org", Role::Editor).await;
    let base = draft(stores, "Base", &editor).await;
    let section = base.section.id;
    let other_section = stores
        .taxonomy
        .create_section(&NewSection {
            parent_id: None,
            slug: Slug::parse("sport").unwrap(),
            name: "Sport".into(),
            description: String::new(),
            position: 1,
        })
        .await
        .unwrap()
        .id;
    let publish = |headline: &'static str, section, tags: &'static [&'static str], hour: u32| {
        let stores = stores.clone();
        async move {
            let mut new = NewArticle::draft(headline, section);
            new.body_markdown = "Texte.".into();
            new.tags = tags.iter().map(|t| (*t).to_owned()).collect();
            let a = stores
                .articles
                .create_article(&new, at(hour))
                .await
                .unwrap();
            stores
                .articles
                .publish_article(a.id, at(hour), at(hour))
                .await
                .unwrap()
        }
    };
    let subject = publish("Le sujet", section, &["Climat", "Océans"], 10).await;
    let two_tags = publish(
        "Deux mots-clés communs",
        other_section,
        &["Climat", "Océans"],
        11,
    )
    .await;
    let one_tag = publish("Un mot-clé commun", other_section, &["Océans"], 12).await;
    let same_section = publish("Même rubrique", section, &[], 13).await;
    let unrelated = publish("Sans rapport", other_section, &["Football"], 14).await;
    let _draft = draft(stores, "Brouillon", &editor).await;
    let subject = stores.articles.article(subject.id).await.unwrap();
    let related = stores
        .articles
        .related_articles(&subject, at(20), at(0), 10)
        .await
        .unwrap();
    let ids: Vec<_> = related.iter().map(|a| a.id).collect();
    assert_eq!(
        ids,
        [two_tags.id, one_tag.id, same_section.id],
        "most shared tags first"
    );
    assert!(!ids.contains(&subject.id) && !ids.contains(&unrelated.id) && !ids.contains(&base.id));
    let limited = stores
        .articles
        .related_articles(&subject, at(20), at(12), 10)
        .await
        .unwrap();
    assert_eq!(
        limited.iter().map(|a| a.id).collect::<Vec<_>>(),
        [one_tag.id, same_section.id],
        "only since the given time"
    );
}

/// What an action creates on the way (a section path, contributors) is written in the
/// action's transaction: a refused create or edit leaves none of it behind, an
/// accepted one links them in byline order.
pub async fn creations_live_and_die_with_their_article(stores: &Stores) {
    use kiosque_domain::lifecycle::Creations;
    use kiosque_domain::{ContributorKind, NewContributor};
    let lea = user(stores, "lea@example.org", Role::Editor).await;
    let article = draft(stores, "Un titre", &lea).await;
    let monde = article.section.id;
    let creations = Creations {
        sections: vec![NewSection {
            parent_id: Some(monde),
            slug: Slug::parse("asie").unwrap(),
            name: "Asie".into(),
            description: String::new(),
            position: 100,
        }],
        contributors: vec![(
            0,
            NewContributor {
                kind: ContributorKind::Person,
                name: "Nouvelle Plume".into(),
                slug: Slug::parse("nouvelle-plume").unwrap(),
                bio: String::new(),
            },
        )],
    };
    let count = || async {
        (
            stores.taxonomy.sections().await.unwrap().len(),
            stores.people.contributors().await.unwrap().len(),
        )
    };
    let before = count().await;
    // Refused for its empty headline: nothing created.
    let mut bad = article.content();
    bad.headline = "  ".into();
    let refused = stores
        .articles
        .update_article_with(
            article.id,
            &bad,
            &creations,
            &edit(1, RevisionKind::Draft, &lea),
            at(10),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    assert_eq!(count().await, before);
    // Refused as stale: nothing created either.
    let stale = stores
        .articles
        .update_article_with(
            article.id,
            &article.content(),
            &creations,
            &edit(7, RevisionKind::Draft, &lea),
            at(10),
        )
        .await;
    assert!(
        matches!(
            stale,
            Err(StoreError::VersionMismatch {
                stored: Some(1),
                expected: 7
            })
        ),
        "{stale:?}"
    );
    assert_eq!(count().await, before);
    let refused_new = stores
        .articles
        .create_article_with(&bad, &creations, at(10))
        .await;
    assert!(matches!(refused_new, Err(StoreError::Invalid(_))));
    assert_eq!(count().await, before);
    // Accepted: the article moves to the new section with the new byline.
    let saved = stores
        .articles
        .update_article_with(
            article.id,
            &article.content(),
            &creations,
            &edit(1, RevisionKind::Draft, &lea),
            at(10),
        )
        .await
        .unwrap();
    assert_eq!(saved.section.path, "monde/asie");
    assert_eq!(saved.contributors[0].name, "Nouvelle Plume");
    assert_eq!(count().await, (before.0 + 1, before.1 + 1));
}

/// Rate-limit events and editors' presence are shared by every node through the
/// database.
pub async fn throttles_and_presence_are_shared(stores: &Stores) {
    use kiosque_domain::{ArticleId, UserId};
    let s = &stores.shared;
    for minute in 0..3 {
        s.record_event("k", at(9) + Duration::minutes(minute))
            .await
            .unwrap();
    }
    assert_eq!(s.count_events("k", at(9)).await.unwrap(), 3);
    assert_eq!(
        s.count_events("k", at(9) + Duration::minutes(2))
            .await
            .unwrap(),
        1
    );
    let j = [("j".to_owned(), 2, at(9))];
    assert!(s.take_events(&j, at(9)).await.unwrap());
    assert!(s.take_events(&j, at(9)).await.unwrap());
    assert!(!s.take_events(&j, at(9)).await.unwrap(), "the limit holds");
    // All or nothing: "j" is full, so "m" is not counted either.
    let both = [("m".to_owned(), 5, at(9)), ("j".to_owned(), 2, at(9))];
    assert!(!s.take_events(&both, at(9)).await.unwrap());
    assert_eq!(s.count_events("m", at(9)).await.unwrap(), 0);
    assert!(s.take_events(&both[..1], at(9)).await.unwrap());
    assert_eq!(s.count_events("m", at(9)).await.unwrap(), 1);
    s.clear_events("m").await.unwrap();
    s.clear_events("k").await.unwrap();
    assert_eq!(s.count_events("k", at(8)).await.unwrap(), 0);
    assert_eq!(s.prune_events(at(10)).await.unwrap(), 2);

    let a = ArticleId(5);
    assert_eq!(
        s.ping_presence(a, UserId(1), "Léa", at(9)).await.unwrap(),
        None
    );
    s.ping_presence(a, UserId(2), "Paul", at(9)).await.unwrap();
    let present = s.present(a, at(9)).await.unwrap();
    assert_eq!(present.len(), 2);
    s.take_over(a, UserId(2), "Paul", at(9)).await.unwrap();
    assert_eq!(
        s.ping_presence(a, UserId(1), "Léa", at(9))
            .await
            .unwrap()
            .as_deref(),
        Some("Paul")
    );
    assert_eq!(
        s.ping_presence(a, UserId(1), "Léa", at(9)).await.unwrap(),
        None,
        "told once"
    );
    s.leave_presence(a, UserId(1)).await.unwrap();
    assert_eq!(s.present(a, at(9)).await.unwrap().len(), 1);
    assert!(s.present(a, at(10)).await.unwrap().is_empty(), "gone quiet");
}
