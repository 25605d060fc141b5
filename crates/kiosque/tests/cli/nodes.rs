//! Two nodes on one PostgreSQL database, as a site outgrowing one machine runs them:
//! a change through one shows on the other within two seconds, a scheduled article is
//! published once, and a job whose node was killed mid-way is finished by the other.

use crate::server::{
    PgDatabase, S3Bucket, Server, api, http_get, http_get_with, kiosque, run_ok, with_postgres,
};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A mail server on 127.0.0.1 whose first visitor gets no answer at all (a worker
/// stuck mid-job), and whose later visitors are served; each delivered message's data
/// is sent on the channel, and the first visitor's arrival too (as an empty string).
fn stalling_smtp_server() -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (sent, received) = mpsc::channel();
    std::thread::spawn(move || {
        let mut stalled = Vec::new();
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(stream) = stream else { continue };
            if n == 0 {
                let _ = sent.send(String::new());
                stalled.push(stream);
                continue;
            }
            let sent = sent.clone();
            std::thread::spawn(move || serve_smtp(stream, &sent));
        }
    });
    (port, received)
}

/// One SMTP session, answered just enough for a client to deliver: each message's
/// data goes on the channel once the server has accepted it (`250` after the data),
/// whether the client then quits or keeps the connection for the next (a pool).
fn serve_smtp(stream: TcpStream, sent: &mpsc::Sender<String>) -> Option<()> {
    let mut out = stream.try_clone().ok()?;
    let mut lines = BufReader::new(stream);
    out.write_all(b"220 stalling ESMTP\r\n").ok()?;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).ok()? == 0 {
            return Some(());
        }
        let command = line.to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250 stalling\r\n"
        } else if command.starts_with("DATA") {
            out.write_all(b"354 end with a dot\r\n").ok()?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).ok()? == 0 || line == ".\r\n" {
                    break;
                }
                data.push_str(&line);
            }
            out.write_all(b"250 queued\r\n").ok()?;
            let _ = sent.send(data);
            continue;
        } else if command.starts_with("QUIT") {
            out.write_all(b"221 bye\r\n").ok()?;
            return Some(());
        } else {
            b"250 ok\r\n"
        };
        out.write_all(reply).ok()?;
    }
}

/// One try at the back office's login form of the node on `port`: the form's CSRF
/// cookie and token from its page, then the POST.
fn login_attempt(port: u16, email: &str, password: &str) -> crate::server::HttpResponse {
    let page = http_get(port, "/admin/login");
    let cookie = page
        .headers
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: kq_login_csrf="))
        .and_then(|v| v.split(';').next())
        .unwrap()
        .to_owned();
    let csrf = page
        .body
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let encode = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                    (b as char).to_string()
                }
                other => format!("%{other:02X}"),
            })
            .collect::<String>()
    };
    let body = format!(
        "csrf={}&email={}&password={}&next=%2Fadmin",
        encode(&csrf),
        encode(email),
        encode(password)
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "POST /admin/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: kq_login_csrf={cookie}\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    crate::server::read_response(stream)
}

/// A back-office session on the node on `port`: its cookie and its CSRF token.
fn staff_session(port: u16, email: &str, article: i64) -> (String, String) {
    let logged = login_attempt(port, email, "mot de passe de test");
    assert_eq!(logged.status, 303, "{}", logged.body);
    let cookie = logged
        .headers
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: kq_session="))
        .and_then(|v| v.split(';').next())
        .unwrap()
        .to_owned();
    let editor = http_get_with(
        port,
        &format!("/admin/articles/{article}"),
        &format!("Cookie: kq_session={cookie}\r\n"),
    );
    assert_eq!(editor.status, 200, "{}", editor.body);
    let csrf = editor
        .body
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    (cookie, csrf)
}

