//! The index on its own: analysis, phrases, filters, ranking, snippets, cursor.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail loudly, like the tests"
)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use kiosque_domain::{ArticleId, Locale};
use kiosque_search::{SearchDoc, SearchIndex, SearchRequest};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
}

fn doc(id: i64, headline: &str, body: &str, section: &str, age_days: i64) -> SearchDoc {
    let mut sections = vec![section.to_owned()];
    if let Some((parent, _)) = section.split_once('/') {
        sections.insert(0, parent.to_owned());
    }
    SearchDoc {
        id: ArticleId(id),
        headline: headline.to_owned(),
        standfirst: String::new(),
        body: body.to_owned(),
        tags: vec!["Politique".into()],
        bylines: vec!["Claire Dubois".into()],
        sections,
        published_at: now() - Duration::days(age_days),
    }
}

fn request(text: &str) -> SearchRequest {
    SearchRequest {
        text: text.to_owned(),
        section: None,
        from: None,
        until: None,
        now: now(),
        offset: 0,
        limit: 10,
    }
}

fn sorted_ids(index: &SearchIndex, request: &SearchRequest) -> Vec<i64> {
    let mut ids = ids(index, request);
    ids.sort_unstable();
    ids
}

fn ids(index: &SearchIndex, request: &SearchRequest) -> Vec<i64> {
    index
        .search(request)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id.0)
        .collect()
}

fn french_index() -> SearchIndex {
    let index = SearchIndex::in_memory(Locale::Fr).unwrap();
    index
        .apply(
            &[
                doc(
                    1,
                    "L'élection municipale à Lyon",
                    "Les électeurs de Lyon ont voté dimanche pour la réforme des transports.",
                    "france",
                    3,
                ),
                doc(
                    2,
                    "La pêche en Bretagne",
                    "Les pêcheurs bretons attendent la réforme européenne des quotas.",
                    "france/regions",
                    1,
                ),
                doc(
                    3,
                    "Sommet à Bruxelles",
                    "Les dirigeants européens ont discuté de l'économie et des élections à venir.",
                    "monde/europe",
                    30,
                ),
                doc(
                    4,
                    "Une réforme des transports",
                    "La réforme des transports publics entre en vigueur.",
                    "monde",
                    400,
                ),
            ],
            &[],
            7,
        )
        .unwrap();
    index
}

#[test]
fn accents_elisions_and_plurals_match() {
    let index = french_index();
    assert_eq!(sorted_ids(&index, &request("election")), vec![1, 3]);
    assert_eq!(ids(&index, &request("ÉLECTIONS lyon")), vec![1]);
    assert_eq!(ids(&index, &request("economie")), vec![3]);
    // Bylines and tags are searched too.
    assert_eq!(ids(&index, &request("dubois")).len(), 4);
}

#[test]
fn phrases_need_the_words_in_order() {
    let index = french_index();
    let phrase = ids(&index, &request("\"réforme des transports\""));
    assert_eq!(phrase.len(), 2);
    assert!(phrase.contains(&1) && phrase.contains(&4));
    assert!(ids(&index, &request("\"transports des réforme\"")).is_empty());
    // Unquoted, every word must appear somewhere.
    assert_eq!(ids(&index, &request("réforme quotas")), vec![2]);
    assert_eq!(ids(&index, &request("réforme -quotas")).len(), 2);
}

#[test]
fn recent_articles_rank_first_among_equals() {
    let index = french_index();
    // 1 (3 days) and 4 (400 days) both have the phrase in the body; 4 also in its
    // headline, yet recency keeps 1 competitive: it must at least rank.
    let hits = index.search(&request("transports")).unwrap().hits;
    assert_eq!(hits.len(), 2);
    let boost = |id: i64| hits.iter().find(|h| h.id.0 == id).unwrap().score;
    assert!(boost(1) > 0.0 && boost(4) > 0.0);
    // Same text, different ages: the newer wins.
    let twins = SearchIndex::in_memory(Locale::Fr).unwrap();
    twins
        .apply(
            &[
                doc(10, "Grève", "Grève nationale.", "france", 200),
                doc(11, "Grève", "Grève nationale.", "france", 1),
            ],
            &[],
            1,
        )
        .unwrap();
    assert_eq!(ids(&twins, &request("grève")), vec![11, 10]);
}

#[test]
fn section_and_date_filters() {
    let index = french_index();
    let mut r = request("réforme");
    r.section = Some("france".into());
    assert_eq!(
        sorted_ids(&index, &r),
        vec![1, 2],
        "the subsection france/regions is inside france"
    );
    r.section = Some("france/regions".into());
    assert_eq!(ids(&index, &r), vec![2]);
    let mut r = request("réforme");
    r.from = Some(now() - Duration::days(2));
    assert_eq!(ids(&index, &r), vec![2]);
    let mut r = request("réforme");
    r.until = Some(now() - Duration::days(2));
    assert_eq!(sorted_ids(&index, &r), vec![1, 4]);
}

