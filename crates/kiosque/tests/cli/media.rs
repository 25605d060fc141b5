//! Media in an S3-compatible bucket, served to browsers straight from the bucket (or a
//! CDN in front of it) rather than through Kiosque; and a bucket that cannot be reached
//! stops a node at start-up.

use crate::server::{S3Bucket, Server, http_get, kiosque, run_ok};

#[test]
fn pages_point_browsers_at_a_public_bucket() {
    let Some(bucket) = S3Bucket::create("kq-public") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = ["--data", dir.path().to_str().unwrap()];
    let mut env = bucket.node_env();
    let public = format!("{}/{}/site", bucket.endpoint, bucket.name);
    env.push(("KIOSQUE_MEDIA_PUBLIC_URL", format!("{public}/")));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    run_ok(kiosque().args(data).arg("demo").envs(env.iter().copied()));
    assert!(
        !dir.path().join("media").exists(),
        "the pictures went to the bucket"
    );
    let server = Server::start_env(dir.path(), &[], &env);

    let home = http_get(server.port, "/");
    assert!(
        !home.body.contains("src=\"/media/") && !home.body.contains(" /media/"),
        "no picture through Kiosque"
    );
    let csp = home.header("content-security-policy").unwrap();
    assert!(
        csp.contains(&format!("img-src 'self' data: {};", bucket.endpoint)),
        "{csp}"
    );
    let marker = format!("src=\"{public}/");
    let start = home.body.find(&marker).expect("a picture from the bucket") + 5;
    let url = &home.body[start..start + home.body[start..].find('"').unwrap()];
    let key = &url[public.len() + 1..];
    // What a browser gets from the bucket: the picture, its type, kept for a year.
    let fetched = bucket.object(key);
    assert_eq!(fetched.status, 200, "{url}");
    assert!(
        fetched
            .header("content-type")
            .unwrap()
            .starts_with("image/")
    );
    assert_eq!(
        fetched.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    // Social cards need an absolute URL: the bucket's, not the site's with it glued on.
    let article = crate::server::article_links(&home.body)
        .into_iter()
        .find(|link| {
            http_get(server.port, link)
                .body
                .contains("property=\"og:image\"")
        })
        .expect("an article with a lead picture");
    let page = http_get(server.port, &article).body;
    let og = page
        .split("property=\"og:image\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert!(og.starts_with(&format!("{public}/")), "{og}");
    // Kiosque still serves a key it is asked for, for links made before the switch.
    assert_eq!(http_get(server.port, &format!("/media/{key}")).status, 200);
}

#[test]
fn a_bucket_that_cannot_be_read_stops_the_node_at_start() {
    let Some(bucket) = S3Bucket::create("kq-absent") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut env = bucket.node_env();
    env[0].1 = format!("s3://{}-not-made/site", bucket.name);
    let out = kiosque()
        .args(["--data", dir.path().to_str().unwrap(), "serve"])
        .args(["--listen", "127.0.0.1:0"])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "cannot read the media bucket s3://{}-not-made/site",
            bucket.name
        )),
        "{err}"
    );
    let secret = "kiosque-test-secret";
    assert!(!err.contains(secret), "no secret in the error: {err}");
}
