//! Push alerts end to end: subscriptions (allowed push services only, same-origin
//! only), an alert sent by an editor, and the worker's fan-out to a stub push service
//! written in Python that decrypts each message with the subscription's keys (http_ece,
//! a reference implementation of RFC 8188/8291), checks the VAPID token (ES256 with
//! `cryptography`, RFC 8292), answers 410 for a subscription that must then disappear,
//! and 429 once for one that must be retried.

use crate::api::{call, token_for};
use crate::app::{Options, TestApp, TestResponse};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use kiosque_domain::staff::Role;
use serde_json::{Value, json};
use std::io::BufRead;

/// The stub push service: prints its port and three subscriptions (fresh P-256 keys
/// and auth secrets) on one line, then records what it receives, one JSON line each.
const STUB: &str = r#"
import base64, json, os, sys, time, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
import http_ece
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.hazmat.primitives import hashes, serialization

out = open(sys.argv[1], "a")
lock = threading.Lock()
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
unb64 = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
subs = {}
for name in ("ok", "gone", "busy"):
    key = ec.generate_private_key(ec.SECP256R1())
    subs[name] = {"key": key, "auth": os.urandom(16)}
seen_busy = []

def record(entry):
    with lock:
        out.write(json.dumps(entry) + "\n")
        out.flush()

def check_vapid(header, audience):
    scheme, _, params = header.partition(" ")
    assert scheme == "vapid", header
    fields = dict(p.strip().split("=", 1) for p in params.split(","))
    token, k = fields["t"], fields["k"]
    signing_input, _, signature = token.rpartition(".")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(k))
    raw = unb64(signature)
    der = utils.encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public.verify(der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))
    head, claims = (json.loads(unb64(part)) for part in signing_input.split("."))
    assert head["alg"] == "ES256", head
    assert claims["aud"] == audience, claims
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600 + 60, claims
    assert claims["sub"], claims
    return k

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def do_POST(self):
        name = self.path.rsplit("/", 1)[-1]
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if name == "gone":
            record({"sub": "gone"})
            self.send_response(410); self.end_headers(); return
        if name == "busy" and not seen_busy:
            seen_busy.append(1)
            record({"sub": "busy", "status": 429})
            self.send_response(429); self.send_header("Retry-After", "0"); self.end_headers(); return
        try:
            assert self.headers["Content-Encoding"] == "aes128gcm"
            assert self.headers["Urgency"] == "high"
            assert int(self.headers["TTL"]) > 0
            k = check_vapid(self.headers["Authorization"], "http://127.0.0.1:%d" % port)
            sub = subs[name]
            payload = http_ece.decrypt(body, private_key=sub["key"], auth_secret=sub["auth"], version="aes128gcm")
            record({"sub": name, "payload": json.loads(payload), "vapid_key": k, "topic": self.headers.get("Topic")})
            self.send_response(201); self.end_headers()
        except Exception as e:
            record({"sub": name, "error": repr(e)})
            self.send_response(400); self.end_headers()

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
port = server.server_address[1]
print(json.dumps({"port": port, "subs": {
    name: {"p256dh": b64(s["key"].public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)), "auth": b64(s["auth"])}
    for name, s in subs.items()}}), flush=True)
server.serve_forever()
"#;

struct Stub {
    child: std::process::Child,
    port: u16,
    subs: Value,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Stub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Stub {
    /// `None` when Python's http_ece is missing and not required.
    fn start() -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("received.jsonl");
        let spawned = std::process::Command::new("python3")
            .args(["-c", STUB, log.to_str().unwrap()])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) => {
                assert!(
                    std::env::var_os("KIOSQUE_REQUIRE_PUSH_TOOLS").is_none(),
                    "{e}"
                );
                return None;
            }
        };
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        if line.trim().is_empty() {
            let _ = child.wait();
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            assert!(
                std::env::var_os("KIOSQUE_REQUIRE_PUSH_TOOLS").is_none(),
                "the stub push service did not start: {err}"
            );
            eprintln!("http_ece or cryptography missing: push test skipped ({err})");
            return None;
        }
        let started: Value = serde_json::from_str(&line).unwrap();
        Some(Self {
            child,
            port: started["port"].as_u64().unwrap() as u16,
            subs: started["subs"].clone(),
            log,
            _dir: dir,
        })
    }

    fn endpoint(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/push/{name}", self.port)
    }

    fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

