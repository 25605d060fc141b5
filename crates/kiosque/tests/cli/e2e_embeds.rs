//! Embeds in a real browser (Debian's chromium): the article page asks nothing of
//! the provider until the reader clicks "Afficher le contenu"; after the click the
//! provider's player loads in a sandboxed iframe, allowed by the page's
//! Content-Security-Policy (no violation reported). The provider is a stub on
//! loopback that logs every request it gets, from Kiosque's server or the browser.

use crate::e2e::{browser_available, png};
use crate::server::{Server, api, kiosque};
use crate::webdriver::Driver;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A provider on a free port: `/oembed`, `/thumb.png`, `/player/1`. Every request's
/// path is logged.
pub fn start_provider(log: Arc<Mutex<Vec<String>>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let base = origin.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                match stream.read(&mut byte) {
                    Ok(1) => head.push(byte[0]),
                    _ => break,
                }
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
            log.lock().unwrap().push(path.clone());
            let (kind, body): (&str, Vec<u8>) = if path.starts_with("/oembed")
                && path.contains("status")
            {
                let answer = json!({
                    "version": "1.0", "type": "rich", "author_name": "Préfecture de Lorvennes",
                    "html": "<blockquote><p>Route coupée entre Lorvennes et Saint-Aubin.</p>&mdash; Préfecture <a href=\"https://social.example/p/1\">3 décembre 2026</a></blockquote>",
                });
                ("application/json", answer.to_string().into_bytes())
            } else if path.starts_with("/oembed") {
                let answer = json!({
                    "version": "1.0", "type": "video",
                    "title": "Crue de la Loire vue du ciel", "author_name": "Stub",
                    "width": 640, "height": 360,
                    "html": format!(r#"<iframe width="640" height="360" src="{base}/player/1"></iframe>"#),
                    "thumbnail_url": format!("{base}/thumb.png"),
                });
                ("application/json", answer.to_string().into_bytes())
            } else if path.starts_with("/thumb.png") {
                ("image/png", png())
            } else if path.starts_with("/player/1") {
                (
                    "text/html; charset=utf-8",
                    b"<!doctype html><title>Lecteur</title><p id=lecteur>Lecteur du fournisseur</p>".to_vec(),
                )
            } else {
                ("text/plain", b"not found".to_vec())
            };
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    origin
}

/// Uploads a video or a sound made by ffmpeg (`None` without ffmpeg, an error when
/// `KIOSQUE_REQUIRE_FFMPEG` is set) through `POST /api/v1/media`; its path.
pub fn upload_av(port: u16, token: &str, name: &str, mime: &str, args: &[&str]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    let made = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-y"])
        .args(args)
        .arg(&file)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        assert!(
            std::env::var_os("KIOSQUE_REQUIRE_FFMPEG").is_none(),
            "KIOSQUE_REQUIRE_FFMPEG is set but ffmpeg cannot make {name}"
        );
        return None;
    }
    let bytes = std::fs::read(&file).unwrap();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "POST /api/v1/media HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        bytes.len()
    )
    .unwrap();
    stream.write_all(&bytes).unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let body = raw.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    assert!(raw.starts_with("HTTP/1.1 201"), "{raw}");
    let url = serde_json::from_str::<Value>(body).unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = url.split_once("://").unwrap().1;
    Some(path[path.find('/').unwrap()..].to_owned())
}

/// Addresses of original pictures of the demo's library (their renditions left
/// out), read from the demo's article pages, for bodies with pictures and galleries.
pub fn demo_pictures(port: u16, count: usize) -> Vec<String> {
    let home = crate::server::http_get(port, "/");
    let mut found: Vec<String> = Vec::new();
    for link in crate::server::article_links(&home.body) {
        let page = crate::server::http_get(port, &link).body;
        for piece in page.split("/media/").skip(1) {
            let url = format!(
                "/media/{}",
                piece.split(['"', ' ', ',']).next().unwrap_or_default()
            );
            let original = (url.ends_with(".jpg") || url.ends_with(".png"))
                && !["-thumb.", "-medium.", "-crop-", "-webp", "-full"]
                    .iter()
                    .any(|r| url.contains(r));
            if original && !found.contains(&url) {
                found.push(url);
            }
        }
        if found.len() >= count {
            break;
        }
    }
    assert!(
        found.len() >= count,
        "{count} pictures in the demo: {found:?}"
    );
    found.truncate(count);
    found
}

