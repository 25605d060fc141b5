//! Contract scenarios of the wire: versions, duplicates, the desk and article links.

use chrono::{DateTime, TimeZone, Utc};
use kiosque_domain::Stores;
use kiosque_domain::staff::Role;
use kiosque_domain::wire::{NewWireVersion, WireOutcome, WireQuery};

fn at(m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, m, 0).unwrap()
}

fn dispatch(guid: &str, version: i64, headline: &str) -> NewWireVersion {
    NewWireVersion {
        guid: guid.into(),
        version,
        format: "newsml-g2".into(),
        item_class: "text".into(),
        pub_status: "usable".into(),
        provider: Some("AFP".into()),
        urgency: Some(4),
        language: Some("fr".into()),
        headline: headline.into(),
        summary: Some("Le chapeau".into()),
        embargo: None,
        version_created: Some(at(0)),
        payload: format!(r#"{{"headline":"{headline}"}}"#),
        source: "dépêche.xml".into(),
    }
}

pub async fn wire_items_are_versioned_and_deduplicated(stores: &Stores) {
    let first = stores
        .wire
        .record_wire(&dispatch("urn:afp:1", 1, "Séisme au large du Japon"), at(1))
        .await
        .unwrap();
    let WireOutcome::Created(id) = first else {
        panic!("{first:?}")
    };
    // The same version again, and an older one: duplicates that change nothing.
    for version in [1, 0] {
        let again = stores
            .wire
            .record_wire(&dispatch("urn:afp:1", version, "Autre titre"), at(2))
            .await
            .unwrap();
        assert_eq!(again, WireOutcome::Duplicate(id));
    }
    assert_eq!(
        stores.wire.wire_item(id).await.unwrap().headline,
        "Séisme au large du Japon"
    );
    // A higher version updates the item and keeps the history.
    let mut v2 = dispatch(
        "urn:afp:1",
        2,
        "Séisme au large du Japon : alerte au tsunami",
    );
    v2.urgency = Some(2);
    v2.pub_status = "withheld".into();
    v2.embargo = Some(at(30));
    assert_eq!(
        stores.wire.record_wire(&v2, at(3)).await.unwrap(),
        WireOutcome::Updated(id)
    );
    let item = stores.wire.wire_item(id).await.unwrap();
    assert_eq!(item.version, 2);
    assert_eq!(
        item.headline,
        "Séisme au large du Japon : alerte au tsunami"
    );
    assert!(item.is_urgent());
    assert!(!item.is_releasable(at(31)), "withheld");
    assert_eq!((item.received_at, item.updated_at), (at(1), at(3)));
    let versions = stores.wire.wire_versions(id).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [2, 1]
    );
    assert_eq!(versions[1].source, "dépêche.xml");
    assert!(versions[1].payload.contains("Séisme au large du Japon"));

    // The desk: newest change first, filtered, paged.
    let mut reuters = dispatch("urn:reuters:7", 1, "Wall Street ouvre en hausse");
    reuters.provider = Some("Reuters".into());
    reuters.language = Some("fr-CA".into());
    let other = stores.wire.record_wire(&reuters, at(4)).await.unwrap().id();
    let desk = |q: WireQuery| async move {
        stores
            .wire
            .wire_items(&WireQuery { limit: 10, ..q })
            .await
            .unwrap()
    };
    let all = desk(WireQuery::default()).await;
    assert_eq!(all.iter().map(|e| e.id).collect::<Vec<_>>(), [other, id]);
    let afp = desk(WireQuery {
        provider: Some("afp".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(afp.iter().map(|e| e.id).collect::<Vec<_>>(), [id]);
    let urgent = desk(WireQuery {
        urgency_max: Some(3),
        ..Default::default()
    })
    .await;
    assert_eq!(urgent.iter().map(|e| e.id).collect::<Vec<_>>(), [id]);
    let french = desk(WireQuery {
        language: Some("fr".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(french.len(), 2, "fr matches fr-CA");
    let text = desk(WireQuery {
        text: Some("TSUNAMI".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(text.iter().map(|e| e.id).collect::<Vec<_>>(), [id]);
    let odd = desk(WireQuery {
        text: Some("100%_".into()),
        ..Default::default()
    })
    .await;
    assert!(odd.is_empty());
    let page2 = desk(WireQuery {
        before: Some((all[0].updated_at, all[0].id)),
        ..Default::default()
    })
    .await;
    assert_eq!(page2.iter().map(|e| e.id).collect::<Vec<_>>(), [id]);

    // An article made from version 2; version 3 arrives and the link shows it.
    let journalist = crate::newsroom::user(stores, "wire@example.org", Role::Journalist).await;
    let article = crate::newsroom::draft(stores, "Séisme au large du Japon", &journalist).await;
    stores
        .wire
        .link_wire_article(id, article.id, 2, false)
        .await
        .unwrap();
    let linked = stores
        .wire
        .wire_for_article(article.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((linked.id, linked.article_version), (id, Some(2)));
    assert!(!linked.has_newer_version());
    stores
        .wire
        .record_wire(
            &dispatch("urn:afp:1", 3, "Séisme : le bilan s'alourdit"),
            at(7),
        )
        .await
        .unwrap();
    assert!(
        stores
            .wire
            .wire_for_article(article.id)
            .await
            .unwrap()
            .unwrap()
            .has_newer_version()
    );
    assert!(
        stores
            .wire
            .wire_for_article(kiosque_domain::ArticleId(999_999))
            .await
            .unwrap()
            .is_none()
    );
}