async fn subscription_request(
    app: &TestApp,
    method: &str,
    body: &Value,
    headers: &[(&str, &str)],
) -> TestResponse {
    let mut request = Request::builder()
        .method(method)
        .uri("/alertes/abonnements");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.request(request.body(Body::from(body.to_string())).unwrap())
        .await
}

const BROWSER: &[(&str, &str)] = &[
    ("content-type", "application/json"),
    ("sec-fetch-site", "same-origin"),
    ("origin", "http://127.0.0.1:8080"),
];

#[tokio::test]
async fn alerts_reach_each_subscription_once_encrypted_and_signed() {
    let Some(stub) = Stub::start() else { return };
    let app = TestApp::with(Options {
        push_services: vec![format!("http://127.0.0.1:{}", stub.port)],
        ..Options::default()
    })
    .await;
    alerts_on(&app, &stub).await;
}

#[tokio::test]
async fn alerts_reach_each_subscription_once_on_postgresql() {
    let Some(stub) = Stub::start() else { return };
    let Some(app) = TestApp::on_postgres_with(Options {
        push_services: vec![format!("http://127.0.0.1:{}", stub.port)],
        ..Options::default()
    })
    .await
    else {
        return;
    };
    alerts_on(&app, &stub).await;
    app.cleanup().await;
}

