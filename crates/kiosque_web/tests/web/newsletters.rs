//! Newsletters, ninjs out, webhooks and WebSub, end to end on both backends:
//! double opt-in, sending through the worker (each confirmed subscriber once, also
//! after a sender died holding claims), one-click unsubscribe by a bare POST, bounces
//! (RFC 3464) suppressing an address; the article's ninjs validated by Python's
//! jsonschema against the IPTC schema in ../shared/corpus; webhook deliveries
//! verified by the Standard Webhooks reference library (PyPI `standardwebhooks`); a
//! WebSub hub stub receiving the pings.

use crate::api::{call, token_for};
use crate::app::{Options, TestApp, now};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use kiosque_domain::staff::Role;
use serde_json::{Value, json};
use std::io::BufRead;

const BROWSER_FORM: &[(&str, &str)] = &[
    ("content-type", "application/x-www-form-urlencoded"),
    ("sec-fetch-site", "same-origin"),
    ("origin", "http://127.0.0.1:8080"),
];

async fn post_form(
    app: &TestApp,
    path: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> crate::app::TestResponse {
    let mut request = Request::builder().method("POST").uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.request(request.body(Body::from(body.to_owned())).unwrap())
        .await
}

/// The first link of the site in `mail` that starts with `prefix`.
fn link_in(mail: &str, prefix: &str) -> String {
    let start = mail
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix} in {mail}"));
    mail[start..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
        .next()
        .unwrap()
        .to_owned()
}

fn worker(app: &TestApp, lease: i64) -> kiosque_app::worker::Worker {
    kiosque_app::worker::Worker {
        app: app.state.app.clone(),
        lease: chrono::Duration::seconds(lease),
    }
}

fn edition_mails(app: &TestApp, subject: &str) -> Vec<String> {
    let mut names: Vec<std::path::PathBuf> = std::fs::read_dir(app.outbox())
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    names.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    names
        .iter()
        .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
        .filter(|m| m.contains(subject))
        .collect()
}

fn recipient(mail: &str) -> String {
    mail.lines()
        .find_map(|l| l.strip_prefix("To: "))
        .unwrap()
        .trim()
        .to_owned()
}

#[tokio::test]
async fn newsletters_are_confirmed_sent_once_and_left_in_one_click() {
    newsletters_on(&TestApp::new().await).await;
}

#[tokio::test]
async fn newsletters_are_confirmed_sent_once_and_left_in_one_click_on_postgresql() {
    let Some(app) = TestApp::on_postgres().await else {
        return;
    };
    newsletters_on(&app).await;
    app.cleanup().await;
}

async fn newsletters_on(app: &TestApp) {
    let editor = token_for(app, "chef@example.org", Role::Editor).await;
    let journalist = token_for(app, "plume@example.org", Role::Journalist).await;
    let admin = token_for(app, "admin@example.org", Role::Admin).await;
    let (r, _) = call(
        app,
        "POST",
        "/api/v1/newsletters",
        &journalist,
        Some(json!({"name": "Le Matin"})),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "editors only");
    let (r, made) = call(
        app,
        "POST",
        "/api/v1/newsletters",
        &editor,
        Some(json!({"name": "Le Matin", "description": "L'essentiel avant 8 heures.", "send_time": "07:00"})),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = made["id"].as_i64().unwrap();
    assert_eq!(made["slug"], "le-matin");
    let (r, _) = call(
        app,
        "POST",
        "/api/v1/newsletters",
        &editor,
        Some(json!({"name": "Autre", "slug": "le-matin"})),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Public pages list it with a form.
    let list = app.get("/newsletters").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("action=\"/newsletters/le-matin\""));
    assert_eq!(
        app.get("/newsletters/le-matin").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/newsletters/nope").await.status,
        StatusCode::NOT_FOUND
    );

    // Four readers ask; the form answers the same whatever happens next.
    for email in [
        "lea@example.org",
        "paul@example.org",
        "jamais@example.org",
        "rebond@example.org",
    ] {
        let r = post_form(
            app,
            "/newsletters/le-matin",
            &format!("email={email}&page=%2Fnewsletters%2Fle-matin"),
            BROWSER_FORM,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    // Bad input: not an address (kept in the form), another site's page.
    let bad = post_form(
        app,
        "/newsletters/le-matin",
        "email=pas+une+adresse",
        BROWSER_FORM,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("value=\"pas une adresse\""));
    let cross = post_form(
        app,
        "/newsletters/le-matin",
        "email=x@example.org",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ],
    )
    .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);

    // Each gets a confirmation mail; opening it shows a button and confirms nothing.
    let mails = app.mails(4).await;
    let confirm_links: Vec<(String, String)> = mails
        .iter()
        .map(|m| {
            (
                recipient(m),
                link_in(m, "http://127.0.0.1:8080/newsletters/confirmer/"),
            )
        })
        .collect();
    for (email, link) in &confirm_links {
        let path = link.trim_start_matches("http://127.0.0.1:8080");
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&format!("action=\"{path}\"")));
        if email == "jamais@example.org" {
            continue; // never confirmed
        }
        let done = post_form(app, path, "", BROWSER_FORM).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(
            post_form(app, path, "", BROWSER_FORM).await.status,
            StatusCode::NOT_FOUND,
            "a used link is spent"
        );
    }
    let subscribers = app.stores.newsletters.subscriber_count(id).await.unwrap();
    assert_eq!(subscribers, 3);

    // A bounce report suppresses an address for good (admins feed them).
    let dsn = "From: MAILER-DAEMON@mx.example.org\r\nTo: bounces@example.org\r\nSubject: Undelivered\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; rebond@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\r\n--b1--\r\n";
    let bounce = |token: &str| {
        Request::builder()
            .method("POST")
            .uri("/api/v1/mail/bounces")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "message/rfc822")
            .body(Body::from(dsn))
            .unwrap()
    };
    assert_eq!(
        app.request(bounce(&editor)).await.status,
        StatusCode::FORBIDDEN
    );
    let fed = app.request(bounce(&admin)).await;
    assert_eq!(fed.status, StatusCode::OK, "{}", fed.body);
    assert!(
        app.stores
            .newsletters
            .is_suppressed("rebond@example.org")
            .await
            .unwrap()
    );

    // An edition of the reference article, sent through the API.
    let article = app.fixture.reference.id.0;
    let (r, edition) = call(
        app,
        "POST",
        &format!("/api/v1/newsletters/{id}/editions"),
        &editor,
        Some(json!({"subject": "Le Matin du 27 novembre", "intro_markdown": "Bonjour, voici **l'essentiel**.", "articles": [article]})),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let edition_id = edition["id"].as_i64().unwrap();
    let send = format!("/api/v1/newsletters/{id}/editions/{edition_id}/send");
    let (r, queued) = call(app, "POST", &send, &editor, None, None).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert_eq!(queued["state"], "scheduled");
    let (again, _) = call(app, "POST", &send, &editor, None, None).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "never sent twice");

    // A sender claims the mails and dies before sending any.
    let started = app
        .stores
        .newsletters
        .start_edition(edition_id, now())
        .await
        .unwrap();
    assert!(started.html.contains("{{UNSUBSCRIBE}}"));
    let dead = app
        .stores
        .newsletters
        .claim_sends(edition_id, now(), now() - chrono::Duration::minutes(2), 1)
        .await
        .unwrap();
    assert_eq!(dead.len(), 1);
    // The worker before the dead claim's lease ran out sends the others…
    worker(app, 60).run_due(now()).await.unwrap();
    assert_eq!(edition_mails(app, "Le Matin du 27").len(), 1);
    // …and once it ran out, the one the dead sender held: each once. (The test's
    // clock stands still: a negative lease stands for the minutes passing.)
    let later = now() + chrono::Duration::seconds(61);
    worker(app, -1).run_due(later).await.unwrap();
    worker(app, -1).run_due(later).await.unwrap();
    let sent = edition_mails(app, "Le Matin du 27");
    let mut to: Vec<String> = sent.iter().map(|m| recipient(m)).collect();
    to.sort();
    assert_eq!(to, vec!["lea@example.org", "paul@example.org"]);
    let (_, counts) = call(
        app,
        "GET",
        &format!("/api/v1/newsletters/{id}/editions/{edition_id}"),
        &editor,
        None,
        None,
    )
    .await;
    assert_eq!(counts["state"], "sent");
    assert_eq!(counts["sent"], 2);
    assert_eq!(counts["suppressed"], 1);
    assert_eq!(
        counts["recipients"], 3,
        "the unconfirmed address is no recipient"
    );

    // The mail: list headers, a per-recipient signed one-click address, both parts.
    let mail = sent
        .iter()
        .find(|m| recipient(m) == "lea@example.org")
        .unwrap();
    assert!(mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert!(mail.contains("List-Id: "), "{mail}");
    assert!(mail.contains("Content-Type: multipart/alternative"));
    assert!(mail.contains("Content-Type: text/plain"));
    assert!(mail.contains("Content-Type: text/html"));
    assert!(!mail.contains("{{UNSUBSCRIBE}}"));
    let header = mail
        .lines()
        .find_map(|l| l.strip_prefix("List-Unsubscribe: <"))
        .unwrap();
    let unsubscribe = header.trim().trim_end_matches('>').to_owned();
    let path = unsubscribe
        .trim_start_matches("http://127.0.0.1:8080")
        .to_owned();
    assert!(path.starts_with("/newsletters/desabonnement/"));
    let paul = sent
        .iter()
        .find(|m| recipient(m) == "paul@example.org")
        .unwrap();
    assert!(
        !paul.contains(&path),
        "each recipient has their own address"
    );
    // Opened in a browser: a confirmation page, still subscribed.
    let page = app.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        app.stores.newsletters.subscriber_count(id).await.unwrap(),
        3
    );
    // A forged address (its signature's last digit changed) does nothing.
    let last = if path.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &path[..path.len() - 1]);
    assert_eq!(
        post_form(app, &forged, "List-Unsubscribe=One-Click", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The mail client's one-click POST: no cookie, no token, no origin.
    let one_click = post_form(
        app,
        &path,
        "List-Unsubscribe=One-Click",
        &[("content-type", "application/x-www-form-urlencoded")],
    )
    .await;
    assert_eq!(one_click.status, StatusCode::OK, "{}", one_click.body);
    assert_eq!(
        app.stores.newsletters.subscriber_count(id).await.unwrap(),
        2
    );
    let (_, counts) = call(
        app,
        "GET",
        &format!("/api/v1/newsletters/{id}/editions/{edition_id}"),
        &editor,
        None,
        None,
    )
    .await;
    assert_eq!(counts["unsubscribed_since"], 1);
}

/// Records every HTTP request it receives (path, headers, body), one JSON line each;
/// answers 503 to the first request of a path ending in `/flaky`.
const RECORDER: &str = r#"
import json, sys, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
out = open(sys.argv[1], "a")
lock = threading.Lock()
seen = set()
class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
        with lock:
            out.write(json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}) + "\n")
            out.flush()
            first = self.path not in seen
            seen.add(self.path)
        status = 503 if self.path.endswith("/flaky") and first else 204
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

