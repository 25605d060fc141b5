//! Comments end to end in a real browser: a reader signs up from an article, confirms
//! the address through the outbox, comments; another replies and reports; a moderator
//! approves and rejects from the queue; the thread loads in place on the article.

use crate::e2e::{browser_available, create_user};
use crate::server::{Server, article_links, http_get, kiosque};
use crate::webdriver::{Driver, Session};
use std::path::Path;
use std::time::Duration;

const PASSWORD: &str = "une phrase de passe solide";
const WAIT: Duration = Duration::from_secs(15);

/// The messages in `<data>/outbox`, quoted-printable decoded.
fn outbox(data: &Path) -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(data.join("outbox"))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "eml"));
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let raw = std::fs::read(p).unwrap();
            let mut out = Vec::new();
            let mut i = 0;
            while i < raw.len() {
                if raw[i] == b'=' && raw[i + 1..].starts_with(b"\r\n") {
                    i += 3;
                } else if raw[i] == b'='
                    && let Some(byte) = raw
                        .get(i + 1..i + 3)
                        .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok())
                {
                    out.push(byte);
                    i += 3;
                } else {
                    out.push(raw[i]);
                    i += 1;
                }
            }
            String::from_utf8_lossy(&out).into_owned()
        })
        .collect()
}

/// The path of the link to `prefix` in the newest message to `to`, waiting for it.
fn link_for(data: &Path, to: &str, prefix: &str) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let to_line = format!("To: {to}");
        if let Some(mail) = outbox(data)
            .into_iter()
            .rev()
            .find(|m| m.contains(&to_line) && m.contains(prefix))
        {
            let start = mail.find(prefix).unwrap();
            let end = mail[start..]
                .find(char::is_whitespace)
                .map_or(mail.len(), |i| start + i);
            return mail[start..end].to_owned();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no message to {to} with {prefix}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn sign_up(session: &Session<'_>, name: &str, email: &str) {
    session.type_into("#email", email);
    session.type_into("#display_name", name);
    session.type_into("#password", PASSWORD);
    session.click("form[action='/compte/inscription'] button[type=submit]");
    session.wait_for("Vérifiez votre boîte de réception", None, WAIT);
}

#[test]
fn readers_comment_reply_report_and_a_moderator_moderates_in_a_browser() {
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    assert!(
        kiosque()
            .args(["--data", data.to_str().unwrap(), "demo"])
            .status()
            .unwrap()
            .success()
    );
    create_user(data, "modo@example.org", "moderator");
    let server = Server::start(data, &[]);
    let base = format!("http://127.0.0.1:{}", server.port);
    // A recent demo article: its thread is open.
    let home = http_get(server.port, "/");
    let (article, id) = article_links(&home.body)
        .into_iter()
        .find_map(|link| {
            let id: i64 = link
                .rsplit('_')
                .next()?
                .trim_end_matches(".html")
                .parse()
                .ok()?;
            let thread = http_get(server.port, &format!("/commentaires/{id}"));
            thread
                .body
                .contains("Connectez-vous à votre compte")
                .then_some((link, id))
        })
        .expect("an article with open comments");
    let driver = Driver::start();

    // Léa reads the article: the thread loads in place; she signs up from it.
    let lea = driver.session();
    lea.go(&format!("{base}{article}"));
    lea.wait_for("Commentaires (0)", None, WAIT);
    lea.click(".thread a[href^='/compte/inscription']");
    sign_up(&lea, "Léa <i>Lectrice</i>", "lea@example.org");
    let verify = link_for(data, "lea@example.org", "/compte/verifier/");
    lea.go(&format!("{base}{verify}"));
    // Opening the link shows a button (mail scanners open links); clicking it confirms.
    lea.wait_for("Confirmer mon adresse", None, WAIT);
    lea.click(".account-form button");
    // Back where she was: the article's comments, logged in.
    lea.wait_for("Connecté en tant que Léa", None, WAIT);
    assert!(
        lea.url().contains(&format!("/commentaires/{id}")),
        "{}",
        lea.url()
    );
    lea.type_into(
        "#comment-body",
        "Premier commentaire de Léa <script>alert(1)</script>",
    );
    lea.click(".comment-form--main button[type=submit]");
    let page = lea.wait_for("Premier commentaire de Léa", None, WAIT);
    assert!(page.contains("Commentaires (1)"));
    assert!(
        page.contains("Léa &lt;i&gt;Lectrice&lt;/i&gt;"),
        "names are text, not markup"
    );
    lea.type_into(
        "#comment-body",
        "Les chiffres sont sur https://exemple.test/rapport",
    );
    lea.click(".comment-form--main button[type=submit]");
    lea.wait_for("sera publié après relecture", None, WAIT);

    // Paul signs up, replies to Léa and reports her comment.
    let paul = driver.session();
    paul.go(&format!("{base}/compte/inscription"));
    sign_up(&paul, "Paul", "paul@example.org");
    let verify = link_for(data, "paul@example.org", "/compte/verifier/");
    paul.go(&format!("{base}{verify}"));
    paul.wait_for("Confirmer mon adresse", None, WAIT);
    paul.click(".account-form button");
    paul.wait_for("Votre adresse est confirmée", None, WAIT);
    paul.go(&format!("{base}/commentaires/{id}"));
    paul.wait_for("Premier commentaire de Léa", None, WAIT);
    assert!(
        !paul.source().contains("exemple.test/rapport"),
        "pending comments are the author's only"
    );
    paul.click(".comment .comment__more summary");
    paul.type_into(".comment textarea[name=body]", "Réponse de Paul à Léa");
    paul.click(".comment .comment__more button[type=submit]");
    paul.wait_for("Réponse de Paul à Léa", None, WAIT);
    paul.script(
        "document.querySelectorAll('.comment__more').forEach(d => { if (d.querySelector('select[name=reason]')) d.open = true; });",
        serde_json::json!([]),
    );
    paul.script(
        "document.querySelector('select[name=reason]').value = 'abuse';",
        serde_json::json!([]),
    );
    paul.click("form[action$='/signaler'] button[type=submit]");
    paul.wait_for("la modération va examiner ce commentaire", None, WAIT);

    // The moderator approves the held comment and rejects the reported one.
    let modo = driver.session();
    modo.go(&format!("{base}/admin/login"));
    modo.type_into("#email", "modo@example.org");
    modo.type_into("#password", "mot de passe de test");
    modo.click("button[type=submit]");
    modo.wait_for("Tableau de bord", None, WAIT);
    modo.go(&format!("{base}/admin/moderation"));
    modo.wait_for("exemple.test/rapport", None, WAIT);
    modo.click("button[name=only][value^='approve:']");
    modo.wait_for("1 commentaire(s) traité(s)", None, WAIT);
    modo.go(&format!("{base}/admin/moderation?file=reported"));
    let reported = modo.wait_for("Premier commentaire de Léa", None, WAIT);
    assert!(reported.contains("Insulte ou harcèlement ×1"));
    modo.type_into("#reason", "Propos hors charte");
    modo.click("button[name=only][value^='reject:']");
    modo.wait_for("1 commentaire(s) traité(s)", None, WAIT);

    // Léa sees the result; the rejection reached her inbox with the reason.
    let thread = lea.wait_for(
        "exemple.test/rapport",
        Some(&format!("{base}/commentaires/{id}")),
        WAIT,
    );
    assert!(!thread.contains("Premier commentaire de Léa"));
    assert!(thread.contains("rel=\"nofollow ugc noopener\""));
    let rejected = outbox(data)
        .into_iter()
        .find(|m| m.contains("To: lea@example.org") && m.contains("Propos hors charte"));
    assert!(rejected.is_some(), "the author is told why");
    let log = {
        modo.go(&format!("{base}/admin/moderation/journal"));
        modo.source()
    };
    assert!(
        log.contains("Rejet") && log.contains("Approbation") && log.contains("Propos hors charte")
    );
}
