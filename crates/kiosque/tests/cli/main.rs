//! The binary as a user runs it: real processes, real files, real HTTP on 127.0.0.1,
//! and a real browser (Debian's chromium) for the end-to-end check.
#![expect(
    clippy::disallowed_methods,
    reason = "tests read the real clock and the environment that enables their suites"
)]
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail loudly, like the tests"
)]

mod backup;
mod crash;
mod e2e;
mod e2e_comments;
mod e2e_embeds;
mod e2e_live;
mod faults;
mod import;
mod ingest;
mod media;
mod nodes;
mod schemathesis;
mod search;
mod server;
mod webdriver;

use server::{Server, http_get, kiosque};

#[test]
fn config_example_prints_the_documented_file() {
    let out = kiosque().args(["config", "example"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[site]") && text.contains("age_banner_days = 365"));
}

#[test]
fn help_documents_every_subcommand() {
    let out = kiosque().arg("--help").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for command in [
        "serve", "worker", "migrate", "demo", "config", "user", "token", "ingest", "reindex",
        "backup", "restore",
    ] {
        assert!(
            text.contains(command),
            "{command} missing from --help:\n{text}"
        );
    }
    let serve =
        String::from_utf8(kiosque().args(["serve", "--help"]).output().unwrap().stdout).unwrap();
    assert!(
        serve.contains("KIOSQUE_LISTEN")
            && serve.contains("KIOSQUE_DATA")
            && serve.contains("KIOSQUE_DATABASE_URL")
    );
}

#[test]
fn a_broken_database_url_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = kiosque()
        .args([
            "--data",
            dir.path().to_str().unwrap(),
            "--database-url",
            "mysql://x",
            "migrate",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("unsupported database URL"), "{err}");
}

#[test]
fn demo_loads_once_and_survives_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    for _ in 0..2 {
        let out = kiosque().args(["--data", data, "demo"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let server = Server::start(dir.path(), &["--demo"]);
    let home = http_get(server.port, "/");
    assert_eq!(home.status, 200);
    let links = server::article_links(&home.body);
    assert!(
        links.len() >= 17,
        "{} articles on the home page",
        links.len()
    );
    let mut unique = links.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), links.len(), "no article twice");
    drop(server);

    // A restart with --demo again keeps everything and adds nothing.
    let server = Server::start(dir.path(), &["--demo"]);
    let again = server::article_links(&http_get(server.port, "/").body);
    assert_eq!(again, links);
    assert!(dir.path().join("kiosque.db").exists());
    assert!(
        std::fs::read_dir(dir.path().join("media"))
            .unwrap()
            .next()
            .is_some(),
        "pictures are stored as media files"
    );
}

#[test]
fn the_demo_site_serves_its_pages() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo"]);
    let home = http_get(server.port, "/");
    assert!(home.body.contains("Kiosque Info"));
    for section in [
        "/monde/",
        "/monde/europe/",
        "/politique/",
        "/economie/",
        "/culture/",
        "/sciences/",
        "/sport/",
    ] {
        let page = http_get(server.port, section);
        assert_eq!(page.status, 200, "{section}");
        assert!(
            !server::article_links(&page.body).is_empty(),
            "{section} lists articles"
        );
    }
    // The old article carries the banner, the reference byline and its update time.
    let old = server::old_article(server.port);
    let article = http_get(server.port, &old);
    assert_eq!(article.status, 200);
    assert!(
        article
            .body
            .contains("Cet article date de plus de huit ans.")
    );
    assert!(article.body.contains(
        "Article rédigé par <a href=\"/auteurs/kiosque-info/\">Kiosque Info</a> avec AFP"
    ));
    assert!(
        article
            .body
            .contains("Mis à jour le <time datetime=\"2018-04-02T15:20:00+02:00\">")
    );
    let image = article
        .body
        .split("<figure class=\"lead-figure\">")
        .nth(1)
        .unwrap()
        .split("<img src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let picture = http_get(server.port, &image);
    assert_eq!(picture.status, 200);
    assert!(picture.headers.contains("content-type: image/jpeg"));
}

#[test]
fn a_real_browser_renders_the_article_page() {
    let chromium = std::path::Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        assert!(
            std::env::var_os("KIOSQUE_REQUIRE_BROWSER").is_none(),
            "KIOSQUE_REQUIRE_BROWSER is set but /usr/bin/chromium is missing"
        );
        eprintln!("chromium is not installed: browser test skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo"]);
    let old = server::old_article(server.port);
    let url = format!("http://127.0.0.1:{}{old}", server.port);
    let shot = dir.path().join("article.png");
    let profile = dir.path().join("chromium-profile");
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ];
    let dom = std::process::Command::new(chromium)
        .args(common)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--dump-dom", &url])
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("<h1 class=\"article__title\">Le sommet européen"),
        "{dom}"
    );
    assert!(dom.contains("Temps de lecture : "));
    let status = std::process::Command::new(chromium)
        .args(common)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args([
            "--window-size=390,1600",
            &format!("--screenshot={}", shot.display()),
            &url,
        ])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let png = std::fs::read(&shot).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    assert_eq!(width, 390);
}

