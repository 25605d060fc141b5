//! Web Push on the wire: message encryption (RFC 8291, `aes128gcm` content coding of
//! RFC 8188) and VAPID (RFC 8292) application server keys and tokens, with `ring`'s
//! P-256, HKDF-SHA-256 and AES-128-GCM. No third-party service: Kiosque posts to the
//! browser's push service itself (see `crate::alerts`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use ring::{aead, agreement, hkdf};

/// A subscription's public key (`p256dh`, an uncompressed P-256 point) and its
/// authentication secret, as the browser gave them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientKeys {
    pub p256dh: [u8; 65],
    pub auth: [u8; 16],
}

impl ClientKeys {
    /// Reads the base64url fields of a `PushSubscription`'s `keys`.
    pub fn parse(p256dh: &str, auth: &str) -> Result<Self, &'static str> {
        let decode = |s: &str| {
            B64.decode(s.trim_end_matches('='))
                .map_err(|_| "not base64url")
        };
        let key: [u8; 65] = decode(p256dh)?
            .try_into()
            .map_err(|_| "p256dh is not a 65-byte P-256 point")?;
        if key[0] != 4 {
            return Err("p256dh is not an uncompressed P-256 point");
        }
        let auth: [u8; 16] = decode(auth)?
            .try_into()
            .map_err(|_| "auth is not 16 bytes")?;
        Ok(Self { p256dh: key, auth })
    }
}

struct Len(usize);

impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

fn hkdf(salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> Result<(), PushError> {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(ikm);
    let info = [info];
    prk.expand(&info, Len(out.len()))
        .and_then(|okm| okm.fill(out))
        .map_err(|_| PushError::Crypto)
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PushError {
    #[error("the subscription's key is not a P-256 point")]
    BadKey,
    #[error("the payload is too long for one record")]
    TooLong,
    #[error("a cryptographic operation failed")]
    Crypto,
}

/// Largest payload sent: one 4096-byte record minus its padding delimiter, tag and
/// header (push services take 4096 bytes of body at least).
pub const MAX_PAYLOAD: usize = 3993;

/// Encrypts `payload` for a subscription (RFC 8291): a fresh sender key pair and salt
/// each time; the body is the `aes128gcm` header (salt, record size, the sender's
/// public key) followed by the one record.
pub fn encrypt(keys: &ClientKeys, payload: &[u8]) -> Result<Vec<u8>, PushError> {
    if payload.len() > MAX_PAYLOAD {
        return Err(PushError::TooLong);
    }
    let rng = SystemRandom::new();
    let sender = agreement::EphemeralPrivateKey::generate(&agreement::ECDH_P256, &rng)
        .map_err(|_| PushError::Crypto)?;
    let sender_public = sender.compute_public_key().map_err(|_| PushError::Crypto)?;
    let sender_public = sender_public.as_ref().to_vec();
    let peer = agreement::UnparsedPublicKey::new(&agreement::ECDH_P256, keys.p256dh);
    let shared: Vec<u8> = agreement::agree_ephemeral(sender, &peer, |secret| secret.to_vec())
        .map_err(|_| PushError::BadKey)?;
    // IKM = HKDF(auth, ecdh_secret, "WebPush: info" || 0 || ua_public || as_public, 32)
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(&keys.p256dh);
    key_info.extend_from_slice(&sender_public);
    let mut ikm = [0u8; 32];
    hkdf(&keys.auth, &shared, &key_info, &mut ikm)?;
    let mut salt = [0u8; 16];
    ring::rand::SecureRandom::fill(&rng, &mut salt).map_err(|_| PushError::Crypto)?;
    let mut cek = [0u8; 16];
    hkdf(&salt, &ikm, b"Content-Encoding: aes128gcm\0", &mut cek)?;
    let mut nonce = [0u8; 12];
    hkdf(&salt, &ikm, b"Content-Encoding: nonce\0", &mut nonce)?;
    let key = aead::LessSafeKey::new(
        aead::UnboundKey::new(&aead::AES_128_GCM, &cek).map_err(|_| PushError::Crypto)?,
    );
    let mut record = payload.to_vec();
    // The last (and only) record ends with the delimiter 2, no further padding.
    record.push(2);
    key.seal_in_place_append_tag(
        aead::Nonce::assume_unique_for_key(nonce),
        aead::Aad::empty(),
        &mut record,
    )
    .map_err(|_| PushError::Crypto)?;
    let mut body = Vec::with_capacity(16 + 4 + 1 + 65 + record.len());
    body.extend_from_slice(&salt);
    body.extend_from_slice(&4096u32.to_be_bytes());
    body.push(sender_public.len() as u8);
    body.extend_from_slice(&sender_public);
    body.extend_from_slice(&record);
    Ok(body)
}

/// The site's VAPID key pair (ECDSA P-256), kept as PKCS#8 in the database so that
/// every node signs with the same key.
pub struct Vapid {
    pair: EcdsaKeyPair,
    rng: SystemRandom,
}

impl std::fmt::Debug for Vapid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vapid")
            .field("public_key", &self.public_key())
            .finish_non_exhaustive()
    }
}

impl Vapid {
    /// A new key pair, as base64url PKCS#8 to keep.
    pub fn generate() -> Result<String, PushError> {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .map_err(|_| PushError::Crypto)?;
        Ok(B64.encode(pkcs8.as_ref()))
    }

