//! `kiosque backup` while another process writes, `kiosque restore` into an empty data
//! directory, and the restored site serving the same pages.

use crate::server::{Server, http_get, kiosque};
use std::process::Stdio;

#[test]
fn a_backup_taken_during_writes_restores_the_same_site() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    assert!(
        kiosque()
            .args(["--data", data, "demo"])
            .status()
            .unwrap()
            .success()
    );
    // Another process keeps writing articles while the backup runs.
    let mut writer = kiosque()
        .args([
            "--log",
            "warn",
            "--data",
            data,
            "demo",
            "--generate",
            "--articles",
            "400",
        ])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let out = dir.path().join("backup");
    let backup = kiosque()
        .args(["--data", data, "backup", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    assert!(String::from_utf8_lossy(&backup.stdout).contains("integrity ok"));
    assert!(
        writer.wait().unwrap().success(),
        "the writer was not disturbed"
    );
    assert!(out.join("kiosque.db").is_file() && out.join("backup.json").is_file());
    assert!(!out.join("kiosque.db.partial").exists());

    // A second backup into the same folder is refused: nothing is overwritten.
    let again = kiosque()
        .args(["--data", data, "backup", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));

    let restored = dir.path().join("restored");
    let restored = restored.to_str().unwrap();
    let restore = kiosque()
        .args(["--data", restored, "restore", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        restore.status.success(),
        "{}",
        String::from_utf8_lossy(&restore.stderr)
    );
    let twice = kiosque()
        .args(["--data", restored, "restore", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("empty data directory"));

    // Both sites serve the same article page, pictures included.
    let original = Server::start(std::path::Path::new(data), &[]);
    let copy = Server::start(std::path::Path::new(restored), &[]);
    // The first demo article, found by id (any slug answers 301 to its address).
    let moved = http_get(original.port, "/x/y_1.html");
    assert_eq!(moved.status, 301);
    let article = moved
        .headers
        .lines()
        .find_map(|l| l.strip_prefix("location: "))
        .expect("a location")
        .trim()
        .to_owned();
    let a = http_get(original.port, &article);
    let b = http_get(copy.port, &article);
    assert_eq!(b.status, 200);
    // The same page but for the port in absolute links.
    let same = a.body.replace(&original.port.to_string(), "PORT")
        == b.body.replace(&copy.port.to_string(), "PORT");
    assert!(same, "the restored site serves a different page");
    let picture = b
        .body
        .split("src=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|src| src.starts_with("/media/"))
        .expect("the article's picture")
        .to_owned();
    assert_eq!(http_get(copy.port, &picture).status, 200);
}

#[test]
fn postgresql_backups_are_pg_dumps_and_the_command_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let output = kiosque()
        .args([
            "--data",
            dir.path().to_str().unwrap(),
            "--database-url",
            "postgres://kiosque:secret@127.0.0.1:1/kiosque",
            "backup",
            dir.path().join("out").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("pg_dump") && stderr.contains("pg_restore"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"), "no password in messages");
}
