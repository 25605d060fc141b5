//! The scenarios every backend must pass.

use chrono::{DateTime, Duration, TimeZone, Utc};
use kiosque_domain::article::{ArticleStatus, NewArticle, NewLeadImage};
use kiosque_domain::media::{FocalPoint, MediaDetails, NewMedia, Rendition};
use kiosque_domain::people::{ContributorKind, NewContributor};
use kiosque_domain::section::NewSection;
use kiosque_domain::store::{ListQuery, Scope};
use kiosque_domain::{ArticleId, MediaId, Section, Slug, StoreError, Stores};

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

async fn section(stores: &Stores, parent: Option<&Section>, slug: &str, name: &str) -> Section {
    let new = NewSection {
        parent_id: parent.map(|p| p.id),
        slug: Slug::parse(slug).unwrap(),
        name: name.into(),
        description: String::new(),
        position: 0,
    };
    stores.taxonomy.create_section(&new).await.unwrap()
}

async fn contributor(
    stores: &Stores,
    kind: ContributorKind,
    name: &str,
    slug: &str,
) -> kiosque_domain::Contributor {
    let new = NewContributor {
        kind,
        name: name.into(),
        slug: Slug::parse(slug).unwrap(),
        bio: "Journaliste.".into(),
    };
    stores.people.create_contributor(&new).await.unwrap()
}

fn published(headline: &str, section: &Section, at: DateTime<Utc>) -> NewArticle {
    let mut new = NewArticle::draft(headline, section.id);
    new.status = ArticleStatus::Published;
    new.published_at = Some(at);
    new
}

pub async fn sections_form_a_tree(stores: &Stores) {
    let monde = section(stores, None, "monde", "Monde").await;
    let europe = section(stores, Some(&monde), "europe", "Europe").await;
    assert_eq!(monde.path, "monde");
    assert_eq!(europe.path, "monde/europe");
    assert_eq!(europe.parent_id, Some(monde.id));

    let all = stores.taxonomy.sections().await.unwrap();
    assert_eq!(all.len(), 2);

    let duplicate = NewSection {
        parent_id: None,
        slug: Slug::parse("monde").unwrap(),
        name: "Monde bis".into(),
        description: String::new(),
        position: 1,
    };
    assert!(matches!(
        stores.taxonomy.create_section(&duplicate).await,
        Err(StoreError::Duplicate(_))
    ));
}