struct Recorder {
    child: std::process::Child,
    port: u16,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Recorder {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("received.jsonl");
        let mut child = std::process::Command::new("python3")
            .args(["-c", RECORDER, log.to_str().unwrap()])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        Self {
            child,
            port: line.trim().parse().unwrap(),
            log,
            _dir: dir,
        }
    }

    fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

/// Verifies each delivery with the Standard Webhooks reference library and
/// validates each article's ninjs against the IPTC ninjs 3.1 schema.
const VERIFY: &str = r##"
import json, sys, pathlib
from standardwebhooks.webhooks import Webhook
import jsonschema, referencing
schemas = pathlib.Path(sys.argv[3])
ninjs = json.loads((schemas / "ninjs-schema_3.1.json").read_text())
geo = json.loads((schemas / "GeoJSON-schema.json").read_text())
registry = referencing.Registry().with_resources([
    (ninjs["$id"].rstrip("#"), referencing.Resource.from_contents(ninjs)),
    (ninjs["$id"], referencing.Resource.from_contents(ninjs)),
] + ([(geo["$id"], referencing.Resource.from_contents(geo))] if "$id" in geo else []))
validator = jsonschema.Draft202012Validator(ninjs, registry=registry, format_checker=jsonschema.FormatChecker())
hook = Webhook(sys.argv[2])
out = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if not r["path"].startswith("/hook"):
        continue
    payload = hook.verify(r["body"], r["headers"])
    data = payload["data"]
    if payload["type"].startswith("article.") or payload["type"] == "live.entry":
        errors = sorted(validator.iter_errors(data), key=str)
        assert not errors, [e.message for e in errors]
    out.append({"type": payload["type"], "id": r["headers"]["webhook-id"], "data": data})
tampered = False
try:
    hook.verify(r["body"] + " ", r["headers"])
except Exception:
    tampered = True
assert tampered, "a changed body passed verification"
print(json.dumps(out))
"##;

fn verify(recorder: &Recorder, secret: &str) -> Option<Vec<Value>> {
    if !crate::app::corpus_available() {
        return None;
    }
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            VERIFY,
            recorder.log.to_str().unwrap(),
            secret,
            crate::app::corpus_dir()
                .join("ninjs/schemas")
                .to_str()
                .unwrap(),
        ])
        .output()
        .unwrap();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !(err.contains("ModuleNotFoundError")
                && std::env::var_os("KIOSQUE_REQUIRE_FEED_TOOLS").is_some()),
            "{err}"
        );
        if err.contains("ModuleNotFoundError") {
            eprintln!("standardwebhooks or jsonschema missing: check skipped ({err})");
            return None;
        }
        panic!("{err}");
    }
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[tokio::test]
async fn webhooks_are_signed_carry_valid_ninjs_and_websub_hubs_are_pinged() {
    let recorder = Recorder::start();
    let hub = format!("http://127.0.0.1:{}/hub", recorder.port);
    let app = TestApp::with(Options {
        websub_hub: Some(hub.clone()),
        ..Options::default()
    })
    .await;
    syndication_on(&app, &recorder, &hub).await;
}

