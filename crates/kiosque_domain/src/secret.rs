//! Secrets: random tokens (sessions, CSRF, previews, API tokens) and the hashes under
//! which they are stored. A leaked database then yields no usable session or token.

use sha2::{Digest, Sha256};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 random bytes from the operating system, hex-encoded (64 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS generator failing is not recoverable: no secret may be weak.
    if let Err(e) = getrandom::fill(&mut bytes) {
        panic!("the operating system's random generator failed: {e}");
    }
    hex(&bytes)
}

/// SHA-256 of a token, hex-encoded: what the database keeps.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// SHA-256 of some bytes, hex-encoded (content fingerprints: entity tags).
pub fn digest_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// HMAC-SHA256 of `message` under `key`, hex-encoded: a signature only the holder
/// of the key can make (signed preview links, one-click unsubscribe links).
pub fn sign(key: &str, message: &str) -> String {
    use hmac::Mac;
    // HMAC takes a key of any length.
    let mut mac = match hmac::Hmac::<Sha256>::new_from_slice(key.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(message.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// Compares two secrets in constant time.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_follow_rfc_4231() {
        // RFC 4231, test case 2.
        assert_eq!(
            sign("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_ne!(
            sign("Jefe", "what do ya want for nothing!"),
            sign("Jefe", "what do ya want for nothing?")
        );
    }

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(same_secret(&a, &a.clone()));
        assert!(!same_secret(&a, &b));
        assert!(!same_secret("a", "ab"));
    }
}