pub async fn articles_round_trip_with_their_parts(stores: &Stores) {
    let monde = section(stores, None, "monde", "Monde").await;
    let europe = section(stores, Some(&monde), "europe", "Europe").await;
    let zoe = contributor(stores, ContributorKind::Person, "Zoé Arnaud", "zoe-arnaud").await;
    let adam = contributor(stores, ContributorKind::Person, "Adam Blin", "adam-blin").await;
    let desk = contributor(
        stores,
        ContributorKind::Desk,
        "Kiosque Info",
        "kiosque-info",
    )
    .await;
    let media = stores
        .media
        .create_media(
            &NewMedia {
                storage_key: "2026/11/sommet.jpg".into(),
                mime: "image/jpeg".into(),
                width: 1200,
                height: 675,
                byte_size: 81_234,
                alt: "La salle".into(),
                credit: "A. B. / KIOSQUE".into(),
                copyright: String::new(),
                renditions: vec![],
            },
            at(2026, 11, 1, 8, 0),
        )
        .await
        .unwrap();

    let published_at = at(2018, 4, 2, 11, 5);
    let updated_at = at(2018, 4, 2, 13, 20);
    let mut new = published("Un sommet reporté à l'automne", &europe, published_at);
    new.kicker = Some("Diplomatie".into());
    new.standfirst = "Les dirigeants se retrouveront en octobre.".into();
    new.body_markdown = "Premier paragraphe.\n\n## La suite\n\nDeux mots.".into();
    // Byline order is not alphabetical and not id order: it must survive as given.
    new.contributors = vec![zoe.id, desk.id, adam.id];
    new.agencies = vec!["AFP".into(), "Reuters".into()];
    new.tags = vec!["Union européenne".into(), "Diplomatie".into()];
    new.lead_image = Some(NewLeadImage {
        media_id: media.id,
        alt: "Les délégués dans la salle".into(),
        caption: "La salle du conseil, à Bruxelles.".into(),
        credit: "JEANNE MARTIN / AFP".into(),
    });
    new.updated_at = Some(updated_at);
    new.comments_open = false;
    let created_at = at(2018, 4, 2, 10, 0);
    let article = stores
        .articles
        .create_article(&new, created_at)
        .await
        .unwrap();

    let loaded = stores.articles.article(article.id).await.unwrap();
    assert_eq!(loaded, article);
    assert_eq!(loaded.slug.as_str(), "un-sommet-reporte-a-l-automne");
    assert_eq!(
        loaded.canonical_path(),
        format!(
            "/monde/europe/un-sommet-reporte-a-l-automne_{}.html",
            loaded.id
        )
    );
    assert_eq!(loaded.kicker.as_deref(), Some("Diplomatie"));
    assert_eq!(loaded.section.path, "monde/europe");
    let names: Vec<_> = loaded
        .contributors
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["Zoé Arnaud", "Kiosque Info", "Adam Blin"]);
    assert_eq!(loaded.contributors[1].kind, ContributorKind::Desk);
    let agencies: Vec<_> = loaded.agencies.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(agencies, ["AFP", "Reuters"]);
    let tags: Vec<_> = loaded.tags.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(tags, ["union-europeenne", "diplomatie"]);
    let lead = loaded.lead_image.as_ref().unwrap();
    assert_eq!(lead.media.id, media.id);
    assert_eq!((lead.media.width, lead.media.height), (1200, 675));
    assert_eq!(lead.credit, "JEANNE MARTIN / AFP");
    assert_eq!(loaded.published_at, Some(published_at));
    assert_eq!(loaded.updated_at, Some(updated_at));
    assert_eq!(loaded.visible_update(), Some(updated_at));
    assert_eq!(loaded.created_at, created_at);
    assert_eq!(loaded.modified_at, created_at);
    assert!(!loaded.comments_open);
    assert_eq!(loaded.version, 1);
    assert_eq!(loaded.word_count, 6);

    assert!(matches!(
        stores.articles.article(ArticleId(987_654)).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn bodies_are_rendered_and_sanitised_on_the_way_in(stores: &Stores) {
    let s = section(stores, None, "sciences", "Sciences").await;
    let mut new = published("Une faille", &s, at(2026, 1, 1, 9, 0));
    new.body_markdown =
        "Le code `<script>alert(1)</script>` et <script>alert(2)</script>.\n\n> Une citation"
            .into();
    let article = stores
        .articles
        .create_article(&new, at(2026, 1, 1, 9, 0))
        .await
        .unwrap();
    assert!(
        !article.body_html.contains("<script"),
        "{}",
        article.body_html
    );
    assert!(
        article
            .body_html
            .contains("<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>"),
        "{}",
        article.body_html
    );
    assert!(article.body_html.contains("<blockquote>"));
    assert_eq!(article.body_markdown, new.body_markdown);
}

pub async fn listings_show_only_public_articles_newest_first(stores: &Stores) {
    let s = section(stores, None, "monde", "Monde").await;
    let now = at(2026, 11, 27, 12, 0);
    let old = stores
        .articles
        .create_article(&published("Ancien", &s, now - Duration::days(3)), now)
        .await
        .unwrap();
    let recent = stores
        .articles
        .create_article(&published("Récent", &s, now - Duration::hours(1)), now)
        .await
        .unwrap();
    let mut future = published("Futur", &s, now + Duration::hours(2));
    future.status = ArticleStatus::Scheduled;
    stores.articles.create_article(&future, now).await.unwrap();
    stores
        .articles
        .create_article(
            &published("Publié plus tard", &s, now + Duration::hours(3)),
            now,
        )
        .await
        .unwrap();
    stores
        .articles
        .create_article(&NewArticle::draft("Brouillon", s.id), now)
        .await
        .unwrap();

    let listed = stores
        .articles
        .list_published(&ListQuery::latest(Scope::All, now, 10))
        .await
        .unwrap();
    let ids: Vec<_> = listed.iter().map(|a| a.id).collect();
    assert_eq!(ids, [recent.id, old.id]);
    assert_eq!(listed[0].section_path, "monde");
    assert_eq!(listed[0].canonical_path(), recent.canonical_path());

    // The sitemap index's months: public articles only, newest change of each.
    let mut earlier = published("L'an dernier", &s, at(2025, 12, 31, 23, 30));
    earlier.updated_at = Some(at(2026, 1, 2, 8, 0));
    stores.articles.create_article(&earlier, now).await.unwrap();
    let months = stores.articles.publication_months(now).await.unwrap();
    let mut months: Vec<_> = months.into_iter().collect();
    months.sort_by_key(|(y, m, _)| (*y, *m));
    assert_eq!(
        months,
        vec![
            (2025, 12, at(2026, 1, 2, 8, 0)),
            (2026, 11, now - Duration::hours(1)),
        ]
    );
}

pub async fn listings_are_scoped_and_paginated(stores: &Stores) {
    let monde = section(stores, None, "monde", "Monde").await;
    let europe = section(stores, Some(&monde), "europe", "Europe").await;
    let mondial = section(stores, None, "mondial", "Mondial").await;
    let author = contributor(stores, ContributorKind::Person, "Léa", "lea").await;
    let now = at(2026, 11, 27, 12, 0);
    let same_time = now - Duration::hours(5);
    let mut ids = Vec::new();
    for i in 0..5 {
        let target = if i % 2 == 0 { &europe } else { &monde };
        let mut new = published(&format!("Article {i}"), target, same_time);
        if i == 3 {
            new.tags = vec!["Climat".into()];
            new.contributors = vec![author.id];
        }
        ids.push(stores.articles.create_article(&new, now).await.unwrap().id);
    }
    // A section whose path starts with "monde" but is not under it.
    stores
        .articles
        .create_article(&published("Ailleurs", &mondial, same_time), now)
        .await
        .unwrap();

    let in_scope = |scope| async move {
        stores
            .articles
            .list_published(&ListQuery::latest(scope, now, 50))
            .await
    };
    assert_eq!(
        in_scope(Scope::Section("monde".into()))
            .await
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        in_scope(Scope::Section("monde/europe".into()))
            .await
            .unwrap()
            .len(),
        3
    );
    let climat = stores.taxonomy.tag_by_slug("climat").await.unwrap();
    let tagged = in_scope(Scope::Tag(climat.id)).await.unwrap();
    assert_eq!(tagged.iter().map(|a| a.id).collect::<Vec<_>>(), [ids[3]]);
    let by_author = in_scope(Scope::Contributor(author.id)).await.unwrap();
    assert_eq!(by_author.iter().map(|a| a.id).collect::<Vec<_>>(), [ids[3]]);

    // Same publication time everywhere: the id breaks ties, pages never overlap.
    let mut seen = Vec::new();
    let mut query = ListQuery::latest(Scope::Section("monde".into()), now, 2);
    loop {
        let page = stores.articles.list_published(&query).await.unwrap();
        let Some(last) = page.last() else { break };
        query.before = Some((last.published_at, last.id));
        seen.extend(page.iter().map(|a| a.id));
    }
    let mut expected = ids.clone();
    expected.reverse();
    assert_eq!(seen, expected);
}

pub async fn unpublishing_hides_an_article_but_keeps_it(stores: &Stores) {
    let s = section(stores, None, "politique", "Politique").await;
    let now = at(2026, 11, 27, 12, 0);
    let article = stores
        .articles
        .create_article(&published("Retiré", &s, now - Duration::hours(1)), now)
        .await
        .unwrap();
    stores
        .articles
        .set_article_status(article.id, ArticleStatus::Unpublished, now)
        .await
        .unwrap();
    let listed = stores
        .articles
        .list_published(&ListQuery::latest(Scope::All, now, 10))
        .await
        .unwrap();
    assert!(listed.is_empty());
    let kept = stores.articles.article(article.id).await.unwrap();
    assert_eq!(kept.status, ArticleStatus::Unpublished);
    assert_eq!(kept.version, 2);
    assert!(!kept.is_public_at(now));
    let missing = stores
        .articles
        .set_article_status(ArticleId(424_242), ArticleStatus::Published, now)
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)));
}