#[test]
fn the_same_site_runs_on_postgresql() {
    let Some(db) = server::PgDatabase::create("kq_cli") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    server::run_ok(kiosque().args([
        "--data",
        dir.path().to_str().unwrap(),
        "--database-url",
        &db.url,
        "demo",
    ]));
    let server = Server::start_with(dir.path(), &["--database-url", &db.url]);
    assert_eq!(
        http_get(server.port, "/healthz").body,
        r#"{"status":"ok","database":"postgres"}"#
    );
    let home = http_get(server.port, "/");
    let links = server::article_links(&home.body);
    assert!(links.len() >= 17);
    assert_eq!(http_get(server.port, &links[0]).status, 200);
}

/// Every kind of page through the W3C's Nu HTML Checker (vnu.jar), when CI provides it.
#[test]
fn pages_are_valid_html5() {
    let Some(jar) = std::env::var_os("KIOSQUE_VNU_JAR") else {
        eprintln!("KIOSQUE_VNU_JAR is not set: HTML validation skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // An article with embeds from a provider stub: a player's placeholder and a card.
    let origin = e2e_embeds::start_provider(std::sync::Arc::default());
    std::fs::write(
        dir.path().join("kiosque.toml"),
        format!(
            "[[embeds.providers]]\nname = \"Stub Vidéo\"\nschemes = [\"{origin}/watch/*\"]\nendpoint = \"{origin}/oembed\"\n\n[[embeds.providers]]\nname = \"Stub Social\"\nstyle = \"card\"\nschemes = [\"{origin}/*/status/*\"]\nendpoint = \"{origin}/oembed\"\n"
        ),
    )
    .unwrap();
    let server = Server::start(dir.path(), &["--demo"]);
    e2e::create_user(dir.path(), "chef@example.org", "editor");
    let token = String::from_utf8(
        kiosque()
            .args(["--data", dir.path().to_str().unwrap()])
            .args(["token", "create", "--email", "chef@example.org"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_owned();
    let pictures = e2e_embeds::demo_pictures(server.port, 3);
    // A video and a sound, when ffmpeg can make them (CI requires it).
    let video = e2e_embeds::upload_av(
        server.port,
        &token,
        "v.mp4",
        "video/mp4",
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=2:size=320x180:rate=25",
            "-pix_fmt",
            "yuv420p",
        ],
    );
    let sound = e2e_embeds::upload_av(
        server.port,
        &token,
        "s.mp3",
        "audio/mpeg",
        &["-f", "lavfi", "-i", "sine=duration=2"],
    );
    let players: String = [video, sound]
        .into_iter()
        .flatten()
        .map(|p| format!("\n\n{p}\n"))
        .collect();
    let body = serde_json::json!({
        "headline": "La Loire en images",
        "section": "france",
        "body_markdown": format!(
            "Vu du ciel.\n\n{origin}/watch/42\n\nLa préfecture :\n\n{origin}/pref/status/9\n\n![Une vue]({} \"La digue\")\n\nLa galerie :\n\n![A]({} \"Le quai\")\n![B]({})\n![C]({} \"Le soir\")\n",
            pictures[0], pictures[0], pictures[1], pictures[2]
        ) + &players,
    });
    let (status, _, created) = server::api(
        server.port,
        "POST",
        "/api/v1/articles",
        &token,
        &body.to_string(),
    );
    assert_eq!(status, 201, "{created}");
    let id = serde_json::from_str::<serde_json::Value>(&created).unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, _, published) = server::api(
        server.port,
        "POST",
        &format!("/api/v1/articles/{id}/publish"),
        &token,
        "",
    );
    assert_eq!(status, 200, "{published}");
    let with_embeds = serde_json::from_str::<serde_json::Value>(&published).unwrap()["url"]
        .as_str()
        .unwrap()
        .split_once("127.0.0.1")
        .unwrap()
        .1
        .split_once('/')
        .map(|(_, path)| format!("/{path}"))
        .unwrap();
    let home = http_get(server.port, "/");
    let links = server::article_links(&home.body);
    let english = links
        .iter()
        .find(|l| l.contains("wildfire"))
        .unwrap()
        .clone();
    let old = server::old_article(server.port);
    let live = server::article_links(&http_get(server.port, "/sciences/").body)
        .into_iter()
        .find(|l| l.contains("direct-crue"))
        .expect("the demo's live");
    let embeds_page = http_get(server.port, &with_embeds).body;
    assert!(
        embeds_page.contains("Afficher le contenu (Stub Vidéo)")
            && embeds_page.contains("Route coupée")
            && embeds_page.contains("<section class=\"gallery\""),
        "{embeds_page}"
    );
    if !players.is_empty() {
        assert!(
            embeds_page.contains("<video controls preload=\"none\"")
                && embeds_page.contains("<audio controls preload=\"none\">"),
            "{embeds_page}"
        );
    }
    let pages = [
        "/",
        &with_embeds,
        &live,
        "/alertes",
        "/newsletters",
        "/newsletters/le-matin",
        "/monde/",
        "/monde/europe/",
        &old,
        &english,
        "/tags/climat/",
        "/auteurs/camille-fournier/",
        "/compte/connexion",
        "/absent/",
        "/mentions-legales/",
        "/charte-de-moderation/",
    ];
    let pages_dir = dir.path().join("pages");
    std::fs::create_dir(&pages_dir).unwrap();
    for (i, page) in pages.iter().enumerate() {
        std::fs::write(
            pages_dir.join(format!("page{i}.html")),
            http_get(server.port, page).body,
        )
        .unwrap();
    }
    let css_href = home
        .body
        .split(r#"<link rel="stylesheet" href=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    std::fs::write(
        pages_dir.join("site.css"),
        http_get(server.port, &css_href).body,
    )
    .unwrap();
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(jar)
        .arg("--also-check-css")
        .arg(&pages_dir)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && report.trim().is_empty(),
        "validator report for {pages:?}:\n{report}"
    );
}

#[test]
fn demo_generates_synthetic_articles_for_load_tests() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = kiosque()
        .args(["--data", data, "demo", "--generate", "--articles", "40"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("generated 40 articles"), "{said}");
    // A second run adds others; the demo itself is not loaded twice.
    let out = kiosque()
        .args(["--data", data, "demo", "--generate", "--articles", "40"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = kiosque()
        .args(["--data", data, "reindex"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(": 104 articles"),
        "24 demo (one of them a live) + 2 × 40 generated: {said}"
    );
    let server = Server::start(dir.path(), &[]);
    let home = http_get(server.port, "/");
    assert_eq!(home.status, 200);
    assert!(server::article_links(&home.body).len() >= 20);
}
