use kiosque_ingest::{IngestError, parse};
use std::path::{Path, PathBuf};

/// The third-party corpus, `../shared/corpus` from the repository root (or
/// `KIOSQUE_CORPUS`): the nearest `shared/corpus` above this crate.
pub fn corpus_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("KIOSQUE_CORPUS") {
        return dir.into();
    }
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|d| d.join("shared/corpus"))
        .find(|d| d.is_dir())
        .unwrap_or_else(|| manifest.join("../../../shared/corpus"))
}

/// Whether the third-party corpus is here. When it is not (a clone without
/// `../shared` beside it), the caller skips what needs it and says so, unless
/// `KIOSQUE_REQUIRE_CORPUS=1` (set by `.ci/run`) makes that a failure. See the
/// README for where the corpus comes from and `scripts/fetch-corpus.sh`.
pub fn corpus_available() -> bool {
    let dir = corpus_dir();
    if dir.is_dir() {
        return true;
    }
    assert!(
        std::env::var_os("KIOSQUE_REQUIRE_CORPUS").is_none(),
        "KIOSQUE_REQUIRE_CORPUS is set, but the corpus is not at {}",
        dir.display()
    );
    eprintln!(
        "skipped: the third-party test corpus is not at {} (set KIOSQUE_CORPUS, or run scripts/fetch-corpus.sh)",
        dir.display()
    );
    false
}

pub fn corpus() -> PathBuf {
    corpus_dir()
}

pub fn read(relative: &str) -> Vec<u8> {
    std::fs::read(corpus().join(relative)).unwrap()
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("xml" | "json" | "iptc")
        ) {
            out.push(path);
        }
    }
}

/// News documents of the corpus (not schemas, feeds or sitemaps).
fn news_documents() -> Vec<PathBuf> {
    let mut all = Vec::new();
    for dir in [
        "ninjs/examples",
        "ninjs/test-suite",
        "newsml-g2",
        "nitf",
        "iptc7901",
        "newsml-1.2",
        "wire-json",
    ] {
        files(&corpus().join(dir), &mut all);
    }
    all.sort();
    all
}

#[test]
fn every_news_document_goes_through_without_panic() {
    if !corpus_available() {
        return;
    }
    let documents = news_documents();
    assert!(
        documents.len() > 450,
        "corpus missing? {} files",
        documents.len()
    );
    let (mut parsed, mut expected_errors, mut unexpected) = (0, 0, Vec::new());
    let mut items = 0;
    let mut accepted_should_fail = 0;
    for path in &documents {
        let name = path.to_string_lossy();
        let bytes = std::fs::read(path).unwrap();
        let outcome = std::panic::catch_unwind(|| parse(&bytes));
        let result = outcome.unwrap_or_else(|_| panic!("panic on {name}"));
        let should_fail = name.contains("should_fail") || name.contains("not-valid");
        match result {
            Ok(found) => {
                items += found.len();
                for item in &found {
                    assert!(!item.guid.is_empty(), "{name}: empty guid");
                }
                if should_fail {
                    let short = name.split("corpus/").nth(1).unwrap_or(&name).to_owned();
                    if !ACCEPTED_SHOULD_FAIL.iter().any(|(case, _)| short == *case) {
                        unexpected.push(format!("accepted {short}"));
                    }
                    accepted_should_fail += 1;
                } else {
                    parsed += 1;
                }
            }
            Err(e) => {
                let message = e.to_string();
                assert!(message.len() > 10, "{name}: unclear error {message:?}");
                if should_fail || expected_failure(&name, &e) {
                    expected_errors += 1;
                } else {
                    unexpected.push(format!("{name}: {message}"));
                }
            }
        }
    }
    eprintln!(
        "corpus: {} documents, {parsed} parsed ({items} items), {expected_errors} expected errors \
         (should_fail cases and non-news documents), {accepted_should_fail} should_fail cases read \
         on purpose, {} unexpected",
        documents.len(),
        unexpected.len()
    );
    for u in &unexpected {
        eprintln!("  {u}");
    }
    assert!(
        unexpected.is_empty(),
        "{} unexpected outcomes",
        unexpected.len()
    );
}

/// Documents that are not news items, by design of their source.
fn expected_failure(name: &str, error: &IngestError) -> bool {
    let message = error.to_string();
    // Concept, knowledge, catalog, planning and event items; NewsML 1.2; dpa's own
    // JSON (the inputs behind its G2 files, not ninjs).
    // IPTC's abridged listings ("....." in place of content) and schema files.
    name.ends_with("LISTING_24_News_Message_conveying_a_complete_News_Package.xml")
        || name.ends_with("schema-extension/extension-schema.json")
        || message.contains("root element")
        || message.contains("NewsML 1.2")
        // dpa's own digitalwires JSON (the inputs behind its G2 and 7901 files) is not
        // ninjs: no `uri`.
        || (name.contains("wire-json") && message.contains("`uri` is required"))
}