async fn alerts_on(app: &TestApp, stub: &Stub) {
    // The site's public key, made once and kept.
    let key = app.get("/alertes/cle").await;
    assert_eq!(key.status, StatusCode::OK);
    let public_key = serde_json::from_str::<Value>(&key.body).unwrap()["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(public_key.len(), 87, "65 bytes, base64url without padding");
    let again: Value = serde_json::from_str(&app.get("/alertes/cle").await.body).unwrap();
    assert_eq!(again["public_key"], public_key.as_str());

    // Three browsers subscribe (the busy one to a section only).
    for (name, topics) in [
        ("ok", json!(["alertes"])),
        ("gone", json!(["alertes"])),
        (
            "busy",
            json!([
                "alertes",
                app.fixture
                    .reference
                    .section
                    .path
                    .split('/')
                    .next()
                    .unwrap()
            ]),
        ),
    ] {
        let body = json!({
            "endpoint": stub.endpoint(name),
            "expirationTime": null,
            "keys": stub.subs[name],
            "topics": topics,
        });
        let answer = subscription_request(app, "POST", &body, BROWSER).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    }
    // Refused: a push service not on the list, another site's page, no browser
    // headers at all, a form post, bad keys, an unknown topic.
    let mut evil = json!({"endpoint": "https://evil.example/push/1", "keys": stub.subs["ok"], "topics": ["alertes"]});
    let refused = subscription_request(app, "POST", &evil, BROWSER).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        app.stores
            .alerts
            .subscription("https://evil.example/push/1")
            .await
            .unwrap()
            .is_none()
    );
    evil["endpoint"] = json!(format!("http://127.0.0.1:{}/push/other", stub.port + 1));
    assert_eq!(
        subscription_request(app, "POST", &evil, BROWSER)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let other_site =
        json!({"endpoint": stub.endpoint("x"), "keys": stub.subs["ok"], "topics": ["alertes"]});
    let cross = subscription_request(
        app,
        "POST",
        &other_site,
        &[
            ("content-type", "application/json"),
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ],
    )
    .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    let bare = subscription_request(
        app,
        "POST",
        &other_site,
        &[("content-type", "application/json")],
    )
    .await;
    assert_eq!(bare.status, StatusCode::FORBIDDEN);
    let form = subscription_request(
        app,
        "POST",
        &other_site,
        &[
            ("content-type", "text/plain"),
            ("sec-fetch-site", "same-origin"),
        ],
    )
    .await;
    assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let bad_keys =
        json!({"endpoint": stub.endpoint("x"), "keys": {"p256dh": "AAAA", "auth": "AAAA"}});
    assert_eq!(
        subscription_request(app, "POST", &bad_keys, BROWSER)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let unknown =
        json!({"endpoint": stub.endpoint("x"), "keys": stub.subs["ok"], "topics": ["nope"]});
    assert_eq!(
        subscription_request(app, "POST", &unknown, BROWSER)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(
        app.stores
            .alerts
            .subscription(&stub.endpoint("x"))
            .await
            .unwrap()
            .is_none()
    );

    // Editors send alerts; journalists do not; the words and the link are checked.
    let editor = token_for(app, "chef@example.org", Role::Editor).await;
    let journalist = token_for(app, "jo@example.org", Role::Journalist).await;
    let link = app.fixture.reference.canonical_path();
    let alert = json!({"title": "Séisme en Italie", "body": "Un séisme de magnitude 6 a frappé le centre du pays.", "url": link, "topics": ["alertes"]});
    let (forbidden, _) = call(
        app,
        "POST",
        "/api/v1/alerts",
        &journalist,
        Some(alert.clone()),
        None,
    )
    .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    for bad in [
        json!({"title": "x".repeat(81), "body": "b", "url": "/", "topics": ["alertes"]}),
        json!({"title": "t", "body": "x".repeat(161), "url": "/", "topics": ["alertes"]}),
        json!({"title": "t", "body": "b", "url": "https://evil.example/", "topics": ["alertes"]}),
        json!({"title": "t", "body": "b", "url": "/", "topics": ["inconnu"]}),
    ] {
        let (refused, _) = call(app, "POST", "/api/v1/alerts", &editor, Some(bad), None).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
    }
    let (created, body) = call(app, "POST", "/api/v1/alerts", &editor, Some(alert), None).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(
        body["recipients"], 3,
        "each subscription once, whatever its topics"
    );
    let id = body["id"].as_i64().unwrap();

    // The worker fans it out.
    let worker = kiosque_app::worker::Worker {
        app: app.state.app.clone(),
        lease: chrono::Duration::seconds(60),
    };
    worker.run_due(chrono::Utc::now()).await.unwrap();
    let received = stub.received();
    let delivered: Vec<&Value> = received
        .iter()
        .filter(|r| r.get("payload").is_some())
        .collect();
    assert!(
        received.iter().all(|r| r.get("error").is_none()),
        "{received:?}"
    );
    assert_eq!(delivered.len(), 2, "{received:?}");
    for entry in &delivered {
        assert_eq!(entry["payload"]["title"], "Séisme en Italie");
        assert_eq!(
            entry["payload"]["url"],
            format!("http://127.0.0.1:8080{link}")
        );
        assert_eq!(
            entry["vapid_key"],
            public_key.as_str(),
            "signed with the published key"
        );
        assert_eq!(entry["topic"], format!("alerte-{id}"));
    }
    assert!(
        received
            .iter()
            .any(|r| r["sub"] == "busy" && r["status"] == 429)
    );
    // The gone subscription is deleted; the counts are the alert's.
    assert!(
        app.stores
            .alerts
            .subscription(&stub.endpoint("gone"))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app.stores
            .alerts
            .subscription(&stub.endpoint("ok"))
            .await
            .unwrap()
            .is_some()
    );
    let (list, body) = call(app, "GET", "/api/v1/alerts", &editor, None, None).await;
    assert_eq!(list.status, StatusCode::OK);
    let counts = &body["items"][0];
    assert_eq!(
        (
            counts["sent"].as_i64(),
            counts["dropped"].as_i64(),
            counts["retried"].as_i64(),
            counts["failed"].as_i64()
        ),
        (Some(2), Some(1), Some(1), Some(0))
    );
    // Once each: running the worker again sends nothing more.
    worker
        .run_due(chrono::Utc::now() + chrono::Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(stub.received().len(), received.len());

    // A browser unsubscribes.
    let body = json!({"endpoint": stub.endpoint("ok"), "keys": stub.subs["ok"]});
    assert_eq!(
        subscription_request(app, "DELETE", &body, BROWSER)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert!(
        app.stores
            .alerts
            .subscription(&stub.endpoint("ok"))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn the_alerts_page_and_service_worker_are_served() {
    let app = TestApp::new().await;
    let page = app.get("/alertes").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Activer les alertes"));
    assert!(page.body.contains("/static/alerts.js?v="));
    let sw = app.get("/sw.js").await;
    assert_eq!(sw.status, StatusCode::OK);
    assert!(sw.header("content-type").starts_with("text/javascript"));
    assert!(sw.body.contains("showNotification"));
    assert!(app.get("/").await.body.contains("href=\"/alertes\""));
}