#[test]
fn future_publication_is_not_found_before_its_time() {
    let index = SearchIndex::in_memory(Locale::Fr).unwrap();
    index
        .apply(&[doc(1, "Annonce embargo", "Texte.", "france", -1)], &[], 1)
        .unwrap();
    assert!(ids(&index, &request("annonce")).is_empty());
    let mut later = request("annonce");
    later.now = now() + Duration::days(2);
    assert_eq!(ids(&index, &later), vec![1]);
}

#[test]
fn snippets_mark_matches_and_escape_text() {
    let index = SearchIndex::in_memory(Locale::Fr).unwrap();
    index
        .apply(
            &[doc(
                1,
                "<script>alert(1)</script> Budget",
                "Le budget <b>voté</b> & adopté hier soir.",
                "france",
                1,
            )],
            &[],
            1,
        )
        .unwrap();
    let hit = &index.search(&request("budget")).unwrap().hits[0];
    assert_eq!(
        hit.headline_html,
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Budget</mark>"
    );
    assert!(
        hit.snippet_html.contains("<mark>budget</mark>"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html
            .contains("&lt;b&gt;voté&lt;/b&gt; &amp; adopté"),
        "{}",
        hit.snippet_html
    );
}

#[test]
fn odd_queries_are_handled() {
    let index = french_index();
    for q in [
        "",
        "   ",
        "\"",
        "title:",
        "[a TO b]",
        "((",
        "*",
        "-",
        "\u{0}",
        "l'",
        "AND OR NOT",
    ] {
        let results = index.search(&request(q)).unwrap();
        assert!(results.hits.len() <= 4, "{q:?}");
    }
    assert!(index.search(&request("")).unwrap().hits.is_empty());
    // Query syntax typed by a reader is read as words: the words still count.
    assert_eq!(sorted_ids(&index, &request("((réforme")), vec![1, 2, 4]);
    assert_eq!(sorted_ids(&index, &request("réforme:")), vec![1, 2, 4]);
    assert_eq!(
        sorted_ids(&index, &request("headline:lyon")),
        Vec::<i64>::new(),
        "no field syntax: 'headline' is a word"
    );
    assert_eq!(
        sorted_ids(&index, &request("\"réforme quotas")),
        vec![2],
        "an unclosed quote is dropped"
    );
}

#[test]
fn pagination_and_totals() {
    let index = SearchIndex::in_memory(Locale::Fr).unwrap();
    let docs: Vec<SearchDoc> = (1..=25)
        .map(|i| doc(i, "Marché", "Le marché ouvre.", "france", i))
        .collect();
    index.apply(&docs, &[], 25).unwrap();
    let mut r = request("marché");
    let first = index.search(&r).unwrap();
    assert_eq!(first.total, 25);
    assert_eq!(first.hits.len(), 10);
    r.offset = 20;
    let last = index.search(&r).unwrap();
    assert_eq!(last.hits.len(), 5);
    assert!(
        last.hits
            .iter()
            .all(|h| !first.hits.iter().any(|f| f.id == h.id))
    );
}

#[test]
fn updates_replace_and_removals_remove_and_the_cursor_persists() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path(), Locale::Fr).unwrap();
        assert_eq!(index.cursor().unwrap(), None, "a new index needs a rebuild");
        index
            .apply(&[doc(1, "Ancien titre", "Texte.", "france", 1)], &[], 3)
            .unwrap();
        index
            .apply(&[doc(1, "Nouveau titre", "Texte.", "france", 1)], &[], 4)
            .unwrap();
        assert!(ids(&index, &request("ancien")).is_empty());
        assert_eq!(ids(&index, &request("nouveau")), vec![1]);
        assert_eq!(index.len(), 1);
    }
    let index = SearchIndex::open(dir.path(), Locale::Fr).unwrap();
    assert_eq!(index.cursor().unwrap(), Some(4));
    index.apply(&[], &[ArticleId(1)], 5).unwrap();
    assert!(ids(&index, &request("nouveau")).is_empty());
    drop(index);
    // Another language: the analysed terms are worthless, the index starts over.
    let english = SearchIndex::open(dir.path(), Locale::En).unwrap();
    assert_eq!(english.cursor().unwrap(), None);
}

#[test]
fn a_second_writer_on_the_same_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let _first = SearchIndex::open(dir.path(), Locale::Fr).unwrap();
    assert!(matches!(
        SearchIndex::open(dir.path(), Locale::Fr),
        Err(kiosque_search::SearchError::Locked)
    ));
}
