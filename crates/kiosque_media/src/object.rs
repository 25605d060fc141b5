//! Blob storage in an S3-compatible bucket (AWS S3, MinIO, Garage, Ceph, R2…), through
//! the `object_store` crate. An object is written whole in one request, so a crash
//! never leaves half an image behind a key, as with the folder.

use crate::fs::{check_key, mime_of};
use async_trait::async_trait;
use kiosque_domain::media::{Blob, BlobStore};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload};
use std::io::{Error, ErrorKind};
use std::sync::Arc;

/// The types a stored object may be served as.
const IMAGE_TYPES: &[&str] = &["image/jpeg", "image/png", "image/webp", "image/gif"];

/// Media keys are never reused, so a public bucket or CDN may keep them for a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Where the bucket is and how to sign in to it. Anything left out is taken from the
/// usual AWS variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_DEFAULT_REGION`, `AWS_ENDPOINT`…), then from the defaults (AWS, `us-east-1`).
#[derive(Clone, Default)]
pub struct S3Settings {
    /// `s3://bucket` or `s3://bucket/prefix`.
    pub url: String,
    /// An S3-compatible server (`http://127.0.0.1:9000`); path-style requests.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("url", &self.url)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "***"),
            )
            .finish()
    }
}

impl S3Settings {
    /// The bucket and the prefix (without slashes at its ends) of `s3://bucket/prefix`.
    pub fn bucket_and_prefix(&self) -> Result<(&str, &str), Error> {
        let rest = self.url.strip_prefix("s3://").ok_or_else(|| {
            invalid(format!(
                "the media store must be an s3://bucket/prefix URL, not {:?}",
                self.url
            ))
        })?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(invalid(format!("no bucket in {:?}", self.url)));
        }
        Ok((bucket, prefix.trim_matches('/')))
    }
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidInput, message)
}

fn io_error(e: object_store::Error) -> Error {
    Error::other(e)
}

/// Media in a bucket.
#[derive(Debug, Clone)]
pub struct ObjectBlobStore {
    store: Arc<dyn ObjectStore>,
    /// For error messages: `s3://bucket/prefix`.
    name: String,
}

impl ObjectBlobStore {
    /// A bucket on S3 or an S3-compatible server. Makes no request: see
    /// [`ObjectBlobStore::check`].
    pub fn s3(settings: &S3Settings) -> Result<Self, Error> {
        let (bucket, prefix) = settings.bucket_and_prefix()?;
        // TLS for https endpoints, with the same provider as the mailer.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        if let Some(endpoint) = &settings.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let Some(region) = &settings.region {
            builder = builder.with_region(region);
        }
        if let Some(key) = &settings.access_key_id {
            builder = builder.with_access_key_id(key);
        }
        if let Some(secret) = &settings.secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        let s3 = builder
            .build()
            .map_err(|e| invalid(format!("cannot use {}: {e}", settings.url)))?;
        let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(PrefixStore::new(s3, prefix))
        };
        Ok(Self {
            store,
            name: settings.url.trim_end_matches('/').to_owned(),
        })
    }

    /// Lists the top of the bucket once: fails with the server's reason when the
    /// bucket cannot be reached or read (wrong endpoint, no such bucket, bad keys).
    pub async fn check(&self) -> Result<(), Error> {
        self.store
            .list_with_delimiter(None)
            .await
            .map(|_| ())
            .map_err(|e| Error::other(format!("cannot read the media bucket {}: {e}", self.name)))
    }

    fn path(key: &str) -> Result<Path, Error> {
        check_key(key)?;
        Path::parse(key).map_err(|e| invalid(format!("invalid media key {key:?}: {e}")))
    }
}

#[async_trait]
impl BlobStore for ObjectBlobStore {
    async fn put(&self, key: &str, bytes: &[u8], mime: &str) -> std::io::Result<()> {
        let path = Self::path(key)?;
        let attributes = Attributes::from_iter([
            (Attribute::ContentType, mime.to_owned()),
            (Attribute::CacheControl, IMMUTABLE.to_owned()),
        ]);
        let options = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.store
            .put_opts(&path, PutPayload::from(bytes.to_vec()), options)
            .await
            .map(|_| ())
            .map_err(io_error)
    }

    async fn get(&self, key: &str) -> std::io::Result<Option<Blob>> {
        let Ok(path) = Self::path(key) else {
            return Ok(None);
        };
        let found = match self.store.get(&path).await {
            Ok(found) => found,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(io_error(e)),
        };
        // The stored type when it is an image's (pages show these from the site's own
        // origin), else the one the key's extension says.
        let mime = found
            .attributes
            .get(&Attribute::ContentType)
            .map(|m| m.to_string())
            .filter(|m| IMAGE_TYPES.contains(&m.as_str()))
            .unwrap_or_else(|| mime_of(key).to_owned());
        let bytes = found.bytes().await.map_err(io_error)?;
        Ok(Some(Blob {
            bytes: bytes.to_vec(),
            mime,
        }))
    }
}

