//! Bad input gets a clear 4xx, never a 500: oversized bodies, malformed UTF-8, path
//! traversal, deep JSON, header injection, huge query strings.

use crate::admin::create_user;
use crate::api::token_for;
use crate::app::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use kiosque_domain::Role;

fn assert_client_error(status: StatusCode, what: &str) {
    assert!(status.is_client_error(), "{what}: {status}");
}

#[tokio::test]
async fn bad_input_gets_a_4xx_never_a_500() {
    let app = TestApp::new().await;
    let token = token_for(&app, "robot@example.org", Role::Editor).await;
    let article = app.fixture.recent.id.0;

    // A 3 MB comment form (the reader site's limit is 2 MB).
    let huge = format!("csrf=x&body={}", "a".repeat(3 * 1024 * 1024));
    let response = app
        .request(
            Request::post(format!("/commentaires/{article}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(huge))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);

    // Malformed UTF-8 in a form and in a path.
    let response = app
        .request(
            Request::post("/compte/connexion")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(&b"csrf=x&email=%FF%FE&password=\xff\xfe"[..]))
                .unwrap(),
        )
        .await;
    assert_client_error(response.status, "malformed UTF-8 form");
    assert_client_error(
        app.get("/tags/%FF%FE/").await.status,
        "malformed UTF-8 path",
    );
    assert_client_error(app.get("/commentaires/%FF").await.status, "non-numeric id");
    assert_client_error(
        app.get("/commentaires/99999999999999999999999")
            .await
            .status,
        "id out of range",
    );

    // Path traversal in media names.
    for path in [
        "/media/../kiosque.db",
        "/media/%2e%2e/kiosque.db",
        "/media/2026/..%2F..%2Fkiosque.db",
        "/media/%2F%2Fetc%2Fpasswd",
    ] {
        assert_client_error(app.get(path).await.status, path);
    }

    // Deep and malformed JSON to the API.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for body in [
        deep.as_str(),
        "{\"headline\": ",
        "\u{0}",
        "{\"headline\": \"\\ud800\"}",
    ] {
        let response = app
            .request(
                Request::post("/api/v1/articles")
                    .header("authorization", format!("Bearer {token}"))
                    .header("content-type", "application/json")
                    .body(Body::from(body.to_owned()))
                    .unwrap(),
            )
            .await;
        assert_client_error(
            response.status,
            &format!("JSON {:?}", &body[..body.len().min(20)]),
        );
    }

    // Header injection through redirect targets.
    let staff_login = app
        .get("/admin/login?next=/admin%0d%0aSet-Cookie:%20x=1")
        .await;
    assert!(
        staff_login.body.contains(r#"name="next" value="/admin""#),
        "a next with a line break is dropped: it would end up in a Location header"
    );
    let mut reader = crate::comments::Visitor::new(&app);
    let refused = reader
        .submit(
            "/compte/connexion",
            "/compte/connexion",
            &[
                ("email", "x@example.org"),
                ("password", "pas de compte ici"),
                ("retour", "/a\r\nSet-Cookie: x=1"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.body.contains(r#"name="retour" value="/""#));

    // Huge query strings: the search page answers, with a message, never an error.
    let query = format!("/recherche?q={}", "mot+".repeat(10_000));
    let search = app.get(&query).await;
    assert!(
        search.status.is_success() || search.status.is_client_error(),
        "{}",
        search.status
    );

    // A comment posted as JSON instead of a form.
    create_user(&app, "x@example.org", Role::Journalist).await;
    let wrong_type = app
        .request(
            Request::post(format!("/commentaires/{article}"))
                .header("content-type", "application/json")
                .body(Body::from("{\"body\": \"x\"}"))
                .unwrap(),
        )
        .await;
    assert_client_error(wrong_type.status, "JSON to a form endpoint");
}
