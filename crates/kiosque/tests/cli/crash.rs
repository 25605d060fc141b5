//! `kill -9` in the middle of writes (articles, comments, wire dispatches): after a
//! restart, everything that was acknowledged is there, the database is intact, and
//! search has caught up.

use crate::search::editor_token;
use crate::server::{Server, http_get, kiosque};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request; `None` when the server is gone (the point of this test).
fn try_request(port: u16, head: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "{head}\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).ok()?;
    let status = raw.split(' ').nth(1)?.parse().ok()?;
    Some((status, raw))
}

fn json_number(raw: &str, key: &str) -> Option<i64> {
    raw.split(&format!("\"{key}\":"))
        .nth(1)?
        .split([',', '}'])
        .next()?
        .trim()
        .parse()
        .ok()
}

/// An agency dispatch in NewsML-G2, new each time.
fn wire_item(n: u32, headline: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:crashtest:{n}" version="1" standard="NewsML-G2" standardversion="2.35" xml:lang="fr">
  <itemMeta><itemClass qcode="ninat:text"/><provider literal="CRASHTEST"/><versionCreated>2026-11-27T10:00:00Z</versionCreated><pubStatus qcode="stat:usable"/></itemMeta>
  <contentMeta><urgency>4</urgency><language tag="fr"/><headline>{headline}</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body><p>Le texte de la dépêche numéro {n}.</p></body></html></inlineXML></contentSet>
</newsItem>"#
    )
}

