//! Outgoing e-mail: through SMTP when configured, otherwise into an outbox folder.
//!
//! A local install has no mail server. Then every message is written as an `.eml`
//! file under `<data>/outbox/` (any mail client opens it) and its link, if it carries
//! one, goes to the log: sign-up, password reset and notifications work end to end
//! without configuration. With `smtp` set, messages go through lettre's SMTP
//! transport (TLS as the URL says: `smtps://` or `smtp://…?tls=required`).

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::PathBuf;

/// A message to one person, as plain text.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    /// The link the message is about (verification, reset), logged in outbox mode.
    pub link: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address {0:?}")]
    Address(String),
    #[error("cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("cannot write to the outbox: {0}")]
    Outbox(#[from] std::io::Error),
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
}

/// SMTP connections kept open and used at once.
pub const SMTP_CONNECTIONS: u32 = 16;

/// A message of a mailing list (a newsletter edition): HTML with a plain-text
/// alternative, and the list's own headers.
#[derive(Debug, Clone, PartialEq)]
pub struct ListMail {
    pub to: String,
    /// The display name of the sender (the newsletter's); the site's when `None`.
    pub from_name: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// `<…@host>`: the same for every attempt at the same message.
    pub message_id: String,
    /// Extra headers (`List-Id`, `List-Unsubscribe`…); values without line breaks.
    pub headers: Vec<(&'static str, String)>,
}

impl MailError {
    /// A refusal that will not change (SMTP 5xx, a bad address): not retried.
    pub fn is_permanent(&self) -> bool {
        match self {
            MailError::Address(_) => true,
            MailError::Smtp(e) => e.is_permanent(),
            MailError::Build(_) | MailError::Outbox(_) => false,
        }
    }
}

/// Where mail goes.
pub enum Mailer {
    Outbox {
        dir: PathBuf,
        from: Mailbox,
    },
    Smtp {
        /// How to connect (the URL's host, port, TLS and credentials).
        builder: Box<lettre::transport::smtp::AsyncSmtpTransportBuilder>,
        /// The pooled transport, made on the first message (its pool lives on the
        /// async runtime, which a configuration check does not run).
        transport: std::sync::OnceLock<AsyncSmtpTransport<Tokio1Executor>>,
        /// The pool's size.
        connections: u32,
        from: Mailbox,
    },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The SMTP URL may hold a password: never print it.
            Mailer::Outbox { dir, from } => f
                .debug_struct("Outbox")
                .field("dir", dir)
                .field("from", &from.to_string())
                .finish(),
            Mailer::Smtp { from, .. } => f
                .debug_struct("Smtp")
                .field("from", &from.to_string())
                .finish_non_exhaustive(),
        }
    }
}

/// The sender when none is configured: the site's name at a local address, quoted
/// as needed whatever characters the name holds.
pub fn default_sender(site_name: &str) -> String {
    // A constant, valid address: nothing to check.
    let address = lettre::Address::new_dangerous("kiosque", "localhost");
    Mailbox::new(Some(site_name.to_owned()), address).to_string()
}

fn mailbox(address: &str) -> Result<Mailbox, MailError> {
    address
        .parse()
        .map_err(|_| MailError::Address(address.to_owned()))
}

impl Mailer {
    /// Mail written to files in `dir`, sent as `from` (`Site <address>`).
    pub fn outbox(dir: PathBuf, from: &str) -> Result<Self, MailError> {
        Ok(Mailer::Outbox {
            dir,
            from: mailbox(from)?,
        })
    }

    /// Mail sent through the SMTP server at `url` (`smtps://user:pass@host`), over a
    /// pool of up to [`SMTP_CONNECTIONS`] connections kept open between messages.
    pub fn smtp(url: &str, from: &str) -> Result<Self, MailError> {
        Self::smtp_pooled(url, from, SMTP_CONNECTIONS)
    }

    /// As [`Mailer::smtp`], with up to `connections` connections at once.
    pub fn smtp_pooled(url: &str, from: &str, connections: u32) -> Result<Self, MailError> {
        Ok(Mailer::Smtp {
            builder: Box::new(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?),
            transport: std::sync::OnceLock::new(),
            connections: connections.max(1),
            from: mailbox(from)?,
        })
    }

    /// How many messages may be in flight at once (the pool's size; a few for the
    /// outbox).
    pub fn connections(&self) -> usize {
        match self {
            Mailer::Smtp { connections, .. } => *connections as usize,
            Mailer::Outbox { .. } => 8,
        }
    }

