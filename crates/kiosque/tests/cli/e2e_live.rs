//! Live coverage in a real browser: journalists post from the live desk with
//! Ctrl+Enter and see each other's entries appear without reloading; a reader's page
//! offers the new entries behind a button, without moving what they are reading.

use crate::e2e::{browser_available, create_user};
use crate::server::{Server, api, kiosque};
use crate::webdriver::{Driver, Session};
use std::time::{Duration, Instant};

fn login(session: &Session<'_>, base: &str, email: &str) {
    session.go(&format!("{base}/admin/login"));
    session.type_into("#email", email);
    session.type_into("#password", "mot de passe de test");
    session.click("button[type=submit]");
    session.wait_for("Tableau de bord", None, Duration::from_secs(10));
}

/// Polls `check` in the page every 100 ms until it is true; how long it took.
fn until(session: &Session<'_>, what: &str, script: &str, within: Duration) -> Duration {
    let started = Instant::now();
    loop {
        if session.script(script, serde_json::json!([])) == serde_json::Value::Bool(true) {
            return started.elapsed();
        }
        assert!(started.elapsed() < within, "{what}: not within {within:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn live_entries_reach_the_desk_and_the_readers_page_in_place() {
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    kiosque()
        .args(["--data", data.to_str().unwrap(), "demo"])
        .status()
        .unwrap();
    create_user(data, "chef@example.org", "editor");
    create_user(data, "lea@example.org", "journalist");
    create_user(data, "paul@example.org", "journalist");
    let out = kiosque()
        .args(["--data", data.to_str().unwrap()])
        .args(["token", "create", "--email", "chef@example.org"])
        .output()
        .unwrap();
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let server = Server::start(data, &[]);
    let base = format!("http://127.0.0.1:{}", server.port);
    let (status, _, created) = api(
        server.port,
        "POST",
        "/api/v1/articles",
        &token,
        r#"{"headline": "DIRECT. Crue de la Loire", "section": "france", "kind": "live", "body_markdown": "- La Loire à 6 m à Orléans"}"#,
    );
    assert_eq!(status, 201, "{created}");
    let id = serde_json::from_str::<serde_json::Value>(&created).unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, _, published) = api(
        server.port,
        "POST",
        &format!("/api/v1/articles/{id}/publish"),
        &token,
        "",
    );
    assert_eq!(status, 200, "{published}");
    let url = serde_json::from_str::<serde_json::Value>(&published).unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let driver = Driver::start();

    // Two journalists on the desk: Léa posts with Ctrl+Enter, the box empties and
    // stays; Paul's desk shows her entry without reloading.
    let desk = format!("{base}/admin/articles/{id}/direct");
    let lea = driver.session();
    login(&lea, &base, "lea@example.org");
    lea.go(&desk);
    let paul = driver.session();
    login(&paul, &base, "paul@example.org");
    paul.go(&desk);
    paul.script("window.__kept = 1; return true;", serde_json::json!([]));
    lea.type_into(
        "#entry-body",
        "Les digues tiennent à Tours, selon la préfecture.",
    );
    lea.keys("#entry-body", "\u{E009}\u{E007}");
    until(
        &lea,
        "Léa's entry on her desk",
        "return document.getElementById('desk-stream').textContent.includes('Les digues tiennent') && document.getElementById('entry-body').value === ''",
        Duration::from_secs(10),
    );
    let seen = until(
        &paul,
        "Léa's entry on Paul's desk",
        "return window.__kept === 1 && document.getElementById('desk-stream').textContent.includes('Les digues tiennent')",
        Duration::from_secs(5),
    );
    eprintln!("an entry posted on one desk appeared on the other after {seen:?}");
    // Paul marks it as a key moment: Léa's desk shows the mark without reloading.
    lea.script("window.__kept = 1; return true;", serde_json::json!([]));
    paul.click("#desk-stream li.desk-entry form button");
    paul.wait_for("Retirer des moments clés", None, Duration::from_secs(10));
    let marked = until(
        &lea,
        "Paul's mark on Léa's desk",
        "const li = document.querySelector('#desk-stream li.desk-entry'); return window.__kept === 1 && !!li && li.classList.contains('desk-entry--key')",
        Duration::from_secs(5),
    );
    eprintln!("a colleague's mark appeared on the desk after {marked:?}");

    // A reader is on the page, scrolled down; two entries are posted; a button offers
    // them, nothing moves until it is pressed, and then they are on top, in place.
    let reader = driver.session();
    reader.go(&url);
    reader.wait_for("Les digues tiennent", None, Duration::from_secs(5));
    reader.script(
        "window.__kept = 1; window.scrollTo(0, 400); return true;",
        serde_json::json!([]),
    );
    let before: serde_json::Value = reader.script(
        "return [document.querySelectorAll('.live-stream li.live-entry[id]').length, window.scrollY]",
        serde_json::json!([]),
    );
    for text in [
        "La vigilance passe au rouge dans le Loiret.",
        "Évacuation du quartier des Aubiers.",
    ] {
        let (status, _, body) = api(
            server.port,
            "POST",
            &format!("/api/v1/articles/{id}/entries"),
            &token,
            &format!(r#"{{"body_markdown": "{text}"}}"#),
        );
        assert_eq!(status, 201, "{body}");
    }
    until(
        &reader,
        "the new entries button",
        "const b = document.querySelector('.live-new'); return !!b && !b.hidden && b.textContent.includes('2 nouvelles entrées')",
        Duration::from_secs(15),
    );
    let waiting: serde_json::Value = reader.script(
        "return [document.querySelectorAll('.live-stream li.live-entry[id]').length, window.scrollY]",
        serde_json::json!([]),
    );
    assert_eq!(waiting, before, "nothing moved before the reader asked");
    reader.click(".live-new");
    until(
        &reader,
        "the new entries in place",
        "const items = document.querySelectorAll('.live-stream li.live-entry[id]'); return window.__kept === 1 && items.length === 3 && items[0].textContent.includes('Évacuation') && document.querySelector('.live-new').hidden",
        Duration::from_secs(5),
    );
}