#[test]
fn kill_9_during_writes_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let d = data.to_str().unwrap();
    assert!(
        kiosque()
            .args(["--data", d, "demo"])
            .status()
            .unwrap()
            .success()
    );
    // Readers to comment with (20 of them: each may post five times a minute).
    assert!(
        kiosque()
            .args([
                "--log",
                "warn",
                "--data",
                d,
                "demo",
                "--generate",
                "--articles",
                "0",
                "--comments",
                "500"
            ])
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap()
            .success()
    );
    let token = editor_token(data);
    let db = format!("sqlite:{}", data.join("kiosque.db").display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let pool = runtime.block_on(sqlx::SqlitePool::connect(&db)).unwrap();
    // Reader sessions written straight into the database: token and CSRF known here.
    let (open,): (i64,) = runtime
        .block_on(
            sqlx::query_as("SELECT id FROM articles WHERE status = 'published' AND comments_open ORDER BY published_at DESC LIMIT 1")
                .fetch_one(&pool),
        )
        .unwrap();
    let readers: Vec<(i64,)> = runtime
        .block_on(sqlx::query_as("SELECT id FROM readers ORDER BY id").fetch_all(&pool))
        .unwrap();
    let mut sessions = Vec::new();
    for (i, (reader,)) in readers.iter().enumerate() {
        let token = format!("{i:064x}");
        let csrf = format!("{:064x}", i + 1_000_000);
        let hash = kiosque_domain::secret::hash_token(&token);
        runtime
            .block_on(
                sqlx::query("INSERT INTO reader_sessions (token_hash, reader_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)")
                    .bind(hash)
                    .bind(reader)
                    .bind(&csrf)
                    .bind(chrono::Utc::now())
                    .bind(chrono::Utc::now() + chrono::Duration::days(1))
                    .execute(&pool),
            )
            .unwrap();
        sessions.push((token, csrf));
    }

    let server = Server::start(data, &[]);
    let port = server.port;
    let stop = Arc::new(AtomicBool::new(false));
    let articles: Arc<Mutex<Vec<(i64, String, bool)>>> = Arc::default();
    let comments: Arc<Mutex<Vec<i64>>> = Arc::default();
    let mut workers = Vec::new();
    {
        let (stop, articles, token) = (stop.clone(), articles.clone(), token.clone());
        workers.push(std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let headline = format!("Dépêche crashtest{n} du jour");
                let body = format!(r#"{{"headline": "{headline}", "section": "monde", "body_markdown": "Un texte."}}"#);
                let head = format!("POST /api/v1/articles HTTP/1.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json");
                let Some((201, raw)) = try_request(port, &head, &body) else { continue };
                let Some(id) = json_number(&raw, "id") else { continue };
                articles.lock().unwrap().push((id, headline, false));
                if n % 2 == 0 {
                    let head = format!("POST /api/v1/articles/{id}/publish HTTP/1.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json");
                    if let Some((200, _)) = try_request(port, &head, "") {
                        articles.lock().unwrap().last_mut().unwrap().2 = true;
                    }
                }
            }
        }));
    }
    {
        let (stop, comments) = (stop.clone(), comments.clone());
        workers.push(std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let (token, csrf) = &sessions[n % sessions.len()];
                n += 1;
                let head = format!(
                    "POST /commentaires/{open} HTTP/1.1\r\nCookie: kq_reader={token}\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/x-www-form-urlencoded"
                );
                let body = format!("csrf={csrf}&body=Commentaire+avant+la+panne+numero+{n}");
                let Some((303, raw)) = try_request(port, &head, &body) else { continue };
                if let Some(id) = raw.split("#c").nth(1).and_then(|s| s.split_whitespace().next()?.parse().ok()) {
                    comments.lock().unwrap().push(id);
                }
            }
        }));
    }
    let dispatches: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    {
        let (stop, dispatches, token) = (stop.clone(), dispatches.clone(), token.clone());
        workers.push(std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let headline = format!("Dépêche fil{n} reçue");
                let body = wire_item(n, &headline);
                let head = format!("POST /api/v1/wire HTTP/1.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/xml");
                let Some((202, raw)) = try_request(port, &head, &body) else { continue };
                if let Some(id) = json_number(&raw, "id") {
                    dispatches.lock().unwrap().push((id, headline));
                }
            }
        }));
    }
    std::thread::sleep(Duration::from_millis(2500));
    // SIGKILL: no shutdown, no flush, in the middle of whatever the writers were doing.
    drop(server);
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    let articles = articles.lock().unwrap().clone();
    let comments = comments.lock().unwrap().clone();
    let dispatches = dispatches.lock().unwrap().clone();
    assert!(
        articles.len() > 5 && comments.len() > 5 && dispatches.len() > 5,
        "the writers wrote: {} articles, {} comments, {} dispatches",
        articles.len(),
        comments.len(),
        dispatches.len()
    );

    eprintln!(
        "acknowledged before kill -9: {} articles ({} published), {} comments, {} wire dispatches",
        articles.len(),
        articles.iter().filter(|a| a.2).count(),
        comments.len(),
        dispatches.len()
    );
    let (integrity,): (String,) = runtime
        .block_on(sqlx::query_as("PRAGMA integrity_check").fetch_one(&pool))
        .unwrap();
    assert_eq!(integrity, "ok");
    let server = Server::start(data, &[]);
    let port = server.port;
    for (id, headline, _) in &articles {
        let head = format!("GET /api/v1/articles/{id} HTTP/1.1\r\nAuthorization: Bearer {token}");
        let (status, raw) = try_request(port, &head, "").expect("the restarted server answers");
        assert_eq!(status, 200, "acknowledged article {id} is missing");
        assert!(
            raw.contains(headline.as_str()),
            "article {id} lost its headline"
        );
    }
    // The API answers with the dispatch's id on the wire desk.
    for (id, headline) in &dispatches {
        let (n,): (i64,) = runtime
            .block_on(
                sqlx::query_as("SELECT COUNT(*) FROM wire_items WHERE id = $1 AND headline = $2")
                    .bind(id)
                    .bind(headline)
                    .fetch_one(&pool),
            )
            .unwrap();
        assert_eq!(n, 1, "acknowledged dispatch {id} ({headline}) is missing");
    }
    for id in &comments {
        let (n,): (i64,) = runtime
            .block_on(
                sqlx::query_as("SELECT COUNT(*) FROM comments WHERE id = $1")
                    .bind(id)
                    .fetch_one(&pool),
            )
            .unwrap();
        assert_eq!(n, 1, "acknowledged comment {id} is missing");
    }
    // Search catches up with every acknowledged publication.
    for (_, headline, _) in articles.iter().filter(|a| a.2) {
        let word = headline.split(' ').nth(1).unwrap();
        let started = Instant::now();
        // The query is echoed in the search box: look for the highlighted hit.
        let hit = format!("<mark>{word}</mark>");
        while !http_get(port, &format!("/recherche?q={word}"))
            .body
            .contains(&hit)
        {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{word} never found after the restart"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// SIGTERM with a request in flight (its body half sent): the request is finished and
/// answered, what it wrote is kept, and the process ends cleanly; new connections are
/// no longer taken.
#[test]
fn a_stopping_node_finishes_the_requests_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let token = editor_token(dir.path());
    let mut server = Server::start(dir.path(), &[]);
    let port = server.port;
    let body = r#"{"headline": "Écrit pendant l'arrêt du serveur", "section": "monde", "body_markdown": "Un texte."}"#;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST /api/v1/articles HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        &body[..20]
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    server.terminate();
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        server.exit_status(Duration::ZERO).is_none(),
        "the node waits for the request in flight"
    );
    stream.write_all(&body.as_bytes()[20..]).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let id = json_number(&answer, "id").unwrap();
    let status = server
        .exit_status(Duration::from_secs(10))
        .expect("the node stops once the request is answered");
    assert!(status.success(), "{status:?}");
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());

    let server = Server::start(dir.path(), &[]);
    let (status, _, kept) = crate::server::api(
        server.port,
        "GET",
        &format!("/api/v1/articles/{id}"),
        &token,
        "",
    );
    assert_eq!(status, 200, "{kept}");
    assert!(
        kept.contains("pendant l'arrêt du serveur") || kept.contains("pendant l\\u0027arr"),
        "{kept}"
    );
}