/// The editor's presence ping for `article` through the node on `port`.
fn ping_presence(port: u16, (cookie, csrf): &(String, String), article: i64) -> String {
    let body = format!("csrf={csrf}");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "POST /admin/articles/{article}/presence HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: kq_session={cookie}\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let answer = crate::server::read_response(stream);
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// Polls `check` every 50 ms until it holds; panics after `within`.
fn within(within: Duration, what: &str, mut check: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !check() {
        assert!(started.elapsed() < within, "{what}: not within {within:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    started.elapsed()
}

/// The demo site in `dir` on the database at `url` (media as `env` says), with an
/// editor; the editor's API token.
fn demo_site_with_editor(dir: &std::path::Path, url: &str, env: &[(&str, &str)]) -> String {
    let global = ["--data", dir.to_str().unwrap(), "--database-url", url];
    run_ok(kiosque().args(global).arg("demo").envs(env.iter().copied()));
    crate::e2e::create_user_with(dir, &global[2..], "red@example.org", "editor");
    run_ok(
        kiosque()
            .args(global)
            .args(["token", "create", "--email", "red@example.org"]),
    )
    .trim()
    .to_owned()
}

/// Creates an article through the API of the node at `port` (`fields`: the JSON
/// members besides the body) and publishes it; its id and public path.
fn publish(port: u16, token: &str, fields: &str) -> (i64, String) {
    let body = format!(r#"{{{fields}, "body_markdown": "Un texte."}}"#);
    let (status, _, created) = api(port, "POST", "/api/v1/articles", token, &body);
    assert_eq!(status, 201, "{created}");
    let id = json(&created)["id"].as_i64().unwrap();
    let (status, _, published) = api(
        port,
        "POST",
        &format!("/api/v1/articles/{id}/publish"),
        token,
        "",
    );
    assert_eq!(status, 200, "{published}");
    let link = json(&published)["url"].as_str().unwrap().to_owned();
    let after_scheme = link.find("://").unwrap() + 3;
    let path_at = after_scheme + link[after_scheme..].find('/').unwrap();
    (id, link[path_at..].to_owned())
}

/// The media URLs (`src` and `srcset`) in a page, once each.
fn media_urls(html: &str) -> Vec<String> {
    let mut urls: Vec<String> = html
        .match_indices("/media/")
        .filter(|(at, _)| matches!(&html[at - 1..*at], "\"" | " "))
        .map(|(at, _)| {
            let rest = &html[at..];
            let end = rest.find(['"', ' ', ',']).unwrap_or(rest.len());
            rest[..end].to_owned()
        })
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

/// Every node serves the pictures (originals and renditions) on its home page from the
/// bucket, byte for byte, and none keeps a media folder of its own.
fn media_come_from_the_bucket(bucket: &S3Bucket, ports: &[u16], dirs: &[&std::path::Path]) {
    for &port in ports {
        let home = http_get(port, "/");
        let urls = media_urls(&home.body);
        assert!(
            urls.len() >= 4,
            "pictures and renditions on the home page: {urls:?}"
        );
        assert!(
            urls.iter().any(|u| u.ends_with("-crop-16x9-480.jpg")),
            "renditions (cards show the 16:9 crop): {urls:?}"
        );
        for url in urls {
            let served = http_get(port, &url);
            assert_eq!(served.status, 200, "{url} on :{port}");
            let stored = bucket.object(&url["/media/".len()..]);
            assert_eq!(stored.status, 200, "{url} in the bucket");
            assert_eq!(served.header("content-type"), stored.header("content-type"));
            assert!(served.header("content-type").unwrap().starts_with("image/"));
            assert_eq!(
                served.header("content-length"),
                stored.header("content-length"),
                "{url}"
            );
        }
    }
    for dir in dirs {
        assert!(
            !dir.join("media").exists(),
            "{} has a media folder",
            dir.display()
        );
    }
}

#[test]
fn two_nodes_share_one_postgresql_database() {
    let Some(db) = PgDatabase::create("kq_nodes") else {
        return;
    };
    let (a_dir, b_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let url = db.url.as_str();
    let bucket = S3Bucket::create("kq-nodes");
    let media_env = bucket.as_ref().map(S3Bucket::node_env).unwrap_or_default();
    let mut env: Vec<(&str, &str)> = media_env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let token = demo_site_with_editor(a_dir.path(), url, &env);

    let (smtp_port, mail) = stalling_smtp_server();
    let smtp = format!("smtp://127.0.0.1:{smtp_port}");
    env.extend([
        ("KIOSQUE_JOB_LEASE_SECONDS", "3"),
        ("KIOSQUE_SMTP_URL", smtp.as_str()),
    ]);
    // nginx in front, purged by the nodes (started once they listen).
    let proxy = proxy_available().then(|| (free_port(), tempfile::tempdir().unwrap()));
    let purge = proxy
        .as_ref()
        .map(|(port, _)| format!("http://127.0.0.1:{port}/purge"));
    if let Some(purge) = &purge {
        env.push(("KIOSQUE_PURGE_URLS", purge.as_str()));
    }
    let mut a = Some(Server::start_env(
        a_dir.path(),
        &["--database-url", url],
        &env,
    ));
    let mut b = Some(Server::start_env(
        b_dir.path(),
        &["--database-url", url],
        &env,
    ));
    let port = |node: &Option<Server>| node.as_ref().unwrap().port;
    for node in [&a, &b] {
        let ready = http_get(port(node), "/readyz");
        within(Duration::from_secs(60), "readiness", || {
            http_get(port(node), "/readyz").status == 200
        });
        assert!(ready.body.contains("pending_migrations"));
    }
    if let Some(bucket) = &bucket {
        media_come_from_the_bucket(bucket, &[port(&a), port(&b)], &[a_dir.path(), b_dir.path()]);
    }

    // 0. A login limit is the site's, not a node's: five failures through A, and B
    //    refuses even the right password (with the limits in each process's memory,
    //    two nodes let ten guesses through).
    crate::e2e::create_user_with(
        a_dir.path(),
        &["--database-url", url],
        "guet@example.org",
        "journalist",
    );
    for attempt in 0..5 {
        let refused = login_attempt(port(&a), "guet@example.org", "pas le bon mot de passe");
        assert_eq!(refused.status, 401, "attempt {attempt}: {}", refused.body);
    }
    let blocked = login_attempt(port(&b), "guet@example.org", "mot de passe de test");
    assert_eq!(blocked.status, 429, "{}", blocked.body);
    assert!(blocked.body.contains("Trop de tentatives"));
    // Editors on two nodes see each other in the same article.
    crate::e2e::create_user_with(
        a_dir.path(),
        &["--database-url", url],
        "lea@example.org",
        "editor",
    );
    crate::e2e::create_user_with(
        a_dir.path(),
        &["--database-url", url],
        "paul@example.org",
        "editor",
    );
    let lea = staff_session(port(&a), "lea@example.org", 1);
    let paul = staff_session(port(&b), "paul@example.org", 1);
    // (Opening the editor counts as being there.)
    let seen = ping_presence(port(&a), &lea, 1);
    assert!(
        seen.contains(r#""name":"paul""#),
        "Léa, on A, sees Paul, on B: {seen}"
    );
    let seen = ping_presence(port(&b), &paul, 1);
    assert!(
        seen.contains(r#""name":"lea""#),
        "Paul, on B, sees Léa, on A: {seen}"
    );

    // 1. Published through A: on B's home page (which B had cached) and through the
    //    proxy (which had kept it too) within 2 s.
    assert_eq!(http_get(port(&b), "/").status, 200);
    assert!(http_get(port(&b), "/").headers.contains("x-cache: hit"));
    let proxy = proxy.as_ref().map(|(proxy_port, dir)| {
        let nginx = start_nginx(dir.path(), *proxy_port, port(&a), port(&b));
        assert_eq!(http_get(*proxy_port, "/").status, 200);
        assert_eq!(
            http_get(*proxy_port, "/").header("x-cache-status"),
            Some("hit")
        );
        (*proxy_port, nginx)
    });
    let published_at = Instant::now();
    let (_, path) = publish(
        port(&a),
        &token,
        r#""headline": "Le nœud A publie une dépêche", "section": "monde""#,
    );
    let waited = within(Duration::from_secs(2), "publication seen on B", || {
        http_get(port(&b), "/")
            .body
            .contains("Le nœud A publie une dépêche")
    });
    eprintln!("published on A, on B's home page after {waited:?}");
    if let Some((proxy_port, _)) = &proxy {
        within(
            Duration::from_secs(2).saturating_sub(published_at.elapsed()),
            "publication seen through the proxy",
            || {
                http_get(*proxy_port, "/")
                    .body
                    .contains("Le nœud A publie une dépêche")
            },
        );
        eprintln!(
            "and through the proxy {:?} after publishing",
            published_at.elapsed()
        );
    }
    assert_eq!(http_get(port(&b), &path).status, 200);

    // 2. Scheduled through B, both workers running: published once.
    let (_, _, created) = api(
        port(&b),
        "POST",
        "/api/v1/articles",
        &token,
        r#"{"headline": "Annonce programmée pour tout à l'heure", "section": "monde", "body_markdown": "Un texte programmé."}"#,
    );
    let scheduled = json(&created)["id"].as_i64().unwrap();
    let at = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let (status, _, body) = api(
        port(&b),
        "POST",
        &format!("/api/v1/articles/{scheduled}/publish"),
        &token,
        &format!(r#"{{"at": "{at}"}}"#),
    );
    assert_eq!(status, 200, "{body}");
    within(Duration::from_secs(15), "scheduled article on A", || {
        http_get(port(&a), "/")
            .body
            .contains("Annonce programmée pour tout à l")
    });
    let (attempts, state): (i64, String) = with_postgres(url, async |pool| {
        sqlx::query_as(
            "SELECT attempts, status FROM jobs WHERE kind = 'publish_scheduled' AND payload = $1",
        )
        .bind(scheduled.to_string())
        .fetch_one(pool)
        .await
        .unwrap()
    });
    assert_eq!(
        (attempts, state.as_str()),
        (1, "done"),
        "claimed once, done"
    );

    // 3. A mail job: the node that claims it is killed mid-send (the mail server does
    //    not answer it); once its lease lapses, the other node sends it.
    let payload = serde_json::json!({
        "to": "lecteur@example.org",
        "subject": "Quelqu'un vous a répondu",
        "text": "Bonjour, une réponse vous attend.",
        "link": null,
    })
    .to_string();
    let job: i64 = with_postgres(url, async |pool| {
        sqlx::query_scalar("INSERT INTO jobs (kind, payload, run_at, status, attempts, created_at, updated_at) VALUES ('send_mail', $1, now(), 'pending', 0, now(), now()) RETURNING id")
            .bind(&payload)
            .fetch_one(pool)
            .await
            .unwrap()
    });
    let first = mail.recv_timeout(Duration::from_secs(15)).unwrap();
    assert!(first.is_empty(), "the first visitor is the stalled one");
    let holder: String = with_postgres(url, async |pool| {
        sqlx::query_scalar("SELECT locked_by FROM jobs WHERE id = $1 AND status = 'running'")
            .bind(job)
            .fetch_one(pool)
            .await
            .unwrap()
    });
    let holder_pid: u32 = holder.rsplit('/').next().unwrap().parse().unwrap();
    let (killed, survivor) = if holder_pid == a.as_ref().unwrap().pid() {
        (a.take().unwrap(), b.take().unwrap())
    } else {
        assert_eq!(holder_pid, b.as_ref().unwrap().pid(), "{holder}");
        (b.take().unwrap(), a.take().unwrap())
    };
    drop(killed); // SIGKILL: no chance to give the job back.
    let delivered = mail.recv_timeout(Duration::from_secs(30)).unwrap();
    assert!(
        delivered.contains("Bonjour, une r"),
        "the survivor sent it:\n{delivered}"
    );
    let (attempts, state, by): (i64, String, String) = with_postgres(url, async |pool| {
        // The survivor marks it done right after the server's answer.
        for _ in 0..100 {
            let row: (i64, String, String) =
                sqlx::query_as("SELECT attempts, status, locked_by FROM jobs WHERE id = $1")
                    .bind(job)
                    .fetch_one(pool)
                    .await
                    .unwrap();
            if row.1 == "done" {
                return row;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the job was never marked done");
    });
    assert_eq!((attempts, state.as_str()), (2, "done"));
    assert!(by.ends_with(&format!("/{}", survivor.pid())), "{by}");
    assert!(
        mail.recv_timeout(Duration::from_secs(1)).is_err(),
        "sent once"
    );
    drop(survivor);
    drop(db);
}

/// On SQLite too: `serve --no-worker` publishes nothing by itself; a `kiosque worker`
/// beside it, on the same files, publishes the scheduled article, which then shows on
/// the server's cached home page; SIGTERM stops the worker cleanly.
#[test]
fn a_worker_process_beside_a_server_without_one() {
    let data = tempfile::tempdir().unwrap();
    let token = crate::search::editor_token(data.path());
    let server = Server::start(data.path(), &["--demo", "--no-worker"]);
    let port = server.port;
    let (status, _, created) = api(
        port,
        "POST",
        "/api/v1/articles",
        &token,
        r#"{"headline": "Une annonce que seul le travailleur publie", "section": "monde", "body_markdown": "Un texte."}"#,
    );
    assert_eq!(status, 201, "{created}");
    let id = json(&created)["id"].as_i64().unwrap();
    let at = (chrono::Utc::now() + chrono::Duration::seconds(1)).to_rfc3339();
    let (status, _, body) = api(
        port,
        "POST",
        &format!("/api/v1/articles/{id}/publish"),
        &token,
        &format!(r#"{{"at": "{at}"}}"#),
    );
    assert_eq!(status, 200, "{body}");
    assert!(http_get(port, "/").status == 200);
    // Past its time, and longer than a worker's tick: still scheduled.
    std::thread::sleep(Duration::from_secs(7));
    let (_, _, article) = api(port, "GET", &format!("/api/v1/articles/{id}"), &token, "");
    assert_eq!(
        json(&article)["status"],
        "scheduled",
        "no worker in this server"
    );
    assert!(!http_get(port, "/").body.contains("seul le travailleur"));

    let worker = kiosque()
        .args(["--data", data.path().to_str().unwrap(), "--log", "info"])
        .arg("worker")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let waited = within(Duration::from_secs(10), "published by the worker", || {
        http_get(port, "/").body.contains("seul le travailleur")
    });
    eprintln!("on the server's home page {waited:?} after the worker started");
    let (_, _, article) = api(port, "GET", &format!("/api/v1/articles/{id}"), &token, "");
    assert_eq!(json(&article)["status"], "published");

    let pid = worker.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = worker.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("job worker stopped"), "{log}");
}

const PURGE_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so";

/// Whether Varnish's xkey module is installed (`/usr/lib/<arch>/varnish/vmods`).
fn xkey_installed() -> bool {
    std::fs::read_dir("/usr/lib").is_ok_and(|dirs| {
        dirs.flatten()
            .any(|d| d.path().join("varnish/vmods/libvmod_xkey.so").exists())
    })
}

/// Whether nginx's cache purge module and Varnish's xkey are installed (a failure
/// when `KIOSQUE_REQUIRE_PROXY` is set and they are not).
fn proxy_available() -> bool {
    let installed = std::path::Path::new(PURGE_MODULE).exists() && xkey_installed();
    if !installed {
        assert!(
            std::env::var_os("KIOSQUE_REQUIRE_PROXY").is_none(),
            "KIOSQUE_REQUIRE_PROXY is set but nginx's cache purge module or Varnish's xkey is not installed"
        );
        eprintln!("nginx's cache purge module or Varnish's xkey is missing: proxy test skipped");
    }
    installed
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A caching proxy started by a test, stopped when dropped.
enum Proxy {
    Nginx(std::path::PathBuf),
    Varnish(std::process::Child),
}

impl Drop for Proxy {
    fn drop(&mut self) {
        match self {
            Self::Nginx(dir) => {
                if let Ok(pid) = std::fs::read_to_string(dir.join("nginx.pid")) {
                    let _ = std::process::Command::new("kill").arg(pid.trim()).status();
                }
            }
            Self::Varnish(child) => {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

/// nginx with `docs/nginx-cache.conf.in`, in front of nodes `a` and `b`.
fn start_nginx(dir: &std::path::Path, port: u16, a: u16, b: u16) -> Proxy {
    let conf = dir.join("nginx.conf");
    std::fs::create_dir_all(dir.join("logs")).unwrap();
    std::fs::write(
        &conf,
        format!(
            include_str!("../../../../docs/nginx-cache.conf.in"),
            module = PURGE_MODULE,
            dir = dir.display(),
            listen = format!("127.0.0.1:{port}"),
            a = format!("127.0.0.1:{a}"),
            b = format!("127.0.0.1:{b}"),
        ),
    )
    .unwrap();
    let started = std::process::Command::new("nginx")
        .args(["-c", conf.to_str().unwrap(), "-p", dir.to_str().unwrap()])
        .args(["-g", "daemon on;"])
        .status()
        .unwrap();
    assert!(started.success());
    Proxy::Nginx(dir.to_owned())
}

/// Varnish with `docs/varnish.vcl` (its example ports replaced), in front of nodes
/// `a` and `b`; returns once it serves the home page.
fn start_varnish(dir: &std::path::Path, port: u16, a: u16, b: u16) -> Proxy {
    let vcl = dir.join("kiosque.vcl");
    let text = include_str!("../../../../docs/varnish.vcl")
        .replace(r#".port = "8080";"#, &format!(r#".port = "{a}";"#))
        .replace(r#".port = "8081";"#, &format!(r#".port = "{b}";"#));
    std::fs::write(&vcl, text).unwrap();
    let child = std::process::Command::new("varnishd")
        .args(["-F", "-f", vcl.to_str().unwrap()])
        .args(["-a", &format!("127.0.0.1:{port}")])
        .args(["-n", dir.join("varnish").to_str().unwrap()])
        .args(["-s", "malloc,64m", "-T", "none"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let proxy = Proxy::Varnish(child);
    within(
        Duration::from_secs(30),
        "varnish serving the home page",
        || TcpStream::connect(("127.0.0.1", port)).is_ok() && http_get(port, "/").status == 200,
    );
    proxy
}

/// Two nodes on PostgreSQL with their media in an S3 bucket, behind nginx (purged
/// page by page) and Varnish (purged by surrogate key) at once: a publication through
/// one node reaches every page that lists it through both proxies within 2 s, the
/// other pages stay cached, and pictures come from the bucket.
#[test]
fn caching_proxies_are_purged_of_exactly_the_pages_a_change_reaches() {
    if !proxy_available() {
        return;
    }
    let Some(db) = PgDatabase::create("kq_proxy") else {
        return;
    };
    let url = db.url.as_str();
    let (a_dir, b_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let bucket = S3Bucket::create("kq-proxy");
    let media_env = bucket.as_ref().map(S3Bucket::node_env).unwrap_or_default();
    let mut env: Vec<(&str, &str)> = media_env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let token = demo_site_with_editor(a_dir.path(), url, &env);
    let (nginx_port, varnish_port) = (free_port(), free_port());
    let purge = format!("http://127.0.0.1:{nginx_port}/purge");
    let purge_keys = format!("http://127.0.0.1:{varnish_port}");
    env.push(("KIOSQUE_PURGE_URLS", purge.as_str()));
    env.push(("KIOSQUE_PURGE_KEYS_URLS", purge_keys.as_str()));
    let a = Server::start_env(a_dir.path(), &["--database-url", url], &env);
    let b = Server::start_env(b_dir.path(), &["--database-url", url], &env);

    let proxy_dir = tempfile::tempdir().unwrap();
    let _nginx = start_nginx(proxy_dir.path(), nginx_port, a.port, b.port);
    let _varnish = start_varnish(proxy_dir.path(), varnish_port, a.port, b.port);
    let proxies = [("nginx", nginx_port), ("varnish", varnish_port)];

    let publish = |port: u16, headline: &str, section: &str, tag: &str| {
        let fields =
            format!(r#""headline": "{headline}", "section": "{section}", "tags": ["{tag}"]"#);
        publish(port, &token, &fields).1
    };
    let x = publish(a.port, "Les nœuds tiennent bon", "monde", "Noeuds test");
    let z = publish(
        a.port,
        "Une exposition sans rapport",
        "culture",
        "Autre sujet",
    );
    // Let both nodes' followers see them before the proxies keep anything, and let
    // the window in which a follower re-reads recent changes (late commits, 10 s on
    // PostgreSQL) pass: a node that just started applies that window's changes once
    // (the demo's, here), which purges their pages.
    std::thread::sleep(Duration::from_millis(11_000));
    let status = |port: u16, path: &str| {
        http_get(port, path)
            .header("x-cache-status")
            .unwrap_or_default()
            .to_owned()
    };
    // Purged by URL and by key.
    let affected = ["/", "/monde/", "/tags/noeuds-test/", "/rss.xml"];
    // Only a key names these: the section's feed.
    let by_key_only = ["/monde/rss.xml"];
    let unaffected = [x.as_str(), z.as_str(), "/culture/", "/tags/autre-sujet/"];
    for (name, port) in proxies {
        for path in affected.iter().chain(&by_key_only).chain(&unaffected) {
            let first = http_get(port, path);
            assert_eq!(first.status, 200, "{path} through {name}");
            assert_eq!(status(port, path), "hit", "{path} is kept by {name}");
        }
    }

    // A publication through B, in the same section and tag as X.
    let y = publish(
        b.port,
        "Un troisième nœud rejoint le réseau",
        "monde",
        "Noeuds test",
    );
    // Each node forgets its own copies, then purges the proxies; a node that had not
    // heard yet may hand a proxy a stale page for a moment, until its own purge.
    let published_at = std::time::Instant::now();
    for (name, port) in proxies {
        let reached: &[&str] = if name == "varnish" {
            &[
                "/",
                "/monde/",
                "/tags/noeuds-test/",
                "/rss.xml",
                "/monde/rss.xml",
            ]
        } else {
            &affected
        };
        for path in reached {
            within(
                Duration::from_secs(2),
                &format!("{path} through {name}"),
                || http_get(port, path).body.contains("troisième"),
            );
        }
        eprintln!(
            "every affected page fresh through {name} after {:?}",
            published_at.elapsed()
        );
        for path in unaffected {
            assert_eq!(status(port, path), "hit", "{path} must stay kept by {name}");
        }
        assert_eq!(http_get(port, &y).status, 200);
    }

    // A live: an entry posted through B reaches its page and the small state document
    // its readers poll, on node A and through both proxies, within 2 s.
    let (code, _, created) = api(
        a.port,
        "POST",
        "/api/v1/articles",
        &token,
        r#"{"headline": "DIRECT. Les nœuds en direct", "section": "monde", "kind": "live", "body_markdown": "- Ce qu'il faut savoir"}"#,
    );
    assert_eq!(code, 201, "{created}");
    let live = json(&created)["id"].as_i64().unwrap();
    let (code, _, published) = api(
        a.port,
        "POST",
        &format!("/api/v1/articles/{live}/publish"),
        &token,
        "",
    );
    assert_eq!(code, 200, "{published}");
    let link = json(&published)["url"].as_str().unwrap().to_owned();
    let live_path = link[link.find("/monde/").unwrap()..].to_owned();
    let state_path = format!("/direct/{live}/etat.json");
    std::thread::sleep(Duration::from_millis(1500));
    let live_readers: Vec<(&str, u16)> =
        std::iter::once(("node A", a.port)).chain(proxies).collect();
    for (name, port) in &live_readers {
        for path in [live_path.as_str(), state_path.as_str()] {
            assert_eq!(http_get(*port, path).status, 200, "{path} through {name}");
            assert_eq!(http_get(*port, path).status, 200, "{path} through {name}");
        }
    }
    for (name, port) in proxies {
        assert_eq!(
            status(port, &live_path),
            "hit",
            "the live is kept by {name}"
        );
    }
    let (status_code, _, entry) = api(
        b.port,
        "POST",
        &format!("/api/v1/articles/{live}/entries"),
        &token,
        r#"{"body_markdown": "Le nœud B publie une entrée en direct.", "key_event": true}"#,
    );
    assert_eq!(status_code, 201, "{entry}");
    let posted_at = std::time::Instant::now();
    for (name, port) in &live_readers {
        within(
            Duration::from_secs(2).saturating_sub(posted_at.elapsed()),
            &format!("the new entry on the live's page through {name}"),
            || {
                http_get(*port, &live_path)
                    .body
                    .contains("Le nœud B publie une entrée")
            },
        );
        within(
            Duration::from_secs(2).saturating_sub(posted_at.elapsed()),
            &format!("the live's state through {name}"),
            || http_get(*port, &state_path).body.contains(r#""seq":1"#),
        );
    }
    eprintln!(
        "a live entry posted on B, on A and through both proxies after {:?}",
        posted_at.elapsed()
    );

    // A reader with a session is never served a kept page, and what they are served
    // is not kept for others: at a URL nobody asked for yet, twice with a session
    // cookie (no hit), then without (a miss: nothing was kept).
    for (name, port) in proxies {
        let fresh = format!("/?session={name}");
        for _ in 0..2 {
            let answer = http_get_with(port, &fresh, "Cookie: kq_reader=abc\r\n");
            assert_eq!(answer.status, 200);
            assert_ne!(answer.header("x-cache-status"), Some("hit"), "{name}");
        }
        assert_eq!(status(port, &fresh), "miss", "{name} kept a session's page");
        assert_eq!(
            status(port, &fresh),
            "hit",
            "{name} keeps the anonymous page"
        );
    }

    // Pictures from the bucket, through the proxies, which keep them.
    if let Some(bucket) = &bucket {
        media_come_from_the_bucket(bucket, &[a.port, b.port], &[a_dir.path(), b_dir.path()]);
        for (name, port) in proxies {
            let picture = media_urls(&http_get(port, "/").body).swap_remove(0);
            assert_eq!(http_get(port, &picture).status, 200);
            assert_eq!(status(port, &picture), "hit", "{picture} is kept by {name}");
        }
    }
    drop((a, b, db));
}

/// Resumes the replica's replay when dropped, whatever the test did.
struct PausedReplica<'a>(&'a str);

impl PausedReplica<'_> {
    fn pause(url: &str) -> PausedReplica<'_> {
        with_postgres(url, async |pool| {
            sqlx::query("SELECT pg_wal_replay_pause()")
                .execute(pool)
                .await
                .unwrap();
        });
        PausedReplica(url)
    }
}

impl Drop for PausedReplica<'_> {
    fn drop(&mut self) {
        with_postgres(self.0, async |pool| {
            sqlx::query("SELECT pg_wal_replay_resume()")
                .execute(pool)
                .await
                .unwrap();
        });
    }
}

/// Waits until the replica at `replica` has replayed everything the primary at
/// `primary` has written so far.
fn replica_caught_up(primary: &str, replica: &str) {
    let lsn: String = with_postgres(primary, async |pool| {
        sqlx::query_scalar("SELECT pg_current_wal_lsn()::text")
            .fetch_one(pool)
            .await
            .unwrap()
    });
    within(Duration::from_secs(30), "the replica catching up", || {
        with_postgres(replica, async |pool| {
            sqlx::query_scalar::<_, bool>("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn")
                .bind(&lsn)
                .fetch_one(pool)
                .await
                .unwrap()
        })
    });
}

/// A node with a PostgreSQL streaming replica (`.ci/run` makes one on port 5433):
/// readers without a session read from the replica, and the node forgets a page only
/// once the replica holds the change; whoever writes reads from the primary, so their
/// own change never seems to vanish. The replica's replay is paused to make its lag
/// visible.
#[test]
fn public_pages_read_from_a_replica_and_writers_from_the_primary() {
    let Ok(replica_base) = std::env::var("KIOSQUE_TEST_REPLICA_URL") else {
        assert!(
            std::env::var_os("KIOSQUE_REQUIRE_REPLICA").is_none(),
            "KIOSQUE_REQUIRE_REPLICA is set without KIOSQUE_TEST_REPLICA_URL"
        );
        eprintln!("KIOSQUE_TEST_REPLICA_URL is not set: read-replica test skipped");
        return;
    };
    let Some(db) = PgDatabase::create("kq_replica") else {
        return;
    };
    let url = db.url.as_str();
    let name = url.rsplit_once('/').unwrap().1;
    let replica = format!("{}/{name}", replica_base.rsplit_once('/').unwrap().0);
    let dir = tempfile::tempdir().unwrap();
    let token = demo_site_with_editor(dir.path(), url, &[]);
    replica_caught_up(url, &replica_base);
    let node = Server::start_env(
        dir.path(),
        &["--database-url", url],
        &[("KIOSQUE_READ_DATABASE_URL", replica.as_str())],
    );
    let port = node.port;
    let publish = |headline: &str| {
        publish(
            port,
            &token,
            &format!(r#""headline": "{headline}", "section": "monde""#),
        )
    };

    // Replicated within moments: readers see a publication as usual.
    assert_eq!(http_get(port, "/").status, 200);
    let ready = http_get(port, "/readyz");
    assert!(
        ready.body.contains(r#""read_replica":"ok""#),
        "{}",
        ready.body
    );
    publish("Le réplica suit le primaire");
    within(
        Duration::from_secs(2),
        "publication on the home page",
        || {
            http_get(port, "/")
                .body
                .contains("Le réplica suit le primaire")
        },
    );

    // The replica stops replaying: it lags.
    let paused = PausedReplica::pause(&replica_base);
    let (id, path) = publish("Publié pendant que le réplica attend");
    // The writer's API reads the primary.
    let (status, _, body) = api(port, "GET", &format!("/api/v1/articles/{id}"), &token, "");
    assert_eq!(status, 200, "{body}");
    // A reader without a session reads the replica, which has not got it yet; one
    // with a session (who may just have written) reads the primary.
    assert_eq!(
        http_get(port, &path).status,
        404,
        "anonymous reads come from the replica"
    );
    let session = http_get_with(port, &path, "Cookie: kq_reader=une-session\r\n");
    assert_eq!(
        session.status, 200,
        "a reader with a session reads the primary"
    );
    // Pages with path parameters answer from the replica too (a tag, a thread, a
    // picture).
    let home = http_get(port, "/").body;
    let article = http_get(port, &crate::server::old_article(port)).body;
    let tag = article
        .split("href=\"/tags/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|slug| format!("/tags/{slug}"))
        .expect("a tag on an article page");
    let picture = media_urls(&home).swap_remove(0);
    for path in [
        tag.as_str(),
        picture.as_str(),
        &format!("/commentaires/{}", id - 1),
    ] {
        assert_eq!(http_get(port, path).status, 200, "{path} from the replica");
    }
    // The home page, rendered from the lagging replica, still lacks it.
    std::thread::sleep(Duration::from_millis(1000));
    let home = http_get(port, "/");
    assert!(home.body.contains("Le réplica suit le primaire"));
    assert!(!home.body.contains("pendant que le réplica attend"));

    // Replay resumes: the page and the home page are there within 2 s.
    drop(paused);
    let waited = within(
        Duration::from_secs(2),
        "publication after the replica caught up",
        || {
            http_get(port, "/")
                .body
                .contains("pendant que le réplica attend")
        },
    );
    eprintln!("on the home page {waited:?} after the replica resumed");
    assert_eq!(http_get(port, &path).status, 200);
    drop((node, db));
}
