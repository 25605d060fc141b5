//! Search on a running server: the index follows publishing within a second, and
//! `kiosque reindex` rebuilds it from the database.

use crate::server::{Server, http_get, kiosque};
use std::time::{Duration, Instant};

fn http_json(port: u16, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
    let (status, _, body) = crate::server::api(port, method, path, token, body);
    (status, body)
}

fn wait_for(port: u16, path: &str, needle: &str, limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        if http_get(port, path).body.contains(needle) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < limit,
            "{needle:?} never appeared on {path}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn editor_token(data: &std::path::Path) -> String {
    let dir = data.to_str().unwrap();
    crate::e2e::create_user(data, "red@example.org", "editor");
    let out = kiosque()
        .args([
            "--data",
            dir,
            "token",
            "create",
            "--email",
            "red@example.org",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn search_follows_publishing_and_reindex_rebuilds_it() {
    let data = tempfile::tempdir().unwrap();
    let token = editor_token(data.path());
    let server = Server::start(data.path(), &["--demo"]);
    let port = server.port;
    // The first start builds the index from the demo content.
    wait_for(
        port,
        "/recherche?q=sommet",
        "<mark>",
        Duration::from_secs(30),
    );

    let (status, created) = http_json(
        port,
        "POST",
        "/api/v1/articles",
        &token,
        r#"{"headline": "Tempête hivernale sur les Pyrénées", "section": "france", "body_markdown": "Les cols sont fermés."}"#,
    );
    assert_eq!(status, 201, "{created}");
    let id = created
        .split("\"id\":")
        .nth(1)
        .unwrap()
        .split([',', '}'])
        .next()
        .unwrap()
        .trim()
        .to_owned();
    assert!(
        !http_get(port, "/recherche?q=pyrenees")
            .body
            .contains("Tempête"),
        "a draft is not found"
    );
    let (status, published) = http_json(
        port,
        "POST",
        &format!("/api/v1/articles/{id}/publish"),
        &token,
        "",
    );
    assert_eq!(status, 200, "{published}");
    let took = wait_for(
        port,
        "/recherche?q=pyrenees",
        "Tempête hivernale",
        Duration::from_secs(5),
    );
    eprintln!("found by search {} ms after publishing", took.as_millis());
    assert!(took < Duration::from_secs(2), "took {took:?}");
    let (status, _) = http_json(
        port,
        "POST",
        &format!("/api/v1/articles/{id}/unpublish"),
        &token,
        "",
    );
    assert_eq!(status, 200);
    let started = Instant::now();
    while http_get(port, "/recherche?q=pyrenees")
        .body
        .contains("Tempête")
    {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "still found after unpublishing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    // While the server holds the index, reindex asks it to rebuild.
    let dir = data.path().to_str().unwrap();
    let out = kiosque().args(["--data", dir, "reindex"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("every running node will rebuild"));
    wait_for(
        port,
        "/recherche?q=sommet",
        "<mark>",
        Duration::from_secs(10),
    );
    drop(server);

    // Without a server, it rebuilds the index itself, even from nothing.
    std::fs::remove_dir_all(data.path().join("search")).unwrap();
    let out = kiosque().args(["--data", dir, "reindex"]).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && said.contains("search index rebuilt"),
        "{said}"
    );
    assert!(!said.contains(": 0 articles"), "{said}");
    let server = Server::start(data.path(), &[]);
    assert!(
        http_get(server.port, "/recherche?q=sommet")
            .body
            .contains("<mark>")
    );
}