pub async fn tags_and_agencies_are_created_once(stores: &Stores) {
    let first = stores.taxonomy.ensure_tag("Élections").await.unwrap();
    let again = stores.taxonomy.ensure_tag("Élections").await.unwrap();
    assert_eq!(first, again);
    assert_eq!(first.slug.as_str(), "elections");
    assert_eq!(
        stores.taxonomy.tag_by_slug("elections").await.unwrap().name,
        "Élections"
    );
    assert!(matches!(
        stores.taxonomy.tag_by_slug("absent").await,
        Err(StoreError::NotFound)
    ));
    let afp = stores.people.ensure_agency("AFP").await.unwrap();
    assert_eq!(stores.people.ensure_agency("AFP").await.unwrap().id, afp.id);
    assert_ne!(
        stores.people.ensure_agency("Reuters").await.unwrap().id,
        afp.id
    );
}

pub async fn media_keep_their_renditions(stores: &Stores) {
    let new = NewMedia {
        storage_key: "a/original.jpg".into(),
        mime: "image/jpeg".into(),
        width: 1600,
        height: 900,
        byte_size: 1234,
        alt: "Un quai".into(),
        credit: "X / KIOSQUE".into(),
        copyright: "© Kiosque 2026".into(),
        renditions: vec![
            Rendition {
                name: "large".into(),
                storage_key: "a/large.jpg".into(),
                mime: "image/jpeg".into(),
                width: 1024,
                height: 576,
            },
            Rendition {
                name: "thumb".into(),
                storage_key: "a/thumb.jpg".into(),
                mime: "image/jpeg".into(),
                width: 480,
                height: 270,
            },
            Rendition {
                name: "thumb-webp".into(),
                storage_key: "a/thumb.webp".into(),
                mime: "image/webp".into(),
                width: 480,
                height: 270,
            },
        ],
    };
    let media = stores
        .media
        .create_media(&new, at(2026, 1, 1, 0, 0))
        .await
        .unwrap();
    assert_eq!(stores.media.media(media.id).await.unwrap(), media);
    assert_eq!(media.copyright, "© Kiosque 2026");
    assert_eq!(media.focal, FocalPoint::CENTRE);
    assert_eq!(
        media
            .renditions_of("image/jpeg")
            .map(|r| r.width)
            .collect::<Vec<_>>(),
        [480, 1024]
    );
    assert_eq!(media.renditions_of("image/webp").count(), 1);
    assert_eq!(media.best_for_width(400).url, "/media/a/thumb.jpg");
    assert_eq!(media.best_for_width(2000).url, "/media/a/original.jpg");
    let again = stores.media.create_media(&new, at(2026, 1, 1, 0, 0)).await;
    assert!(matches!(again, Err(StoreError::Duplicate(_))));
    let second = stores
        .media
        .create_media(
            &NewMedia {
                storage_key: "b/original.jpg".into(),
                renditions: vec![],
                ..new.clone()
            },
            at(2026, 1, 2, 0, 0),
        )
        .await
        .unwrap();
    let library = stores.media.list_media(None, 10).await.unwrap();
    assert_eq!(
        library.iter().map(|m| m.id).collect::<Vec<_>>(),
        [second.id, media.id],
        "newest first"
    );
    assert_eq!(library[1].renditions.len(), 3);
    assert_eq!(
        stores
            .media
            .list_media(Some(second.id), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    stores
        .media
        .update_media(
            media.id,
            &MediaDetails {
                alt: " Le quai, au matin ".into(),
                credit: "Y / KIOSQUE".into(),
                copyright: "© Y".into(),
                focal: FocalPoint::new(0.25, 1.5),
            },
        )
        .await
        .unwrap();
    let updated = stores.media.media(media.id).await.unwrap();
    assert_eq!(
        (
            updated.alt.as_str(),
            updated.credit.as_str(),
            updated.copyright.as_str()
        ),
        ("Le quai, au matin", "Y / KIOSQUE", "© Y")
    );
    assert_eq!(updated.focal, FocalPoint { x: 0.25, y: 1.0 });
    assert!(matches!(
        stores
            .media
            .update_media(MediaId(999_999), &MediaDetails::default())
            .await,
        Err(StoreError::NotFound)
    ));
}

pub async fn site_meta_is_a_small_key_value_store(stores: &Stores) {
    assert_eq!(stores.meta.meta("demo").await.unwrap(), None);
    stores.meta.set_meta("demo", "1").await.unwrap();
    stores.meta.set_meta("demo", "2").await.unwrap();
    assert_eq!(
        stores.meta.meta("demo").await.unwrap().as_deref(),
        Some("2")
    );
    stores.meta.ping().await.unwrap();
    assert_eq!(stores.meta.pending_migrations().await.unwrap(), 0);
    let (open, idle) = stores.meta.pool_usage();
    assert!(open >= 1 && idle <= open, "{open} open, {idle} idle");
}

pub async fn invalid_articles_are_refused(stores: &Stores) {
    let s = section(stores, None, "culture", "Culture").await;
    let mut new = NewArticle::draft("Sans date", s.id);
    new.status = ArticleStatus::Published;
    assert!(matches!(
        stores
            .articles
            .create_article(&new, at(2026, 1, 1, 0, 0))
            .await,
        Err(StoreError::Invalid(_))
    ));
    let mut orphan = NewArticle::draft("Sans rubrique", kiosque_domain::SectionId(999));
    orphan.status = ArticleStatus::Draft;
    assert!(matches!(
        stores
            .articles
            .create_article(&orphan, at(2026, 1, 1, 0, 0))
            .await,
        Err(StoreError::MissingReference(_))
    ));
    let listed = stores
        .articles
        .list_published(&ListQuery::latest(Scope::All, at(2027, 1, 1, 0, 0), 10))
        .await
        .unwrap();
    assert!(
        listed.is_empty(),
        "a refused article must leave nothing behind"
    );
}

pub async fn sections_move_and_keep_their_old_urls(stores: &Stores) {
    let monde = section(stores, None, "monde", "Monde").await;
    let europe = section(stores, Some(&monde), "europe", "Europe").await;
    let update = kiosque_domain::store::SectionUpdate {
        name: "International".into(),
        slug: Slug::parse("international").unwrap(),
        description: "Le monde.".into(),
        position: 3,
    };
    let moved = stores
        .taxonomy
        .update_section(monde.id, &update)
        .await
        .unwrap();
    assert_eq!(
        (moved.path.as_str(), moved.name.as_str(), moved.position),
        ("international", "International", 3)
    );
    let all = stores.taxonomy.sections().await.unwrap();
    assert_eq!(
        all.iter().find(|s| s.id == europe.id).unwrap().path,
        "international/europe",
        "subsections follow"
    );
    assert_eq!(
        stores
            .taxonomy
            .section_redirect("monde")
            .await
            .unwrap()
            .as_deref(),
        Some("international")
    );
    assert_eq!(
        stores
            .taxonomy
            .section_redirect("monde/europe")
            .await
            .unwrap()
            .as_deref(),
        Some("international/europe")
    );
    // Back to the old name: the path is live again, no longer a redirect.
    let back = kiosque_domain::store::SectionUpdate {
        slug: Slug::parse("monde").unwrap(),
        ..update
    };
    stores
        .taxonomy
        .update_section(monde.id, &back)
        .await
        .unwrap();
    assert_eq!(
        stores.taxonomy.section_redirect("monde").await.unwrap(),
        None
    );
    assert_eq!(
        stores
            .taxonomy
            .section_redirect("international")
            .await
            .unwrap()
            .as_deref(),
        Some("monde")
    );
}

pub async fn tags_are_renamed_and_merged(stores: &Stores) {
    let s = section(stores, None, "monde", "Monde").await;
    let now = at(2026, 11, 27, 12, 0);
    let mut a = published("A", &s, now);
    a.tags = vec!["Climat".into(), "Rechauffement".into()];
    let a = stores.articles.create_article(&a, now).await.unwrap();
    let mut b = published("B", &s, now);
    b.tags = vec!["Rechauffement".into()];
    let b = stores.articles.create_article(&b, now).await.unwrap();
    let climat = stores.taxonomy.tag_by_slug("climat").await.unwrap();
    let rechauffement = stores.taxonomy.tag_by_slug("rechauffement").await.unwrap();
    stores
        .taxonomy
        .rename_tag(climat.id, "Climat et environnement")
        .await
        .unwrap();
    stores
        .taxonomy
        .merge_tags(rechauffement.id, climat.id)
        .await
        .unwrap();
    let counts = stores.taxonomy.tags_with_counts().await.unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!(
        (
            counts[0].0.name.as_str(),
            counts[0].0.slug.as_str(),
            counts[0].1
        ),
        ("Climat et environnement", "climat", 2)
    );
    assert_eq!(
        stores.articles.article(a.id).await.unwrap().tags.len(),
        1,
        "no duplicate when an article had both"
    );
    assert_eq!(
        stores.articles.article(b.id).await.unwrap().tags[0].id,
        climat.id
    );
    assert!(matches!(
        stores.taxonomy.tag_by_slug("rechauffement").await,
        Err(StoreError::NotFound)
    ));
}

pub async fn contributors_are_edited(stores: &Stores) {
    let new = NewContributor {
        kind: ContributorKind::Person,
        name: "Léa".into(),
        slug: Slug::parse("lea").unwrap(),
        bio: String::new(),
    };
    let lea = stores.people.create_contributor(&new).await.unwrap();
    let update = NewContributor {
        name: "Léa Martin".into(),
        slug: Slug::parse("lea-martin").unwrap(),
        bio: "Journaliste.".into(),
        ..new
    };
    let edited = stores
        .people
        .update_contributor(lea.id, &update)
        .await
        .unwrap();
    assert_eq!(
        (
            edited.name.as_str(),
            edited.slug.as_str(),
            edited.bio.as_str()
        ),
        ("Léa Martin", "lea-martin", "Journaliste.")
    );

    // A portrait from the library: set, listed, read back with its file, removed.
    let photo = stores
        .media
        .create_media(
            &NewMedia {
                storage_key: "portraits/lea.jpg".into(),
                mime: "image/jpeg".into(),
                width: 600,
                height: 600,
                byte_size: 4_321,
                alt: String::new(),
                credit: String::new(),
                copyright: String::new(),
                renditions: vec![],
            },
            at(2026, 11, 1, 8, 0),
        )
        .await
        .unwrap();
    assert_eq!(
        stores.people.contributor_photo(edited.id).await.unwrap(),
        None
    );
    stores
        .people
        .set_contributor_photo(edited.id, Some(photo.id))
        .await
        .unwrap();
    let read = stores
        .people
        .contributor_photo(edited.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((read.id, read.width), (photo.id, 600));
    assert_eq!(
        stores.people.contributor_photos().await.unwrap(),
        vec![(edited.id, photo.id)]
    );
    stores
        .people
        .set_contributor_photo(edited.id, None)
        .await
        .unwrap();
    assert!(stores.people.contributor_photos().await.unwrap().is_empty());
    assert!(matches!(
        stores
            .people
            .set_contributor_photo(kiosque_domain::ContributorId(999_999), None)
            .await,
        Err(StoreError::NotFound)
    ));
}

/// Public changes are announced through the database: a node starting reads from
/// the last signal on; one that polls sees every later signal, and a late one again
/// when it re-reads the recent window.
pub async fn signals_reach_every_node(stores: &Stores) {
    let feed = &stores.changes;
    assert_eq!(feed.last_signal().await.unwrap(), 0);
    let now = Utc::now();
    let first = feed.signal("all", now).await.unwrap();
    let start = feed.last_signal().await.unwrap();
    assert_eq!(start, first);
    assert!(
        feed.signals(start, now + Duration::minutes(1))
            .await
            .unwrap()
            .is_empty(),
        "nothing new for a node starting now"
    );
    let second = feed.signal("comments", now).await.unwrap();
    assert!(second > first);
    let seen = feed
        .signals(start, now + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!((seen[0].seq, seen[0].scope.as_str()), (second, "comments"));
    // The recent window brings back both, whatever the cursor.
    let recent = feed
        .signals(second, now - Duration::seconds(10))
        .await
        .unwrap();
    assert_eq!(
        recent.iter().map(|s| s.seq).collect::<Vec<_>>(),
        vec![first, second]
    );
    assert_eq!(
        feed.prune_signals(now + Duration::minutes(1))
            .await
            .unwrap(),
        2
    );
    assert!(
        feed.signals(0, now - Duration::hours(1))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        feed.signal("all", now).await.unwrap() > second,
        "numbers are not reused after a prune"
    );
}

pub async fn the_change_feed_keeps_search_current(stores: &Stores) {
    use kiosque_domain::Locale;
    use kiosque_search::{Follower, FollowerOptions, SearchIndex, SearchRequest};
    use std::sync::Arc;

    let s = section(stores, None, "planete", "Planète").await;
    let now = Utc::now();
    let mut new = published("La banquise recule", &s, now - Duration::hours(1));
    new.body_markdown = "Les glaciologues mesurent la **fonte** du Groenland.".into();
    new.tags = vec!["Climat".into()];
    let article = stores.articles.create_article(&new, now).await.unwrap();
    let mut draft = NewArticle::draft("Brouillon sur la banquise", s.id);
    draft.body_markdown = "Pas encore public.".into();
    let draft = stores.articles.create_article(&draft, now).await.unwrap();

    let changes = stores.changes.article_changes(0, None, 100).await.unwrap();
    let changed: Vec<_> = changes.iter().filter_map(|c| c.article).collect();
    assert!(changed.contains(&article.id) && changed.contains(&draft.id));
    assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq));
    let (low, high) = stores.changes.change_bounds().await.unwrap().unwrap();
    assert!(low <= high);
    // Nothing above the highest; the window re-reads what is recent.
    assert!(
        stores
            .changes
            .article_changes(high, None, 100)
            .await
            .unwrap()
            .is_empty()
    );
    let late = stores
        .changes
        .article_changes(high, Some(now - Duration::minutes(5)), 100)
        .await
        .unwrap();
    assert_eq!(late.len(), changes.len());

    let index = Arc::new(SearchIndex::in_memory(Locale::Fr).unwrap());
    let mut follower = Follower::new(
        index.clone(),
        stores.clone(),
        FollowerOptions::for_backend(stores.backend),
    );
    let find = |text: &str| {
        index
            .search(&SearchRequest {
                text: text.into(),
                section: None,
                from: None,
                until: None,
                now: Utc::now(),
                offset: 0,
                limit: 10,
            })
            .unwrap()
            .hits
            .iter()
            .map(|h| h.id)
            .collect::<Vec<_>>()
    };
    // A new index is built from the database: published articles only.
    assert_eq!(follower.catch_up(Utc::now()).await.unwrap(), 1);
    assert_eq!(find("banquise"), vec![article.id]);
    assert_eq!(find("fonte"), vec![article.id]);
    assert_eq!(index.cursor().unwrap(), Some(high));
    assert_eq!(
        follower.catch_up(Utc::now()).await.unwrap(),
        0,
        "nothing new"
    );
    stores
        .articles
        .create_article(&NewArticle::draft("Encore un brouillon", s.id), now)
        .await
        .unwrap();
    assert_eq!(
        follower.catch_up(Utc::now()).await.unwrap(),
        0,
        "a draft changes nothing readers see"
    );

    // Unpublished: gone; published again: back.
    stores
        .articles
        .set_article_status(article.id, ArticleStatus::Unpublished, now)
        .await
        .unwrap();
    assert_eq!(follower.catch_up(Utc::now()).await.unwrap(), 1);
    assert!(find("banquise").is_empty());
    stores
        .articles
        .set_article_status(article.id, ArticleStatus::Published, now)
        .await
        .unwrap();
    follower.catch_up(Utc::now()).await.unwrap();
    assert_eq!(find("banquise"), vec![article.id]);

    // A renamed tag reaches the index through its articles.
    let tag = stores.taxonomy.tag_by_slug("climat").await.unwrap();
    stores
        .taxonomy
        .rename_tag(tag.id, "Réchauffement")
        .await
        .unwrap();
    follower.catch_up(Utc::now()).await.unwrap();
    assert_eq!(find("réchauffement"), vec![article.id]);

    // The database has the last word on what is public.
    let summaries = stores
        .changes
        .public_summaries(&[article.id, draft.id, ArticleId(987_654)], now)
        .await
        .unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].id, article.id);
    assert_eq!(
        stores
            .changes
            .published_ids(ArticleId(0), 10)
            .await
            .unwrap(),
        vec![article.id]
    );

    // A rebuild asked through the database is done by every follower.
    stores.changes.request_rebuild().await.unwrap();
    assert_eq!(follower.catch_up(Utc::now()).await.unwrap(), 1);
    assert_eq!(find("banquise"), vec![article.id]);

    // A follower whose cursor fell behind the pruned feed rebuilds.
    let stale = Arc::new(SearchIndex::in_memory(Locale::Fr).unwrap());
    stale.apply(&[], &[], 0).unwrap();
    stores
        .changes
        .prune_changes(Utc::now() + Duration::minutes(1))
        .await
        .unwrap();
    stores
        .articles
        .create_article(
            &published("Après la purge", &s, now - Duration::minutes(1)),
            now,
        )
        .await
        .unwrap();
    let mut behind = Follower::new(
        stale.clone(),
        stores.clone(),
        FollowerOptions::for_backend(stores.backend),
    );
    assert_eq!(behind.catch_up(Utc::now()).await.unwrap(), 2);
    assert_eq!(stale.len(), 2);
}

