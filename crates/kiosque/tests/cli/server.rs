//! Starting `kiosque serve` on a free port and talking HTTP/1.1 to it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The binary under test, with no `KIOSQUE_*` setting inherited from the caller.
pub fn kiosque() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kiosque"));
    for (key, _) in std::env::vars() {
        if key.starts_with("KIOSQUE_") {
            command.env_remove(key);
        }
    }
    command.env("KIOSQUE_LOG", "warn");
    command
}

pub struct Server {
    pub port: u16,
    child: Child,
}

impl Server {
    pub fn start(data: &Path, extra: &[&str]) -> Self {
        Self::start_with(data, extra)
    }

    pub fn start_with(data: &Path, extra: &[&str]) -> Self {
        Self::start_env(data, extra, &[])
    }

    /// Also with environment variables (a node's settings).
    pub fn start_env(data: &Path, extra: &[&str], env: &[(&str, &str)]) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let listen = format!("127.0.0.1:{port}");
        let child = kiosque()
            .args(["--data", data.to_str().unwrap()])
            .args(
                extra
                    .iter()
                    .filter(|a| a.starts_with("--database-url") || a.contains("://")),
            )
            .arg("serve")
            .args(["--listen", &listen])
            .args(
                extra
                    .iter()
                    .filter(|a| !a.starts_with("--database-url") && !a.contains("://")),
            )
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let server = Self { port, child };
        let deadline = Instant::now() + Duration::from_secs(120);
        while TcpStream::connect(&listen).is_err() {
            assert!(
                Instant::now() < deadline,
                "kiosque did not start listening on {listen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM, as systemd or an orchestrator does to stop a node.
    pub fn terminate(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// How the process ended, if it did within `within`.
    pub fn exit_status(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A PostgreSQL database of its own for one test, dropped afterwards; `None` when
/// `KIOSQUE_TEST_POSTGRES_URL` is not set (a failure when `KIOSQUE_REQUIRE_POSTGRES` is).
pub struct PgDatabase {
    pub url: String,
    base: String,
    name: String,
}

impl PgDatabase {
    pub fn create(prefix: &str) -> Option<Self> {
        let Ok(base) = std::env::var("KIOSQUE_TEST_POSTGRES_URL") else {
            assert!(
                std::env::var_os("KIOSQUE_REQUIRE_POSTGRES").is_none(),
                "KIOSQUE_REQUIRE_POSTGRES is set without KIOSQUE_TEST_POSTGRES_URL"
            );
            eprintln!("KIOSQUE_TEST_POSTGRES_URL is not set: PostgreSQL test skipped");
            return None;
        };
        let name = format!(
            "{prefix}_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        Self::admin(&base, &format!("CREATE DATABASE {name}"));
        let (prefix, _) = base.rsplit_once('/').unwrap();
        Some(Self {
            url: format!("{prefix}/{name}"),
            base,
            name,
        })
    }

    fn admin(url: &str, statement: &str) {
        with_postgres(url, async |pool| {
            sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
                .execute(pool)
                .await
                .unwrap();
        });
    }
}

/// A bucket of its own for one test on the S3-compatible server `.ci/run` starts;
/// `None` when `KIOSQUE_TEST_S3_ENDPOINT` is not set (a failure when
/// `KIOSQUE_REQUIRE_S3` is). Media go under the `site` prefix.
pub struct S3Bucket {
    pub endpoint: String,
    pub name: String,
}

impl S3Bucket {
    pub fn create(prefix: &str) -> Option<Self> {
        let Ok(endpoint) = std::env::var("KIOSQUE_TEST_S3_ENDPOINT") else {
            assert!(
                std::env::var_os("KIOSQUE_REQUIRE_S3").is_none(),
                "KIOSQUE_REQUIRE_S3 is set without KIOSQUE_TEST_S3_ENDPOINT"
            );
            eprintln!("KIOSQUE_TEST_S3_ENDPOINT is not set: media stay on local disk");
            return None;
        };
        let endpoint = endpoint.trim_end_matches('/').to_owned();
        let name = format!("{prefix}-{}", std::process::id());
        let created = Self::request(&endpoint, "PUT", &format!("/{name}"), "");
        assert_eq!(
            created.status, 200,
            "creating bucket {name}: {}",
            created.body
        );
        // Anyone may read its objects, as for a public media URL.
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{name}/*"}}]}}"#
        );
        let public = Self::request(&endpoint, "PUT", &format!("/{name}?policy"), &policy);
        assert!(public.status < 300, "making {name} public: {}", public.body);
        Some(Self { endpoint, name })
    }

    /// What a node needs to keep its media in the bucket.
    pub fn node_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("KIOSQUE_MEDIA_STORE", format!("s3://{}/site", self.name)),
            ("KIOSQUE_MEDIA_ENDPOINT", self.endpoint.clone()),
            ("KIOSQUE_MEDIA_REGION", "eu-west-3".into()),
            ("AWS_ACCESS_KEY_ID", "kiosque-test".into()),
            ("AWS_SECRET_ACCESS_KEY", "kiosque-test-secret".into()),
        ]
    }

    /// The object at `key` under the `site` prefix, read straight from the bucket.
    pub fn object(&self, key: &str) -> HttpResponse {
        Self::request(
            &self.endpoint,
            "GET",
            &format!("/{}/site/{key}", self.name),
            "",
        )
    }

    fn request(endpoint: &str, method: &str, path: &str, body: &str) -> HttpResponse {
        let host = endpoint.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host).unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        read_response(stream)
    }
}

/// Runs `work` on a connection pool to `url`, from a test's own thread.
pub fn with_postgres<T>(url: &str, work: impl AsyncFnOnce(&sqlx::PgPool) -> T) -> T {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let result = work(&pool).await;
        pool.close().await;
        result
    })
}

/// Runs a command to its end; fails the test with its stderr unless it succeeded.
/// Its standard output.
pub fn run_ok(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        Self::admin(
            &self.base,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct HttpResponse {
    pub status: u16,
    /// Header lines, lowercased.
    pub headers: String,
    pub body: String,
}

impl HttpResponse {
    /// A header's value (lowercased), by its lowercase name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
    }
}

pub fn http_get(port: u16, path: &str) -> HttpResponse {
    http_get_with(port, path, "")
}

/// A GET with more header lines (each ending in `\r\n`), a cookie say.
pub fn http_get_with(port: u16, path: &str, headers: &str) -> HttpResponse {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    read_response(stream)
}

/// A whole `Connection: close` response.
pub fn read_response(mut stream: TcpStream) -> HttpResponse {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete HTTP response");
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
    HttpResponse {
        status,
        headers: head,
        body: String::from_utf8_lossy(&raw[split + 4..]).into_owned(),
    }
}

/// Article links (`…_ID.html`) in a page, in order.
pub fn article_links(html: &str) -> Vec<String> {
    let mut links: Vec<String> = html
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|href| href.ends_with(".html") && href.starts_with('/'))
        .map(str::to_owned)
        .collect();
    // Cards link an article twice (picture and headline).
    links.dedup();
    links
}

/// The demo's 2018 article (the age-banner one), found through its section page.
pub fn old_article(port: u16) -> String {
    let europe = http_get(port, "/monde/europe/");
    article_links(&europe.body)
        .into_iter()
        .find(|l| l.contains("sommet-europeen"))
        .expect("the 2018 demo article")
}

/// One JSON API request with a bearer token: status, lowercased head, body.
pub fn api(port: u16, method: &str, path: &str, token: &str, body: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_lowercase(), body.to_owned())
}