#[cfg(test)]
#[expect(
    clippy::disallowed_methods,
    reason = "tests read the real clock and environment"
)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// The S3-compatible server `.ci/run` starts (`moto_server`), if any.
    fn endpoint() -> Option<String> {
        let endpoint = std::env::var("KIOSQUE_TEST_S3_ENDPOINT").ok();
        if endpoint.is_none() {
            assert!(
                std::env::var_os("KIOSQUE_REQUIRE_S3").is_none(),
                "KIOSQUE_REQUIRE_S3 is set but KIOSQUE_TEST_S3_ENDPOINT is not"
            );
            eprintln!("no KIOSQUE_TEST_S3_ENDPOINT: S3 test skipped");
        }
        endpoint
    }

    /// One plain (unsigned) request to the S3 server; the whole answer.
    fn request(endpoint: &str, head: &str, body: &str) -> String {
        let host = endpoint.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = std::net::TcpStream::connect(host).unwrap();
        write!(
            stream,
            "{head} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    /// Creates a bucket anyone may read from, as an operator would beforehand for a
    /// public media URL.
    fn create_bucket(endpoint: &str, bucket: &str) {
        let created = request(endpoint, &format!("PUT /{bucket}"), "");
        assert!(created.starts_with("HTTP/1.1 200"), "{created}");
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{bucket}/*"}}]}}"#
        );
        let public = request(endpoint, &format!("PUT /{bucket}?policy"), &policy);
        assert!(public.starts_with("HTTP/1.1 2"), "{public}");
    }

    fn settings(endpoint: &str, url: String) -> S3Settings {
        S3Settings {
            url,
            endpoint: Some(endpoint.to_owned()),
            region: Some("us-east-1".into()),
            access_key_id: Some("kiosque".into()),
            secret_access_key: Some("kiosque-secret".into()),
        }
    }

    #[tokio::test]
    async fn blobs_round_trip_through_an_s3_bucket() {
        let Some(endpoint) = endpoint() else {
            return;
        };
        let bucket = format!("kq-media-{}", std::process::id());
        create_bucket(&endpoint, &bucket);
        let store =
            ObjectBlobStore::s3(&settings(&endpoint, format!("s3://{bucket}/site/"))).unwrap();
        store.check().await.unwrap();
        store
            .put("2026/11/a.webp", b"RIFF-webp", "image/webp")
            .await
            .unwrap();
        let blob = store.get("2026/11/a.webp").await.unwrap().unwrap();
        assert_eq!(blob.bytes, b"RIFF-webp");
        assert_eq!(blob.mime, "image/webp");
        assert_eq!(store.get("2026/11/b.webp").await.unwrap(), None);
        // A type that is not an image's is never served from the site's origin.
        store
            .put("2026/11/c.jpg", b"<script>", "text/html")
            .await
            .unwrap();
        assert_eq!(
            store.get("2026/11/c.jpg").await.unwrap().unwrap().mime,
            "image/jpeg"
        );
        assert!(store.put("../evil.jpg", b"x", "image/jpeg").await.is_err());
        assert!(store.put("a//b.jpg", b"x", "image/jpeg").await.is_err());
        assert_eq!(store.get("/site/2026/11/a.webp").await.unwrap(), None);

        // The object sits under the prefix, with the headers a public bucket serves.
        let answer = request(&endpoint, &format!("GET /{bucket}/site/2026/11/a.webp"), "");
        let lower = answer.to_lowercase();
        assert!(lower.starts_with("http/1.1 200"), "{answer}");
        assert!(lower.contains("content-type: image/webp"), "{answer}");
        assert!(lower.contains(IMMUTABLE), "{answer}");
        assert!(answer.ends_with("RIFF-webp"));

        // A bucket that does not exist is reported at start-up, with its name.
        let missing =
            ObjectBlobStore::s3(&settings(&endpoint, "s3://kq-no-such-bucket".into())).unwrap();
        let error = missing.check().await.unwrap_err().to_string();
        assert!(error.contains("s3://kq-no-such-bucket"), "{error}");
    }

    #[test]
    fn store_urls_name_a_bucket() {
        let parse = |url: &str| {
            let s = S3Settings {
                url: url.into(),
                ..S3Settings::default()
            };
            s.bucket_and_prefix()
                .map(|(b, p)| (b.to_owned(), p.to_owned()))
        };
        assert_eq!(parse("s3://news").unwrap(), ("news".into(), "".into()));
        assert_eq!(
            parse("s3://news/media/site/").unwrap(),
            ("news".into(), "media/site".into())
        );
        assert!(parse("s3:///media").is_err());
        assert!(parse("/var/media").is_err());
        let shown = format!(
            "{:?}",
            S3Settings {
                secret_access_key: Some("hunter2".into()),
                ..S3Settings::default()
            }
        );
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
