//! A minimal W3C WebDriver client over HTTP/1.1, enough to drive Debian's chromium
//! through chromedriver: sessions, navigation, elements, typing, clicks, scripts.

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Driver {
    port: u16,
    child: Child,
}

impl Driver {
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { port, child }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let payload = read_response(&mut stream);
        let value: Value = serde_json::from_slice(&payload).unwrap_or(Value::Null);
        if let Some(error) = value["value"]["error"].as_str() {
            panic!(
                "webdriver {method} {path}: {error}: {}",
                value["value"]["message"]
            );
        }
        value["value"].clone()
    }

    /// A new headless browser window.
    pub fn session(&self) -> Session<'_> {
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--window-size=1280,1600"]
            }
        }}});
        let value = self.call("POST", "/session", Some(capabilities));
        Session {
            driver: self,
            id: value["sessionId"].as_str().unwrap().to_owned(),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads one HTTP response body: by Content-Length, or chunked, without waiting for
/// the server to close the connection (chromedriver keeps it open).
fn read_response(stream: &mut TcpStream) -> Vec<u8> {
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
            let body = &raw[split + 4..];
            if let Some(len) = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
            {
                if body.len() >= len {
                    return body[..len].to_vec();
                }
            } else if head.contains("transfer-encoding: chunked") && body.ends_with(b"0\r\n\r\n") {
                return dechunk(body);
            }
        }
        let n = stream.read(&mut buf).unwrap();
        if n == 0 {
            let split = raw
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .unwrap_or(raw.len());
            return raw.get(split + 4..).unwrap_or_default().to_vec();
        }
        raw.extend_from_slice(&buf[..n]);
    }
}

fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(line_end) = rest.windows(2).position(|w| {
        w == b"
"
    }) {
        let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..line_end]).trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&rest[line_end + 2..line_end + 2 + size]);
        rest = &rest[line_end + 2 + size + 2..];
    }
    out
}

pub struct Session<'d> {
    driver: &'d Driver,
    id: String,
}

impl Session<'_> {
    fn path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.id)
    }

    pub fn go(&self, url: &str) {
        self.driver
            .call("POST", &self.path("/url"), Some(json!({"url": url})));
    }

    pub fn url(&self) -> String {
        self.driver
            .call("GET", &self.path("/url"), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn source(&self) -> String {
        self.driver
            .call("GET", &self.path("/source"), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn find(&self, css: &str) -> String {
        let value = self.driver.call(
            "POST",
            &self.path("/element"),
            Some(json!({"using": "css selector", "value": css})),
        );
        value[ELEMENT].as_str().unwrap().to_owned()
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.driver.call(
            "POST",
            &self.path(&format!("/element/{element}/clear")),
            Some(json!({})),
        );
        self.driver.call(
            "POST",
            &self.path(&format!("/element/{element}/value")),
            Some(json!({"text": text})),
        );
    }

    /// Sends keys to an element without clearing it first (`\u{E009}` is Control,
    /// `\u{E007}` Enter; a modifier holds until the end of the call).
    pub fn keys(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.driver.call(
            "POST",
            &self.path(&format!("/element/{element}/value")),
            Some(json!({"text": text})),
        );
    }

    pub fn click(&self, css: &str) {
        let element = self.find(css);
        self.driver.call(
            "POST",
            &self.path(&format!("/element/{element}/click")),
            Some(json!({})),
        );
    }

    /// Runs a script in the page; returns its value.
    pub fn script(&self, script: &str, args: Value) -> Value {
        self.driver.call(
            "POST",
            &self.path("/execute/sync"),
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Waits until the page source contains `needle`, reloading `url` if given.
    pub fn wait_for(&self, needle: &str, reload: Option<&str>, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        let mut attempt = 0;
        loop {
            if let Some(url) = reload {
                // A fresh URL each time: no browser or server cache can answer for it.
                attempt += 1;
                let separator = if url.contains('?') { '&' } else { '?' };
                self.go(&format!("{url}{separator}e2e={attempt}"));
            }
            let source = self.source();
            if source.contains(needle) {
                return source;
            }
            assert!(
                Instant::now() < deadline,
                "{needle:?} never appeared:\n{source}"
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// A PNG screenshot of the window, base64 as WebDriver sends it.
    pub fn screenshot_base64(&self) -> String {
        self.driver
            .call("GET", &self.path("/screenshot"), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.driver.call("DELETE", &self.path(""), None)
        }));
    }
}