#[tokio::test]
async fn webhooks_and_websub_on_postgresql() {
    let recorder = Recorder::start();
    let hub = format!("http://127.0.0.1:{}/hub", recorder.port);
    let Some(app) = TestApp::on_postgres_with(Options {
        websub_hub: Some(hub.clone()),
        ..Options::default()
    })
    .await
    else {
        return;
    };
    syndication_on(&app, &recorder, &hub).await;
    app.cleanup().await;
}

async fn syndication_on(app: &TestApp, recorder: &Recorder, hub: &str) {
    let admin = token_for(app, "admin@example.org", Role::Admin).await;
    let editor = token_for(app, "chef@example.org", Role::Editor).await;

    // Every feed names the hub and itself.
    let rss = app.get("/rss.xml").await;
    assert!(
        rss.body
            .contains(&format!("<atom:link href=\"{hub}\" rel=\"hub\"/>"))
    );
    assert!(rss.body.contains("rel=\"self\""));
    let atom = app.get("/atom.xml").await;
    assert!(
        atom.body
            .contains(&format!("<link rel=\"hub\" href=\"{hub}\"/>"))
    );
    let json_feed: Value = serde_json::from_str(&app.get("/feed.json").await.body).unwrap();
    assert_eq!(json_feed["hubs"][0]["url"], hub);
    assert!(rss.header("link").contains("rel=\"hub\""));
    // A live's own feeds too.
    let (r, live) = call(
        app,
        "POST",
        "/api/v1/articles",
        &editor,
        Some(json!({"headline": "DIRECT. Essai du hub", "kind": "live", "section": app.fixture.reference.section.path, "body_markdown": "- Un point"})),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let live = live["id"].as_i64().unwrap();
    call(
        app,
        "POST",
        &format!("/api/v1/articles/{live}/publish"),
        &editor,
        None,
        None,
    )
    .await;
    for feed in ["rss.xml", "atom.xml"] {
        let body = app.get(&format!("/direct/{live}/{feed}")).await.body;
        assert!(body.contains(&format!("href=\"{hub}\"")), "{body}");
        assert!(body.contains("rel=\"hub\""), "{body}");
    }

    // The reference article as ninjs.
    let id = app.fixture.reference.id.0;
    let (r, doc) = call(
        app,
        "GET",
        &format!("/api/v1/articles/{id}/ninjs"),
        &editor,
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type"), "application/ninjs+json");
    assert_eq!(doc["pubStatus"], "usable");
    assert!(doc["bodies"][0]["value"].as_str().unwrap().contains("<p>"));
    let (r, feed) = call(
        app,
        "GET",
        "/api/v1/ninjs?since=2000-01-01T00:00:00Z",
        &editor,
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let first = feed["items"].as_array().unwrap().len();
    assert!(first > 0);
    // Walked to its end: the next call from where it stopped is empty.
    let next = format!(
        "/api/v1/ninjs?since={}&after={}",
        feed["next_since"].as_str().unwrap().replace('+', "%2B"),
        feed["next_after"]
    );
    let (r, rest) = call(app, "GET", &next, &editor, None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(rest["items"].as_array().unwrap().len(), 0, "{rest}");

    // Admins register endpoints; the secret is shown once.
    let endpoint = format!("http://127.0.0.1:{}/hook/flaky", recorder.port);
    let (r, _) = call(
        app,
        "POST",
        "/api/v1/webhooks",
        &editor,
        Some(json!({"url": endpoint, "events": ["article.published"]})),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (r, _) = call(
        app,
        "POST",
        "/api/v1/webhooks",
        &admin,
        Some(json!({"url": endpoint, "events": ["article.deleted"]})),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (r, hook) = call(
        app,
        "POST",
        "/api/v1/webhooks",
        &admin,
        Some(json!({"url": endpoint, "events": ["article.published", "article.updated", "article.unpublished"]})),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let secret = hook["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    let hook_id = hook["id"].as_i64().unwrap();
    let (_, listed) = call(app, "GET", "/api/v1/webhooks", &admin, None, None).await;
    assert!(
        listed["items"][0].get("secret").is_none(),
        "never shown again"
    );

    // A draft is published through the API: one delivery, then the hub's ping.
    let (r, created) = call(
        app,
        "POST",
        "/api/v1/articles",
        &editor,
        Some(json!({"headline": "Un pont rouvre à Lorvennes", "standfirst": "Après deux ans de travaux.", "body_markdown": "Le pont **rouvre** ce matin.", "section": app.fixture.reference.section.path})),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let article = created["id"].as_i64().unwrap();
    let (r, _) = call(
        app,
        "POST",
        &format!("/api/v1/articles/{article}/publish"),
        &editor,
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The first attempt meets a 503 and is retried by the worker's backoff.
    worker(app, 60).run_due(now()).await.unwrap();
    worker(app, 60)
        .run_due(now() + kiosque_app::worker::backoff(1))
        .await
        .unwrap();
    let (_, log) = call(
        app,
        "GET",
        &format!("/api/v1/webhooks/{hook_id}/deliveries"),
        &admin,
        None,
        None,
    )
    .await;
    let delivery = &log["items"][0];
    assert_eq!(delivery["state"], "delivered", "{log}");
    assert_eq!(delivery["attempts"], 2);
    assert_eq!(delivery["last_status"], 204);

    // Replayed from the log: the same message id again.
    let first = delivery["id"].as_i64().unwrap();
    let replay = format!("/api/v1/webhooks/{hook_id}/deliveries/{first}/replay");
    let (r, _) = call(app, "POST", &replay, &admin, None, None).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    worker(app, 60).run_due(now()).await.unwrap();

    // Unpublished: a notice without the text; a replay of the publication now is
    // withheld, never sent.
    let (r, _) = call(
        app,
        "POST",
        &format!("/api/v1/articles/{article}/unpublish"),
        &editor,
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    worker(app, 60).run_due(now()).await.unwrap();
    let (r, _) = call(app, "POST", &replay, &admin, None, None).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    worker(app, 60).run_due(now()).await.unwrap();
    let (_, log) = call(
        app,
        "GET",
        &format!("/api/v1/webhooks/{hook_id}/deliveries"),
        &admin,
        None,
        None,
    )
    .await;
    let replayed = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == first)
        .unwrap();
    assert_eq!(replayed["state"], "withheld", "{log}");

    let received = recorder.received();
    let pings: Vec<&Value> = received.iter().filter(|r| r["path"] == "/hub").collect();
    assert!(
        pings.len() >= 2,
        "publication and unpublication pinged: {received:?}"
    );
    assert!(
        pings[0]["body"]
            .as_str()
            .unwrap()
            .contains("hub.mode=publish")
    );
    assert!(
        pings[0]["body"]
            .as_str()
            .unwrap()
            .contains("hub.url=http%3A%2F%2F127.0.0.1%3A8080%2Frss.xml")
    );
    let Some(verified) = verify(recorder, &secret) else {
        return;
    };
    let types: Vec<&str> = verified
        .iter()
        .map(|v| v["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        vec![
            "article.published",
            "article.published",
            "article.published",
            "article.unpublished"
        ],
        "503 then delivered, the replay, the notice; the late replay withheld"
    );
    assert_eq!(
        verified[1]["id"], verified[2]["id"],
        "a replay keeps its message id"
    );
    assert_eq!(
        verified[1]["data"]["headlines"][0]["value"],
        "Un pont rouvre à Lorvennes"
    );
    assert_eq!(verified[3]["data"]["pubStatus"], "canceled");
    assert!(verified[3]["data"].get("bodies").is_none());
}

/// The back office: a newsletter made, an edition filled from the front, previewed
/// in frames the page allows, a test sent to the editor, then queued once; webhooks
/// for admins only, their secret shown once.
#[tokio::test]
async fn the_back_office_composes_previews_tests_and_sends_editions() {
    use crate::admin::Browser;
    let app = TestApp::new().await;
    let editor = Browser::login(&app, "chef@example.org", Role::Editor).await;
    let journalist = Browser::login(&app, "plume@example.org", Role::Journalist).await;
    assert_eq!(
        journalist.get("/admin/newsletters").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        editor.get("/admin/newsletters").await.status,
        StatusCode::OK
    );
    let bad = editor
        .post_form(
            "/admin/newsletters",
            &[
                ("name", "Le Soir"),
                ("slug", "Le Soir"),
                ("send_time", "18:30"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("value=\"Le Soir\""),
        "what was typed stays"
    );
    let made = editor
        .post_form(
            "/admin/newsletters",
            &[("name", "Le Soir"), ("slug", ""), ("send_time", "18:30")],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let page = made.header("location").to_owned();
    // Article pages now carry its sign-up block.
    let article = app.get(&app.fixture.reference.canonical_path()).await;
    assert!(
        article.body.contains("action=\"/newsletters/le-soir\""),
        "{}",
        article.body
    );
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    // Filled from the front: the reference article is among the latest.
    let filled = editor
        .post_form(
            &format!("/admin/newsletters/{id}/editions"),
            &[("subject", "Le Soir du 27"), ("from_front", "1")],
        )
        .await;
    assert_eq!(filled.status, StatusCode::OK);
    let reference = app.fixture.reference.id.0.to_string();
    assert!(filled.body.contains(&reference), "{}", filled.body);
    let created = editor
        .post_form(
            &format!("/admin/newsletters/{id}/editions"),
            &[
                ("subject", "Le Soir du 27"),
                ("intro_markdown", "Bonsoir."),
                ("articles", &reference),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let edition = created.header("location").to_owned();
    let shown = editor.get(&edition).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(
        shown
            .header("content-security-policy")
            .contains("frame-src 'self'")
    );
    assert!(shown.body.contains("width=\"390\""));
    let preview = editor.get(&format!("{edition}/apercu")).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains(&app.fixture.reference.headline));
    assert!(
        preview
            .header("content-security-policy")
            .contains("style-src 'unsafe-inline'")
    );
    assert!(
        !preview
            .header("content-security-policy")
            .contains("script-src")
    );
    assert_eq!(
        journalist.get(&format!("{edition}/apercu")).await.status,
        StatusCode::FORBIDDEN
    );
    // A test to oneself.
    let test = editor.post_form(&format!("{edition}/test"), &[]).await;
    assert_eq!(test.status, StatusCode::SEE_OTHER);
    let mails = app.mails(1).await;
    assert!(
        mails
            .iter()
            .any(|m| m.contains("To: chef@example.org") && m.contains("[TEST] Le Soir du 27"))
    );
    // Sent once.
    let sent = editor
        .post_form(&format!("{edition}/envoyer"), &[("at", "")])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let again = editor
        .post_form(&format!("{edition}/envoyer"), &[("at", "")])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // Webhooks: admins only; the secret once.
    assert_eq!(
        editor.get("/admin/webhooks").await.status,
        StatusCode::FORBIDDEN
    );
    let admin = Browser::login(&app, "admin@example.org", Role::Admin).await;
    let hook = admin
        .post_form(
            "/admin/webhooks",
            &[
                ("url", "http://127.0.0.1:9/hook"),
                ("events", "article.published"),
                ("events", "live.entry"),
            ],
        )
        .await;
    assert_eq!(hook.status, StatusCode::CREATED, "{}", hook.body);
    assert!(hook.body.contains("whsec_"));
    let listed = admin.get("/admin/webhooks").await;
    assert!(!listed.body.contains("whsec_"), "never shown again");
    assert!(listed.body.contains("article.published, live.entry"));
}