#[test]
fn nothing_reaches_the_provider_before_the_click_and_the_player_loads_after_it() {
    if !browser_available() {
        return;
    }
    let log = Arc::new(Mutex::new(Vec::new()));
    let origin = start_provider(log.clone());
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    kiosque()
        .args(["--data", data.to_str().unwrap(), "demo"])
        .status()
        .unwrap();
    std::fs::write(
        data.join("kiosque.toml"),
        format!(
            "[[embeds.providers]]\nname = \"Stub Vidéo\"\nschemes = [\"{origin}/watch/*\"]\nendpoint = \"{origin}/oembed\"\n"
        ),
    )
    .unwrap();
    crate::e2e::create_user(data, "chef@example.org", "editor");
    let out = kiosque()
        .args(["--data", data.to_str().unwrap()])
        .args(["token", "create", "--email", "chef@example.org"])
        .output()
        .unwrap();
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let server = Server::start(data, &[]);
    let pictures = demo_pictures(server.port, 3);
    let body = json!({
        "headline": "La Loire sort de son lit à Lorvennes",
        "section": "france",
        "body_markdown": format!(
            "Les images du drone de la sécurité civile.\n\n{origin}/watch/42\n\nLe niveau baisse depuis ce matin.\n\n![Première vue]({} \"Le matin\")\n![Deuxième vue]({})\n![Troisième vue]({} \"Le soir\")\n",
            pictures[0], pictures[1], pictures[2]
        ),
    });
    let (status, _, created) = api(
        server.port,
        "POST",
        "/api/v1/articles",
        &token,
        &body.to_string(),
    );
    assert_eq!(status, 201, "{created}");
    let id = serde_json::from_str::<Value>(&created).unwrap()["id"]
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
    let url = serde_json::from_str::<Value>(&published).unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    // The server asked once, when the article was saved, and copied the thumbnail.
    let at_save = log.lock().unwrap().clone();
    assert_eq!(
        at_save.iter().filter(|p| p.starts_with("/oembed")).count(),
        1,
        "{at_save:?}"
    );
    assert!(at_save.iter().any(|p| p == "/thumb.png"), "{at_save:?}");

    let driver = Driver::start();
    let reader = driver.session();
    reader.go(&url);
    reader.wait_for(
        "Afficher le contenu (Stub Vidéo)",
        None,
        Duration::from_secs(10),
    );
    // Violations of the page's policy are counted from here on.
    reader.script(
        "window.__violations = []; document.addEventListener('securitypolicyviolation', function (e) { window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); }); return true;",
        json!([]),
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        log.lock().unwrap().len(),
        at_save.len(),
        "the browser asked the provider nothing: {:?}",
        log.lock().unwrap()
    );
    let resources = reader.script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; });",
        json!([]),
    );
    assert!(
        !resources.to_string().contains(&origin),
        "no resource from the provider before the click: {resources}"
    );
    assert_eq!(
        reader.script(
            "return document.querySelectorAll('iframe').length;",
            json!([])
        ),
        json!(0)
    );
    let weight_before = reader.script(
        "var n = performance.getEntriesByType('navigation')[0]; return performance.getEntriesByType('resource').reduce(function (s, e) { return s + e.transferSize; }, n.transferSize);",
        json!([]),
    );
    eprintln!("page weight before the click: {weight_before} bytes");

    // The page with its placeholder passes axe (WCAG 2 A and AA rules), when CI
    // provides axe-core.
    if let Some(axe) = std::env::var_os("KIOSQUE_AXE_JS") {
        let source = std::fs::read_to_string(axe).unwrap();
        let violations = reader.script(
            &format!(
                "{source}\nreturn axe.run(document, {{runOnly: {{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}}}).then(function (r) {{ return r.violations.map(function (v) {{ return v.id + ': ' + v.nodes.map(function (n) {{ return n.target.join(' '); }}).join(', '); }}); }});"
            ),
            json!([]),
        );
        assert_eq!(
            violations,
            json!([]),
            "axe on the article page with an embed"
        );
        assert_eq!(
            log.lock().unwrap().len(),
            at_save.len(),
            "axe asked the provider nothing either"
        );
    }
    reader.click(".embed__placeholder");
    let started = Instant::now();
    while !log.lock().unwrap().iter().any(|p| p == "/player/1") {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the player was not loaded after the click"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let frame = reader.script(
        "var f = document.querySelector('.embed iframe'); return f && [f.src, f.getAttribute('sandbox'), f.title, f.getAttribute('referrerpolicy')];",
        json!([]),
    );
    assert_eq!(frame[0], json!(format!("{origin}/player/1")), "{frame}");
    assert!(
        frame[1].as_str().unwrap().contains("allow-scripts"),
        "{frame}"
    );
    assert_eq!(frame[2], json!("Crue de la Loire vue du ciel"));
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        reader.script("return window.__violations;", json!([])),
        json!([]),
        "the player loads under the page's Content-Security-Policy"
    );
    // The player's document really arrived in the frame (its size is that of a
    // loaded page, not of a blocked one).
    let entries = reader.script(
        "return performance.getEntriesByType('resource').filter(function (e) { return e.name.indexOf('/player/1') > 0; }).length;",
        json!([]),
    );
    assert_eq!(entries, json!(1));

    // The gallery is a carousel: the next button and the arrow keys move it.
    assert_eq!(
        reader.script(
            "return document.querySelector('.gallery__counter').textContent;",
            json!([])
        ),
        json!("1 / 3")
    );
    reader.click(".gallery__button:last-of-type");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        reader.script(
            "return document.querySelector('.gallery__counter').textContent;",
            json!([])
        ),
        json!("2 / 3")
    );
    reader.script(
        "var l = document.querySelector('.gallery__list'); l.focus(); l.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true})); return true;",
        json!([]),
    );
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        reader.script(
            "return document.querySelector('.gallery__counter').textContent;",
            json!([])
        ),
        json!("3 / 3")
    );
}