    /// The configured sender's address, with another display name (a newsletter's).
    fn sender_named(&self, name: Option<&str>) -> Mailbox {
        let from = match self {
            Mailer::Outbox { from, .. } | Mailer::Smtp { from, .. } => from.clone(),
        };
        match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => Mailbox::new(Some(name.to_owned()), from.email),
            None => from,
        }
    }

    /// A list message: HTML and plain-text alternatives, the list's headers
    /// (`List-Id`, `List-Unsubscribe`, `List-Unsubscribe-Post`) and a fixed
    /// `Message-ID`.
    pub fn list_message(&self, mail: &ListMail) -> Result<Message, MailError> {
        use lettre::message::header::{HeaderName, HeaderValue};
        use lettre::message::{MultiPart, SinglePart};
        let mut builder = Message::builder()
            .from(self.sender_named(mail.from_name.as_deref()))
            .to(mailbox(&mail.to)?)
            .subject(mail.subject.clone())
            .message_id(Some(mail.message_id.clone()));
        for (name, value) in &mail.headers {
            if value.chars().any(char::is_control) {
                return Err(MailError::Address(format!("{name}: {value}")));
            }
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str(name),
                value.clone(),
            ));
        }
        Ok(builder.multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(mail.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(mail.html.clone()),
                ),
        )?)
    }

    /// Sends a list message (see [`Mailer::list_message`]).
    pub async fn send_list(&self, mail: &ListMail) -> Result<Option<PathBuf>, MailError> {
        let message = self.list_message(mail)?;
        self.deliver(message, None).await
    }

    fn message(&self, mail: &Mail) -> Result<Message, MailError> {
        let from = match self {
            Mailer::Outbox { from, .. } | Mailer::Smtp { from, .. } => from.clone(),
        };
        Ok(Message::builder()
            .from(from)
            .to(mailbox(&mail.to)?)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text.clone())?)
    }

    /// Sends one message; returns the outbox file when there is one.
    pub async fn send(&self, mail: &Mail) -> Result<Option<PathBuf>, MailError> {
        let message = self.message(mail)?;
        self.deliver(message, mail.link.as_deref()).await
    }

    async fn deliver(
        &self,
        message: Message,
        link: Option<&str>,
    ) -> Result<Option<PathBuf>, MailError> {
        match self {
            Mailer::Smtp {
                builder,
                transport,
                connections,
                ..
            } => {
                use lettre::transport::smtp::PoolConfig;
                let transport = transport.get_or_init(|| {
                    builder
                        .as_ref()
                        .clone()
                        .pool_config(
                            PoolConfig::new()
                                .max_size(*connections)
                                .idle_timeout(std::time::Duration::from_secs(30)),
                        )
                        .build()
                });
                transport.send(message).await?;
                Ok(None)
            }
            Mailer::Outbox { dir, .. } => {
                tokio::fs::create_dir_all(dir).await?;
                let name = format!(
                    "{}-{}.eml",
                    kiosque_domain::clock::Clock::System
                        .now()
                        .format("%Y%m%dT%H%M%S%.3fZ"),
                    &kiosque_domain::secret::random_token()[..12]
                );
                // Written whole under a temporary name, then renamed: a reader of the
                // folder never sees half a message.
                let path = dir.join(&name);
                let partial = dir.join(format!(".{name}.part"));
                tokio::fs::write(&partial, message.formatted()).await?;
                tokio::fs::rename(&partial, &path).await?;
                // The file holds the message and its link; a live single-use link
                // is a secret and never goes to the logs at INFO (only at DEBUG, for
                // a developer who asks with RUST_LOG=kiosque_app::mail=debug).
                tracing::info!(file = %path.display(), "mail written to the outbox");
                if let Some(link) = link {
                    tracing::debug!(file = %path.display(), %link, "the mail's link");
                }
                Ok(Some(path))
            }
        }
    }
}

#[cfg(test)]
#[expect(
    clippy::disallowed_methods,
    reason = "tests read the real clock and environment"
)]
mod tests {
    use super::*;