/// A client stuck mid-upload holds a stopping node for the drain time only
/// (`--drain-seconds`), then the node stops anyway, cleanly.
#[test]
fn a_stuck_request_holds_a_stopping_node_for_the_drain_time_only() {
    let dir = tempfile::tempdir().unwrap();
    let token = editor_token(dir.path());
    let mut server = Server::start(dir.path(), &["--drain-seconds", "1"]);
    let port = server.port;
    let mut stuck = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stuck,
        "POST /api/v1/articles HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"headline\""
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let asked = Instant::now();
    server.terminate();
    std::thread::sleep(Duration::from_millis(600));
    assert!(
        server.exit_status(Duration::ZERO).is_none(),
        "the node waits for the request in flight"
    );
    let status = server
        .exit_status(Duration::from_secs(10))
        .expect("the node stops after its drain time");
    let waited = asked.elapsed();
    assert!(status.success(), "{status:?}");
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(8),
        "stopped after {waited:?}"
    );
}

/// A mail server that accepts `limit` messages, then holds every later one without
/// answering (the sender's process dies meanwhile), until `reopen`; held messages are
/// never accepted (no `250` went out), later ones are. The recipients of accepted
/// messages, in order.
struct GateSmtp {
    port: u16,
    accepted: Arc<Mutex<Vec<String>>>,
    held: Arc<std::sync::atomic::AtomicUsize>,
    reopened: Arc<AtomicBool>,
}

impl GateSmtp {
    fn start(limit: usize) -> Self {
        use std::io::BufRead;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(Mutex::new(Vec::new()));
        let held = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let reopened = Arc::new(AtomicBool::new(false));
        let (a, h, r) = (accepted.clone(), held.clone(), reopened.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (accepted, held, reopened) = (a.clone(), h.clone(), r.clone());
                std::thread::spawn(move || -> Option<()> {
                    let mut out = stream.try_clone().ok()?;
                    let mut lines = std::io::BufReader::new(stream);
                    out.write_all(b"220 gate ESMTP\r\n").ok()?;
                    let mut rcpt = String::new();
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).ok()? == 0 {
                            return Some(());
                        }
                        let upper = line.to_ascii_uppercase();
                        if upper.starts_with("RCPT TO:") {
                            rcpt = line[8..].trim().trim_matches(['<', '>']).to_owned();
                        }
                        if upper.starts_with("DATA") {
                            out.write_all(b"354 go ahead\r\n").ok()?;
                            loop {
                                line.clear();
                                if lines.read_line(&mut line).ok()? == 0 {
                                    return Some(());
                                }
                                if line == ".\r\n" {
                                    break;
                                }
                            }
                            let mut list = accepted.lock().unwrap();
                            if list.len() >= limit && !reopened.load(Ordering::SeqCst) {
                                drop(list);
                                held.fetch_add(1, Ordering::SeqCst);
                                // Held: no answer; the sender dies meanwhile.
                                while !reopened.load(Ordering::SeqCst) {
                                    std::thread::sleep(Duration::from_millis(20));
                                }
                                return Some(());
                            }
                            list.push(rcpt.clone());
                            drop(list);
                            out.write_all(b"250 queued\r\n").ok()?;
                            continue;
                        }
                        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO")
                        {
                            b"250 gate\r\n"
                        } else if upper.starts_with("QUIT") {
                            out.write_all(b"221 bye\r\n").ok()?;
                            return Some(());
                        } else {
                            b"250 ok\r\n"
                        };
                        out.write_all(reply).ok()?;
                    }
                });
            }
        });
        Self {
            port,
            accepted,
            held,
            reopened,
        }
    }
}