/// should_fail cases Kiosque reads anyway, because what makes them invalid is a schema
/// rule an ingest must not enforce: agencies send such documents, and refusing the
/// dispatch would lose the story. Everything else in should_fail is refused.
const ACCEPTED_SHOULD_FAIL: &[(&str, &str)] = &[
    (
        "newsml-g2/test-suite/2.12/should_fail/xsany-on-hasinstrument.xml",
        "extension element in an unexpected place",
    ),
    (
        "newsml-g2/test-suite/2.28/should_fail/2.29_affiliation_org_org.xml",
        "concept detail not read",
    ),
    (
        "newsml-g2/test-suite/2.29/should_fail/002_newsitem_with_no_catalog.xml",
        "QCodes are read without resolving catalogs",
    ),
    (
        "newsml-g2/test-suite/2.30/should_fail/CR00212_02_residrefformaturi_badly_formatted.xml",
        "residref kept as an opaque string",
    ),
    (
        "newsml-g2/test-suite/2.34/should_fail/CR00218_too_many_nested_related.xml",
        "related concepts not read",
    ),
    (
        "ninjs/examples/userguide-not-valid/008_extension.json",
        "extension properties are tolerated",
    ),
    (
        "ninjs/test-suite/1.0/should_fail/003_malformed_property.json",
        "unknown property tolerated",
    ),
    (
        "ninjs/test-suite/1.0/should_fail/004_representationtype_invalid.json",
        "representationtype not read",
    ),
    (
        "ninjs/test-suite/1.0/should_fail/005_profile_must_be_string.json",
        "profile not read",
    ),
    (
        "ninjs/test-suite/1.0/should_fail/013_person_not_string.json",
        "person not read",
    ),
    (
        "ninjs/test-suite/1.0/should_fail/014_type_component.json",
        "a later version's value",
    ),
    (
        "ninjs/test-suite/1.0/should_fail/016_infosource.json",
        "a later version's property",
    ),
    (
        "ninjs/test-suite/1.0/should_fail/017_description_extension.json",
        "odd description suffix, still a string",
    ),
    (
        "ninjs/test-suite/1.1/should_fail/001_type_component.json",
        "a later version's value",
    ),
    (
        "ninjs/test-suite/1.1/should_fail/002_infosource.json",
        "a later version's property",
    ),
    (
        "ninjs/test-suite/1.2/should_fail/004_infosource_bad_type.json",
        "infosource shape; name read when present",
    ),
    (
        "ninjs/test-suite/1.3/should_fail/001_schema_bad.json",
        "$standard not enforced",
    ),
    (
        "ninjs/test-suite/1.3/should_fail/002_headline_nonascii.json",
        "odd headline suffix, still a string",
    ),
    (
        "ninjs/test-suite/1.3/should_fail/003_headline_blank_extension.json",
        "odd headline suffix, still a string",
    ),
    (
        "ninjs/test-suite/1.3/should_fail/004_headline_dash.json",
        "odd headline suffix, still a string",
    ),
    (
        "ninjs/test-suite/1.3/should_fail/005_bad_altids.json",
        "altids not read",
    ),
    (
        "ninjs/test-suite/1.4/should_fail/003_bad_expires.json",
        "expires not read",
    ),
    (
        "ninjs/test-suite/1.4/should_fail/004_bad_expires.json",
        "expires not read",
    ),
    (
        "ninjs/test-suite/1.4/should_fail/005_bad_rightsinfo.json",
        "rightsinfo not read",
    ),
    (
        "ninjs/test-suite/1.4/should_fail/006_bad_rightsinfo.json",
        "rightsinfo not read",
    ),
    (
        "ninjs/test-suite/1.5/should_fail/001_bad_property.json",
        "unknown property tolerated",
    ),
    (
        "ninjs/test-suite/1.5/should_fail/002_bad_association.json",
        "association without uri kept as a name",
    ),
    (
        "ninjs/test-suite/1.6/should_fail/001_bad_digital_source.json",
        "digitalsourcetype not read",
    ),
    (
        "ninjs/test-suite/2.0/should_fail/001_bad_geojson.json",
        "geometry not read",
    ),
    (
        "ninjs/test-suite/2.0/should_fail/001_bad_toplevel.json",
        "unknown property tolerated",
    ),
    (
        "ninjs/test-suite/2.0/should_fail/002_bad_association.json",
        "association without uri kept as a name",
    ),
    (
        "ninjs/test-suite/2.1/should_fail/001_bad_association.json",
        "association without uri kept as a name",
    ),
    (
        "ninjs/test-suite/2.1/should_fail/002_good_association_but_no_name.json",
        "association name optional here",
    ),
    (
        "ninjs/test-suite/2.1/should_fail/003_good_association_but_no_uri.json",
        "association without uri kept as a name",
    ),
    (
        "ninjs/test-suite/2.1/should_fail/004_bad_rights.json",
        "rightsinfo not read",
    ),
    (
        "ninjs/test-suite/2.2/should_fail/001_bad_digital_source.json",
        "digitalsourcetype not read",
    ),
    (
        "ninjs/test-suite/3.0/should_fail/001_bad_geojson.json",
        "geometry not read",
    ),
    (
        "ninjs/test-suite/3.0/should_fail/001_bad_toplevel.json",
        "unknown property tolerated",
    ),
    (
        "ninjs/test-suite/3.0/should_fail/002_bad_association.json",
        "association without uri kept as a name",
    ),
    (
        "ninjs/test-suite/3.0/should_fail/003_event_with_conflicting_start.json",
        "event details not read",
    ),
    (
        "ninjs/test-suite/3.0/should_fail/004_event_with_renditions.json",
        "event details not read",
    ),
    (
        "ninjs/test-suite/3.0/should_fail/004_invalid_truncated_date.json",
        "unreadable date left empty",
    ),
    (
        "ninjs/test-suite/3.0/should_fail/005_planned_coverage_bad_urgency.json",
        "planned coverage not read",
    ),
    (
        "ninjs/test-suite/3.1/should_fail/001_bad_digital_source.json",
        "digitalsourcetype not read",
    ),
];

/// `KIOSQUE_DUMP=path cargo test -p kiosque_ingest dump -- --ignored`: what a document
/// parses into, to pick samples.
#[test]
#[ignore = "a tool, not a test"]
fn dump() {
    for path in std::env::var("KIOSQUE_DUMP").unwrap().split(',') {
        let items = parse(&read(path));
        eprintln!(
            "{path}: {}",
            serde_json::to_string_pretty(&items.map_err(|e| e.to_string())).unwrap()
        );
    }
}