    /// The interpreter that has aiosmtpd (`KIOSQUE_PYTHON`, CI's virtualenv); `None`
    /// when it is missing, unless `KIOSQUE_REQUIRE_SMTP` makes that a failure.
    fn aiosmtpd_python() -> Option<String> {
        let python = std::env::var("KIOSQUE_PYTHON").unwrap_or_else(|_| "python3".into());
        let available = std::process::Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !available {
            assert!(
                std::env::var_os("KIOSQUE_REQUIRE_SMTP").is_none(),
                "KIOSQUE_REQUIRE_SMTP is set but {python} has no aiosmtpd"
            );
            eprintln!("aiosmtpd missing: SMTP test skipped");
            return None;
        }
        Some(python)
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    /// Waits (20 s at most) until the server started on `port` listens.
    fn wait_listening(port: u16) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "aiosmtpd did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// A real SMTP server (aiosmtpd, from PyPI) receives the message lettre sends.
    /// `KIOSQUE_PYTHON` names the interpreter that has it (CI's virtualenv), and
    /// `KIOSQUE_REQUIRE_SMTP` makes its absence a failure rather than a skip.
    #[tokio::test]
    async fn smtp_delivers_to_a_real_server() {
        use std::io::Read;
        let Some(python) = aiosmtpd_python() else {
            return;
        };
        let port = free_port();
        let mut server = std::process::Command::new(&python)
            .args([
                "-u",
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        wait_listening(port);
        let mailer = Mailer::smtp(
            &format!("smtp://127.0.0.1:{port}"),
            "Kiosque Info <ne-pas-repondre@example.org>",
        )
        .unwrap();
        let sent = mailer
            .send(&Mail {
                to: "lea@example.org".into(),
                subject: "Confirm your address".into(),
                text: "Hello Lea,\n\nhttp://127.0.0.1/compte/verifier/abc123\n".into(),
                link: Some("http://127.0.0.1/compte/verifier/abc123".into()),
            })
            .await;
        let _ = server.kill();
        let mut received = String::new();
        server
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut received)
            .unwrap();
        let _ = server.wait();
        assert_eq!(sent.unwrap(), None, "no outbox file in SMTP mode");
        assert!(received.contains("To: lea@example.org"), "{received}");
        assert!(
            received.contains("Subject: Confirm your address"),
            "{received}"
        );
        assert!(
            received.contains("From: \"Kiosque Info\" <ne-pas-repondre@example.org>"),
            "{received}"
        );
        assert!(received.contains("/compte/verifier/abc123"), "{received}");
    }

    /// A newsletter's mail through a real SMTP server (aiosmtpd), read back by
    /// Python's `email` package: both alternatives, the list headers (RFC 2369, RFC
    /// 8058), the fixed Message-ID; two messages over the pool.
    #[tokio::test]
    async fn list_mail_reaches_a_real_server_whole() {
        let Some(python) = aiosmtpd_python() else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        // Each message saved as a file, as a mail server's queue would.
        let server_script = r#"
import asyncio, sys, pathlib
from aiosmtpd.controller import Controller
out = pathlib.Path(sys.argv[2])
class Save:
    n = 0
    async def handle_DATA(self, server, session, envelope):
        Save.n += 1
        (out / f"{Save.n}.eml").write_bytes(envelope.original_content)
        return "250 OK"
c = Controller(Save(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
import time
while True:
    time.sleep(1)
"#;
        let mut server = std::process::Command::new(&python)
            .args([
                "-c",
                server_script,
                &port.to_string(),
                dir.path().to_str().unwrap(),
            ])
            .spawn()
            .unwrap();
        wait_listening(port);
        let mailer = Mailer::smtp(
            &format!("smtp://127.0.0.1:{port}"),
            "Kiosque Info <ne-pas-repondre@example.org>",
        )
        .unwrap();
        for (n, to) in ["lea@example.org", "paul@example.org"].iter().enumerate() {
            let unsubscribe = format!("https://example.org/newsletters/desabonnement/1-{to}");
            mailer
                .send_list(&ListMail {
                    to: (*to).into(),
                    from_name: Some("Le Matin de Kiosque".into()),
                    subject: "Le Matin du 2 décembre".into(),
                    text: format!("Bonjour\n\nSe désinscrire : {unsubscribe}\n"),
                    html: format!(
                        "<p>Bonjour</p><p><a href=\"{unsubscribe}\">Se désinscrire</a></p>"
                    ),
                    message_id: format!("<edition-1.{n}@example.org>"),
                    headers: vec![
                        ("List-Id", "Le Matin <le-matin.example.org>".into()),
                        ("List-Unsubscribe", format!("<{unsubscribe}>")),
                        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".into()),
                    ],
                })
                .await
                .unwrap();
        }
        let check = r#"
import email, email.policy, pathlib, sys, json
out = []
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.eml")):
    m = email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
    assert m.get_content_type() == "multipart/alternative", m.get_content_type()
    parts = [x.get_content_type() for x in m.iter_parts()]
    assert parts == ["text/plain", "text/html"], parts
    out.append({"to": str(m["To"]), "from": str(m["From"]), "subject": str(m["Subject"]),
        "list_id": str(m["List-Id"]), "unsubscribe": str(m["List-Unsubscribe"]),
        "post": str(m["List-Unsubscribe-Post"]), "message_id": str(m["Message-ID"]),
        "html": m.get_body(("html",)).get_content(), "text": m.get_body(("plain",)).get_content()})
print(json.dumps(out))
"#;
        let read = std::process::Command::new(&python)
            .args(["-c", check, dir.path().to_str().unwrap()])
            .output()
            .unwrap();
        let _ = server.kill();
        let _ = server.wait();
        assert!(
            read.status.success(),
            "{}",
            String::from_utf8_lossy(&read.stderr)
        );
        let mails: Vec<serde_json::Value> = serde_json::from_slice(&read.stdout).unwrap();
        assert_eq!(mails.len(), 2);
        let lea = &mails[0];
        assert_eq!(lea["to"], "lea@example.org");
        assert_eq!(
            lea["from"],
            "Le Matin de Kiosque <ne-pas-repondre@example.org>"
        );
        assert_eq!(lea["subject"], "Le Matin du 2 décembre");
        assert_eq!(lea["list_id"], "Le Matin <le-matin.example.org>");
        assert_eq!(lea["post"], "List-Unsubscribe=One-Click");
        assert_eq!(
            lea["unsubscribe"],
            "<https://example.org/newsletters/desabonnement/1-lea@example.org>"
        );
        assert_eq!(lea["message_id"], "<edition-1.0@example.org>");
        assert!(lea["html"].as_str().unwrap().contains("Se désinscrire"));
        assert!(
            lea["text"]
                .as_str()
                .unwrap()
                .contains("desabonnement/1-lea")
        );
    }

    #[tokio::test]
    async fn the_outbox_holds_whole_messages_any_client_can_read() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::outbox(
            dir.path().join("outbox"),
            "Kiosque Info <ne-pas-repondre@example.org>",
        )
        .unwrap();
        let mail = Mail {
            to: "lectrice@example.org".into(),
            subject: "Confirmez votre adresse « e-mail »".into(),
            text:
                "Bonjour,\n\nConfirmez ici : https://example.org/compte/verifier/abc\n\nÀ bientôt."
                    .into(),
            link: Some("https://example.org/compte/verifier/abc".into()),
        };
        let path = mailer.send(&mail).await.unwrap().unwrap();
        assert_eq!(path.extension().unwrap(), "eml");
        let files: Vec<_> = std::fs::read_dir(dir.path().join("outbox"))
            .unwrap()
            .collect();
        assert_eq!(files.len(), 1, "no temporary file is left behind");
        let raw = std::fs::read_to_string(&path).unwrap();
        assert!(
            raw.contains(r#"From: "Kiosque Info" <ne-pas-repondre@example.org>"#),
            "{raw}"
        );
        assert!(raw.contains("To: lectrice@example.org"));
        // Non-ASCII subjects are encoded (RFC 2047), bodies declared as UTF-8 text.
        assert!(
            raw.contains("Subject: Confirmez votre adresse =?utf-8?"),
            "{raw}"
        );
        assert!(raw.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(raw.contains("Date: "), "{raw}");
        assert!(raw.contains("https://example.org/compte/verifier/abc"));
    }

    #[tokio::test]
    async fn bad_addresses_are_refused_not_sent() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Mailer::outbox(dir.path().to_path_buf(), "pas une adresse"),
            Err(MailError::Address(_))
        ));
        let mailer = Mailer::outbox(dir.path().join("o"), "a@example.org").unwrap();
        let mail = Mail {
            to: "x\r\nBcc: victime@example.org".into(),
            subject: "s".into(),
            text: "t".into(),
            link: None,
        };
        assert!(matches!(
            mailer.send(&mail).await,
            Err(MailError::Address(_))
        ));
        assert!(!dir.path().join("o").exists(), "nothing written");
    }

    #[test]
    fn the_default_sender_survives_any_site_name() {
        for name in [
            "Kiosque Info",
            "L'Écho, du soir",
            "Le \"Quotidien\" <libre>",
        ] {
            let sender = default_sender(name);
            assert!(
                Mailer::outbox(PathBuf::from("/tmp/x"), &sender).is_ok(),
                "{sender}"
            );
        }
    }

    #[test]
    fn smtp_urls_are_read_and_never_printed() {
        let mailer = Mailer::smtp("smtps://user:secret@smtp.example.org", "a@example.org").unwrap();
        assert!(!format!("{mailer:?}").contains("secret"));
        assert!(Mailer::smtp("ftp://nowhere", "a@example.org").is_err());
    }
}