/// `kill -9` in the middle of sending an edition: after a restart, every confirmed
/// subscriber has it exactly once — those the server had accepted are not sent
/// again, those held when the sender died are sent by the next one.
#[test]
fn kill_9_mid_send_mails_each_subscriber_once() {
    const SUBSCRIBERS: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let d = data.to_str().unwrap();
    assert!(
        kiosque()
            .args(["--data", d, "demo"])
            .status()
            .unwrap()
            .success()
    );
    let token = editor_token(data);
    // Confirmed subscribers of the demo's newsletter, written straight into the
    // database (the way there is the web tests' business).
    let script = format!(
        r#"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
nid, stamp = db.execute("SELECT id, created_at FROM newsletters").fetchone()
db.executemany("INSERT INTO newsletter_subscriptions (newsletter_id, email, state, consent_at, consent_method, created_at, confirmed_at) VALUES (?, ?, 'confirmed', ?, 'test', ?, ?)",
    [(nid, f"abonne{{i}}@example.org", stamp, stamp, stamp) for i in range({SUBSCRIBERS})])
db.commit()
ids = [str(r[0]) for r in db.execute("SELECT id FROM articles WHERE status = 'published' ORDER BY id LIMIT 2")]
print(nid, ",".join(ids))
"#
    );
    let out = std::process::Command::new("python3")
        .args(["-c", &script, data.join("kiosque.db").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let (newsletter, ids) = printed.trim().split_once(' ').unwrap();
    let smtp = GateSmtp::start(120);
    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    let env = [
        ("KIOSQUE_SMTP_URL", smtp_url.as_str()),
        ("KIOSQUE_JOB_LEASE_SECONDS", "3"),
    ];
    let server = Server::start_env(data, &[], &env);
    let port = server.port;
    let body = format!(
        r#"{{"subject": "Le Matin du crash", "intro_markdown": "Bonjour.", "articles": [{ids}]}}"#
    );
    let (status, raw) = try_request(
        port,
        &format!("POST /api/v1/newsletters/{newsletter}/editions HTTP/1.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json"),
        &body,
    )
    .unwrap();
    assert_eq!(status, 201, "{raw}");
    let edition = json_number(raw.split("\r\n\r\n").nth(1).unwrap(), "id").unwrap();
    let (status, raw) = try_request(
        port,
        &format!("POST /api/v1/newsletters/{newsletter}/editions/{edition}/send HTTP/1.1\r\nAuthorization: Bearer {token}"),
        "",
    )
    .unwrap();
    assert_eq!(status, 202, "{raw}");
    // Sending stops at the gate: 120 accepted, the rest held mid-message.
    let deadline = Instant::now() + Duration::from_secs(60);
    while smtp.held.load(Ordering::SeqCst) == 0 {
        assert!(Instant::now() < deadline, "the gate was never reached");
        std::thread::sleep(Duration::from_millis(20));
    }
    // (The sender records each acceptance as it reads it: give the last ones that.)
    std::thread::sleep(Duration::from_millis(500));
    drop(server); // SIGKILL with messages in flight.
    assert_eq!(smtp.accepted.lock().unwrap().len(), 120);
    smtp.reopened.store(true, Ordering::SeqCst);
    let again = Server::start_env(data, &[], &env);
    let deadline = Instant::now() + Duration::from_secs(90);
    while smtp.accepted.lock().unwrap().len() < SUBSCRIBERS {
        assert!(
            Instant::now() < deadline,
            "only {} mails after the restart",
            smtp.accepted.lock().unwrap().len()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Anything sent twice would arrive now.
    std::thread::sleep(Duration::from_secs(2));
    let mut accepted = smtp.accepted.lock().unwrap().clone();
    assert_eq!(accepted.len(), SUBSCRIBERS, "no mail twice");
    accepted.sort();
    accepted.dedup();
    assert_eq!(accepted.len(), SUBSCRIBERS, "each subscriber once");
    let (_, raw) = try_request(
        again.port,
        &format!("GET /api/v1/newsletters/{newsletter}/editions/{edition} HTTP/1.1\r\nAuthorization: Bearer {token}"),
        "",
    )
    .unwrap();
    let answer = raw.split("\r\n\r\n").nth(1).unwrap();
    assert_eq!(
        json_number(answer, "sent"),
        Some(SUBSCRIBERS as i64),
        "{answer}"
    );
}