    pub fn from_stored(pkcs8: &str) -> Result<Self, PushError> {
        let bytes = B64.decode(pkcs8.trim()).map_err(|_| PushError::BadKey)?;
        let rng = SystemRandom::new();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &bytes, &rng)
            .map_err(|_| PushError::BadKey)?;
        Ok(Self { pair, rng })
    }

    /// The public key as browsers take it (`applicationServerKey`): the uncompressed
    /// point, base64url without padding.
    pub fn public_key(&self) -> String {
        B64.encode(self.pair.public_key().as_ref())
    }

    /// The `Authorization` header for a push service at `audience` (its origin):
    /// `vapid t=<JWT ES256>, k=<public key>`, valid until `expires` (Unix seconds,
    /// at most 24 h ahead per RFC 8292).
    pub fn authorization(
        &self,
        audience: &str,
        subject: &str,
        expires: i64,
    ) -> Result<String, PushError> {
        let header = B64.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::json!({"aud": audience, "exp": expires, "sub": subject});
        let claims = B64.encode(claims.to_string().as_bytes());
        let signing_input = format!("{header}.{claims}");
        let signature = self
            .pair
            .sign(&self.rng, signing_input.as_bytes())
            .map_err(|_| PushError::Crypto)?;
        Ok(format!(
            "vapid t={signing_input}.{}, k={}",
            B64.encode(signature.as_ref()),
            self.public_key()
        ))
    }
}

/// The origin (`scheme://host[:port]`) of a URL, lower-cased; `None` for anything but
/// an absolute http(s) URL without credentials.
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    Some(format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// Whether an endpoint is on one of the allowed push services: an origin exactly, or
/// `https://*.example.net` for its subdomains.
pub fn allowed(endpoint: &str, services: &[String]) -> bool {
    let Some(origin) = origin(endpoint) else {
        return false;
    };
    services.iter().any(|service| {
        let service = service.trim().trim_end_matches('/').to_ascii_lowercase();
        match service.split_once("://*.") {
            Some((scheme, domain)) => origin
                .strip_prefix(&format!("{scheme}://"))
                .is_some_and(|host| host.ends_with(&format!(".{domain}"))),
            None => origin == service,
        }
    })
}

/// The push services of the major browsers: Chrome and Edge (FCM), Firefox
/// (Mozilla autopush), Safari (Apple), Edge's legacy Windows service.
pub const DEFAULT_PUSH_SERVICES: &[&str] = &[
    "https://fcm.googleapis.com",
    "https://updates.push.services.mozilla.com",
    "https://web.push.apple.com",
    "https://*.push.apple.com",
    "https://*.notify.windows.com",
];

/// [`DEFAULT_PUSH_SERVICES`] as a list to configure.
pub fn default_services() -> Vec<String> {
    DEFAULT_PUSH_SERVICES
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_allowed_push_services_are_accepted() {
        let services: Vec<String> = DEFAULT_PUSH_SERVICES.iter().map(|s| (*s).into()).collect();
        assert!(allowed(
            "https://fcm.googleapis.com/fcm/send/abc",
            &services
        ));
        assert!(allowed(
            "https://wns2-par02p.notify.windows.com/w/?token=x",
            &services
        ));
        assert!(!allowed(
            "https://notify.windows.com.evil.example/w",
            &services
        ));
        assert!(!allowed(
            "http://fcm.googleapis.com/fcm/send/abc",
            &services
        ));
        assert!(!allowed("https://user@fcm.googleapis.com/x", &services));
        assert!(!allowed("https://127.0.0.1/x", &services));
        assert!(!allowed("file:///etc/passwd", &services));
        let local = vec!["http://127.0.0.1:9999".to_owned()];
        assert!(allowed("http://127.0.0.1:9999/push/1", &local));
        assert!(!allowed("http://127.0.0.1:9998/push/1", &local));
    }

    #[test]
    fn keys_are_checked_when_subscribing() {
        let good = B64.encode([4u8; 65]);
        assert!(ClientKeys::parse(&good, &B64.encode([1u8; 16])).is_ok());
        assert!(ClientKeys::parse(&B64.encode([4u8; 33]), &B64.encode([1u8; 16])).is_err());
        assert!(ClientKeys::parse(&good, &B64.encode([1u8; 15])).is_err());
        assert!(ClientKeys::parse("***", "x").is_err());
    }

    #[test]
    fn a_message_carries_the_header_and_one_record() {
        // A real client key: the public half of a fresh key pair.
        let rng = SystemRandom::new();
        let client = agreement::EphemeralPrivateKey::generate(&agreement::ECDH_P256, &rng).unwrap();
        let public: [u8; 65] = client
            .compute_public_key()
            .unwrap()
            .as_ref()
            .try_into()
            .unwrap();
        let keys = ClientKeys {
            p256dh: public,
            auth: [7; 16],
        };
        let body = encrypt(&keys, br#"{"title":"Alerte"}"#).unwrap();
        assert_eq!(&body[16..20], &4096u32.to_be_bytes());
        assert_eq!(body[20], 65);
        assert_eq!(body.len(), 16 + 4 + 1 + 65 + 18 + 1 + 16);
        assert_eq!(
            encrypt(&keys, &vec![b'x'; MAX_PAYLOAD + 1]),
            Err(PushError::TooLong)
        );
    }

    #[test]
    fn vapid_tokens_are_signed_jwts_with_the_public_key() {
        let vapid = Vapid::from_stored(&Vapid::generate().unwrap()).unwrap();
        let header = vapid
            .authorization(
                "https://fcm.googleapis.com",
                "https://www.example.org",
                1_900_000_000,
            )
            .unwrap();
        let token = header
            .strip_prefix("vapid t=")
            .unwrap()
            .split(", k=")
            .next()
            .unwrap();
        assert_eq!(token.split('.').count(), 3);
        let public = B64.decode(vapid.public_key()).unwrap();
        assert_eq!(public.len(), 65);
        let signature = B64.decode(token.rsplit('.').next().unwrap()).unwrap();
        let signed = &token[..token.rfind('.').unwrap()];
        ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, &public)
            .verify(signed.as_bytes(), &signature)
            .unwrap();
    }
}
