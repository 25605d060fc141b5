//! Password hashing: argon2id, on threads of its own, never on the async runtime.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use std::sync::Mutex;

/// Hashing could not run.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing threads are gone")]
    ThreadsGone,
    #[error("password hashing: {0}")]
    Hashing(String),
}

/// Runs argon2 work on a few long-lived threads of its own, one per core, in turn.
///
/// Each hash takes 19 MiB for a few milliseconds. On tokio's blocking pool every
/// login could land on a new thread with its own malloc arena that keeps its 19 MiB
/// afterwards: 16 concurrent logins for five seconds left the server at 1.5 GiB.
/// Here the same threads reuse the same memory, the work never takes more cores than
/// the machine has, and a burst of logins queues instead of piling up.
async fn on_hashing_threads<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    type Job = Box<dyn FnOnce() + Send>;
    static QUEUE: std::sync::OnceLock<Mutex<std::sync::mpsc::Sender<Job>>> =
        std::sync::OnceLock::new();
    let queue = QUEUE.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel::<Job>();
        let receiver = std::sync::Arc::new(Mutex::new(receiver));
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        for n in 0..threads {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    loop {
                        let next = match receiver.lock() {
                            Ok(guard) => guard.recv(),
                            Err(_) => return,
                        };
                        match next {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        Mutex::new(sender)
    });
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(job());
    });
    queue.lock().ok()?.send(job).ok()?;
    result.await.ok()
}

/// Hashes a password with argon2id (its own random salt), off the async threads.
pub async fn hash_password(password: String) -> Result<String, PasswordError> {
    on_hashing_threads(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
    })
    .await
    .ok_or(PasswordError::ThreadsGone)?
    .map_err(|e| PasswordError::Hashing(e.to_string()))
}

/// Checks a password against a stored hash, off the async threads.
pub async fn verify_password(password: String, hash: String) -> bool {
    on_hashing_threads(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so that a wrong email
/// costs the same time as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"kiosque decoy password")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}