pub async fn fronts_are_curated_versioned_and_public_only(stores: &Stores) {
    use kiosque_domain::front::{FrontKey, FrontSlot};
    let s = section(stores, None, "une", "Une").await;
    let now = at(2026, 11, 27, 12, 0);
    let create =
        |new: NewArticle| async move { stores.articles.create_article(&new, now).await.unwrap() };
    let lead = create(published("À la une", &s, now - Duration::hours(3))).await;
    let second = create(published("En second", &s, now - Duration::hours(2))).await;
    let draft = create(NewArticle::draft("Pas prêt", s.id)).await;
    let lapsed = create(published("Hier", &s, now - Duration::hours(1))).await;
    let slot = |a: &kiosque_domain::Article, until| FrontSlot {
        article: a.id,
        until,
    };

    let empty = stores.fronts.front(FrontKey::Home).await.unwrap();
    assert_eq!(
        (empty.version, empty.slots.len(), empty.updated_at),
        (0, 0, None)
    );
    let slots = [
        slot(&lead, None),
        slot(&second, Some(now + Duration::hours(1))),
        slot(&draft, None),
        slot(&lapsed, Some(now - Duration::minutes(1))),
    ];
    let saved = stores
        .fronts
        .save_front(FrontKey::Home, 0, &slots, now)
        .await
        .unwrap();
    assert_eq!(saved.version, 1);
    let again = stores.fronts.front(FrontKey::Home).await.unwrap();
    assert_eq!(again.version, 1);
    assert_eq!(again.slots, slots.to_vec(), "order and times kept");
    assert_eq!(again.updated_at, Some(now));

    // A save based on an old version is refused and changes nothing.
    for stale in [0, 5] {
        let refused = stores
            .fronts
            .save_front(FrontKey::Home, stale, &[slot(&second, None)], now)
            .await;
        assert!(
            matches!(refused, Err(StoreError::VersionMismatch { .. })),
            "{stale}: {refused:?}"
        );
    }
    assert_eq!(
        stores
            .fronts
            .front(FrontKey::Home)
            .await
            .unwrap()
            .slots
            .len(),
        4
    );

    // Readers get public articles of live slots, in order.
    let shown = |at| async move {
        stores
            .fronts
            .front_articles(FrontKey::Home, at)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(shown(now).await, vec![lead.id, second.id]);
    assert_eq!(
        shown(now + Duration::hours(2)).await,
        vec![lead.id],
        "the second slot lapsed"
    );
    stores
        .articles
        .set_article_status(lead.id, ArticleStatus::Unpublished, now)
        .await
        .unwrap();
    assert_eq!(
        shown(now).await,
        vec![second.id],
        "an unpublished lead leaves the front"
    );

    // Each section has its own front.
    let section_front = FrontKey::Section(s.id);
    stores
        .fronts
        .save_front(section_front, 0, &[slot(&lapsed, None)], now)
        .await
        .unwrap();
    let in_section = stores
        .fronts
        .front_articles(section_front, now)
        .await
        .unwrap();
    assert_eq!(in_section.len(), 1);
    assert_eq!(in_section[0].id, lapsed.id);
    assert_eq!(
        stores.fronts.front(FrontKey::Home).await.unwrap().version,
        1
    );

    // Duplicates are refused; emptying works.
    assert!(
        stores
            .fronts
            .save_front(
                FrontKey::Home,
                1,
                &[slot(&second, None), slot(&second, None)],
                now
            )
            .await
            .is_err()
    );
    let cleared = stores
        .fronts
        .save_front(FrontKey::Home, 1, &[], now)
        .await
        .unwrap();
    assert_eq!(cleared.version, 2);
    assert!(shown(now).await.is_empty());
}

pub async fn articles_load_in_a_batch_as_one_by_one(stores: &Stores) {
    let s = section(stores, None, "monde", "Monde").await;
    let now = at(2026, 11, 27, 12, 0);
    let lea = contributor(stores, ContributorKind::Person, "Léa Martin", "lea-martin").await;
    let mut ids = Vec::new();
    for (i, headline) in ["Premier", "Deuxième", "Troisième"].iter().enumerate() {
        let mut new = published(headline, &s, now - Duration::hours(i as i64 + 1));
        new.tags = vec![format!("Sujet {i}"), "Commun".into()];
        new.contributors = vec![lea.id];
        new.agencies = vec!["AFP".into()];
        new.body_markdown = format!("Texte **{i}**.");
        if i == 1 {
            new.updated_at = Some(now);
        }
        let article = stores.articles.create_article(&new, now).await.unwrap();
        if i == 1 {
            stores
                .articles
                .update_article(
                    article.id,
                    &article.content(),
                    &kiosque_domain::article::Edit {
                        expected_version: article.version,
                        kind: kiosque_domain::article::RevisionKind::Correction,
                        correction_note: Some("Une date corrigée.".into()),
                        user: None,
                    },
                    now,
                )
                .await
                .unwrap();
        }
        ids.push(article.id);
    }
    let wanted = [ids[2], ArticleId(987_654), ids[0], ids[1]];
    let batch = stores.articles.articles(&wanted).await.unwrap();
    assert_eq!(batch.len(), 3, "unknown ids are left out");
    for (got, id) in batch.iter().zip([ids[2], ids[0], ids[1]]) {
        let alone = stores.articles.article(id).await.unwrap();
        assert_eq!(got, &alone, "the batch reads the same article");
    }
    assert_eq!(batch[2].corrections.len(), 1);
    assert!(stores.articles.articles(&[]).await.unwrap().is_empty());
}

pub async fn translations_form_one_family(stores: &Stores) {
    let s = section(stores, None, "monde", "Monde").await;
    let now = at(2026, 11, 27, 12, 0);
    let create =
        |new: NewArticle| async move { stores.articles.create_article(&new, now).await.unwrap() };
    let original = create(published("Le sommet reporté", &s, now - Duration::hours(3))).await;
    let mut en = published("Summit postponed", &s, now - Duration::hours(2));
    en.language = "en".into();
    en.translation_of = Some(original.id);
    let en = create(en).await;
    // A translation of the translation joins the original's family.
    let mut de = published("Gipfel verschoben", &s, now - Duration::hours(1));
    de.language = "de".into();
    de.translation_of = Some(en.id);
    let de = create(de).await;
    assert_eq!(de.translation_of, Some(original.id));
    let mut draft = NewArticle::draft("Cumbre aplazada", s.id);
    draft.language = "es".into();
    draft.translation_of = Some(original.id);
    create(draft).await;

    let languages = |list: Vec<kiosque_domain::ArticleSummary>| {
        list.into_iter().map(|a| a.language).collect::<Vec<_>>()
    };
    assert_eq!(
        languages(stores.articles.translations(&original, now).await.unwrap()),
        ["de", "en"]
    );
    assert_eq!(
        languages(stores.articles.translations(&en, now).await.unwrap()),
        ["de", "fr"]
    );

    // An original cannot become the translation of its own translation.
    let mut edit = original.content();
    edit.translation_of = Some(en.id);
    let edited = stores
        .articles
        .update_article(
            original.id,
            &edit,
            &kiosque_domain::article::Edit {
                expected_version: original.version,
                kind: kiosque_domain::article::RevisionKind::Minor,
                correction_note: None,
                user: None,
            },
            now,
        )
        .await
        .unwrap();
    assert_eq!(edited.translation_of, None);
}
