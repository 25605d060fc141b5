//! `kiosque ingest` and watch folders, with the real binary.

use crate::server::{Server, kiosque};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The third-party corpus, `../shared/corpus` from the repository root (or
/// `KIOSQUE_CORPUS`): the nearest `shared/corpus` above this crate.
fn corpus_dir() -> std::path::PathBuf {
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

fn corpus(relative: &str) -> PathBuf {
    corpus_dir().join(relative)
}

fn ingest(data: &Path, paths: &[&Path]) -> (bool, String) {
    let out = kiosque()
        .args(["--data", data.to_str().unwrap(), "ingest"])
        .args(paths)
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn ingest_reports_each_item_and_fails_on_bad_files() {
    if !corpus_available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    // Third-party samples are read where they are, never copied into the project.
    let dpa = corpus("iptc7901/examples/dpa");
    let (ok, out) = ingest(data.path(), &[&dpa]);
    assert!(ok, "{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("created")).count(),
        6,
        "{out}"
    );
    assert!(
        out.contains("\"Grünen-Spitze tritt nach Wahlniederlagen ab\""),
        "{out}"
    );
    assert!(
        out.contains("6 files, 6 items: 6 created, 0 updated, 0 duplicates, 0 files refused"),
        "{out}"
    );

    // Again: every item is a duplicate, nothing changes.
    let (ok, out) = ingest(data.path(), &[&dpa]);
    assert!(ok);
    assert!(
        out.contains("6 items: 0 created, 0 updated, 6 duplicates"),
        "{out}"
    );

    // A folder with a broken file: a clear line, the others still go in, and the
    // exit status says something failed.
    let drop = tempfile::tempdir().unwrap();
    std::fs::write(drop.path().join("a-broken.xml"), "<newsItem guid=\"x\">").unwrap();
    std::fs::write(
        drop.path().join("b-good.json"),
        r#"{"uri": "urn:kiosque:test:1", "headline": "Un essai", "body_text": "Texte."}"#,
    )
    .unwrap();
    let (ok, out) = ingest(data.path(), &[drop.path()]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("quarantined") && out.contains("a-broken.xml: malformed XML"),
        "{out}"
    );
    assert!(
        out.contains("created") && out.contains("\"Un essai\""),
        "{out}"
    );
    assert!(
        drop.path().join("a-broken.xml").exists(),
        "kiosque ingest never moves files"
    );
}

#[test]
fn a_running_server_picks_up_files_dropped_in_its_watch_folder() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("kiosque.toml"),
        "[ingest]\nwatch = [\"wire/afp\"]\n",
    )
    .unwrap();
    let _server = Server::start(data.path(), &[]);
    let folder = data.path().join("wire/afp");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !folder.join("done").exists() {
        assert!(Instant::now() < deadline, "the watch folder was not set up");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Written under a temporary name, then renamed: the usual way to drop a file.
    let staging = folder.join("depeche.xml.part");
    std::fs::write(
        &staging,
        r#"{"uri": "urn:kiosque:watch:1", "headline": "Déposée dans le dossier", "body_text": "Un texte."}"#,
    )
    .unwrap();
    std::fs::write(folder.join("casse.json"), "{\"headline\": \"sans uri\"}").unwrap();
    let dropped = Instant::now();
    std::fs::rename(&staging, folder.join("depeche.json")).unwrap();
    let deadline = dropped + Duration::from_secs(20);
    while !folder.join("done/depeche.json").exists() {
        assert!(Instant::now() < deadline, "not picked up");
        std::thread::sleep(Duration::from_millis(25));
    }
    eprintln!("picked up in {} ms", dropped.elapsed().as_millis());
    while !folder.join("quarantine/casse.json.error.txt").exists() {
        assert!(Instant::now() < deadline, "not quarantined");
        std::thread::sleep(Duration::from_millis(25));
    }
    let why = std::fs::read_to_string(folder.join("quarantine/casse.json.error.txt")).unwrap();
    assert!(why.contains("`uri` is required"), "{why}");
    assert!(folder.join("quarantine/casse.json").exists());
}
