//! End to end in a real browser (Debian's chromium, driven through chromedriver):
//! log in, write an article with a photo, preview, publish, read it on the site; two
//! editors in conflict; a scheduled article going live.

use crate::server::{Server, kiosque};
use crate::webdriver::Driver;
use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

pub fn browser_available() -> bool {
    let present = std::path::Path::new("/usr/bin/chromium").exists()
        && std::path::Path::new("/usr/bin/chromedriver").exists();
    if !present {
        assert!(
            std::env::var_os("KIOSQUE_REQUIRE_BROWSER").is_none(),
            "KIOSQUE_REQUIRE_BROWSER is set but chromium or chromedriver is missing"
        );
        eprintln!("chromium or chromedriver missing: browser test skipped");
    }
    present
}

pub fn create_user(data: &std::path::Path, email: &str, role: &str) {
    create_user_with(data, &[], email, role);
}

/// The same with global flags (`--database-url`).
pub fn create_user_with(data: &std::path::Path, flags: &[&str], email: &str, role: &str) {
    let mut child = kiosque()
        .args(["--data", data.to_str().unwrap()])
        .args(flags)
        .args([
            "user",
            "create",
            "--email",
            email,
            "--name",
            email.split('@').next().unwrap(),
            "--role",
            role,
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"mot de passe de test\n")
        .unwrap();
    assert!(child.wait().unwrap().success());
}

fn login(session: &crate::webdriver::Session<'_>, base: &str, email: &str) {
    session.go(&format!("{base}/admin/login"));
    session.type_into("#email", email);
    session.type_into("#password", "mot de passe de test");
    session.click("button[type=submit]");
    session.wait_for("Tableau de bord", None, Duration::from_secs(10));
}

fn save_screenshot(name: &str, base64: &str) {
    if let Some(dir) = std::env::var_os("KIOSQUE_SCREENSHOTS") {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(
            std::path::Path::new(&dir).join(format!("{name}.png.b64")),
            base64,
        );
    }
}

/// The section select's value for a section name.
fn pick_section(session: &crate::webdriver::Session<'_>, name: &str) {
    session.script(
        "const s = document.getElementById('section_id'); for (const o of s.options) { if (o.text.trim() === arguments[0]) { s.value = o.value; } }",
        serde_json::json!([name]),
    );
}

#[test]
fn a_journalist_and_an_editor_write_publish_and_conflict_in_a_browser() {
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    kiosque()
        .args(["--data", data.to_str().unwrap(), "demo"])
        .status()
        .unwrap();
    create_user(data, "paul@example.org", "editor");
    create_user(data, "lea@example.org", "editor");
    let server = Server::start(data, &[]);
    let base = format!("http://127.0.0.1:{}", server.port);
    let driver = Driver::start();

    // Write an article with a photo.
    let paul = driver.session();
    login(&paul, &base, "paul@example.org");
    save_screenshot("dashboard", &paul.screenshot_base64());
    paul.go(&format!("{base}/admin/articles/new"));
    paul.type_into("#headline", "Le tramway de Lorvennes entre en service");
    paul.type_into(
        "#standfirst",
        "Après trois ans de travaux, la première ligne relie la gare au campus.",
    );
    paul.type_into("#body_markdown", "Les premières rames sont parties à 5 heures.\n\n## Une ligne de 9 km\n\n> « Enfin », sourit une usagère.");
    pick_section(&paul, "Économie");
    paul.type_into("#contributors", "Kiosque Info");
    paul.type_into("#agencies", "AFP");
    let photo = data.join("photo.png");
    std::fs::write(&photo, png()).unwrap();
    paul.type_into("#lead_file", photo.to_str().unwrap());
    paul.type_into("#lead_alt", "Une rame de tramway en gare");
    paul.type_into("#lead_caption", "La première rame, en gare de Lorvennes.");
    paul.type_into("#lead_credit", "TEST / KIOSQUE");
    paul.click("button[name=action][value=save]");
    let editor = paul.wait_for("Historique", None, Duration::from_secs(10));
    assert!(
        editor.contains("class=\"lead-preview\""),
        "the uploaded photo is attached"
    );
    let editor_url = paul.url();
    save_screenshot("editor", &paul.screenshot_base64());

    // The preview is the public page of the draft.
    let preview_href = paul.script(
        "return document.querySelector('.editor-status a[target=_blank]').href",
        serde_json::json!([]),
    );
    paul.go(preview_href.as_str().unwrap());
    let preview = paul.source();
    assert!(preview.contains("Le tramway de Lorvennes entre en service"));
    assert!(preview.contains("Article rédigé par"));

    // Two editors open it; Léa saves first, Paul's save is refused with both versions.
    let lea = driver.session();
    login(&lea, &base, "lea@example.org");
    lea.go(&editor_url);
    paul.go(&editor_url);
    lea.type_into("#headline", "Le tramway de Lorvennes en service dès lundi");
    lea.click("button[name=action][value=save]");
    lea.wait_for("Historique", None, Duration::from_secs(10));
    paul.type_into(
        "#body_markdown",
        "Le texte de Paul, qui ne doit pas se perdre.",
    );
    paul.click("button[name=action][value=save]");
    let conflict = paul.wait_for("Conflit de modification", None, Duration::from_secs(10));
    assert!(conflict.contains("Le texte de Paul, qui ne doit pas se perdre."));
    assert!(conflict.contains("Le tramway de Lorvennes en service dès lundi"));
    save_screenshot("conflict", &paul.screenshot_base64());

    // Paul keeps his version deliberately, then publishes.
    paul.click(".conflict button[type=submit]");
    paul.wait_for("Historique", None, Duration::from_secs(10));
    paul.click("button[name=action][value=publish]");
    let published = paul.wait_for("Voir en ligne", None, Duration::from_secs(10));
    assert!(published.contains("Publié"));
    let public = paul.script(
        "return document.querySelector('.editor-status a[href$=\".html\"]').getAttribute('href')",
        serde_json::json!([]),
    );
    paul.go(&format!("{base}{}", public.as_str().unwrap()));
    let page = paul.source();
    // Paul kept his whole version, headline included: his choice, made with both in view.
    assert!(
        page.contains("<h1 class=\"article__title\">Le tramway de Lorvennes entre en service</h1>"),
        "{page}"
    );
    assert!(page.contains("Le texte de Paul, qui ne doit pas se perdre."));
    assert!(page.contains("(TEST / KIOSQUE)"));
    save_screenshot("published", &paul.screenshot_base64());

    // Schedule another article for the next minute (the form's precision) and watch it go live.
    paul.go(&format!("{base}/admin/articles/new"));
    paul.type_into("#headline", "Un article programmé pour tout à l'heure");
    pick_section(&paul, "Sport");
    paul.click("button[name=action][value=save]");
    paul.wait_for("Historique", None, Duration::from_secs(10));
    let at = (chrono::Utc::now() + chrono::Duration::seconds(70))
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    paul.script(
        "document.getElementById('schedule_at').value = arguments[0];",
        serde_json::json!([at]),
    );
    paul.click("button[name=action][value=schedule]");
    paul.wait_for("Programmé", None, Duration::from_secs(10));
    let home = format!("{base}/sport/");
    paul.wait_for(
        "Un article programmé pour tout à l'heure",
        Some(&home),
        Duration::from_secs(150),
    );
}

pub fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(800, 450, |x, y| {
        image::Rgb([(x % 255) as u8, (y % 255) as u8, 140])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}
