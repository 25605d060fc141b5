//! The admin API through the router, with personal tokens.

use crate::admin::create_user;
use crate::app::{TestApp, TestResponse};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use kiosque_domain::secret::hash_token;
use kiosque_domain::staff::Role;
use serde_json::{Value, json};

pub async fn token_for(app: &TestApp, email: &str, role: Role) -> String {
    let user = create_user(app, email, role).await;
    let token = kiosque_web::admin::new_api_token();
    app.stores
        .accounts
        .create_api_token(user.id, "test", &hash_token(&token), crate::app::now())
        .await
        .unwrap();
    token
}

pub async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
    if_match: Option<&str>,
) -> (TestResponse, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"));
    if let Some(m) = if_match {
        request = request.header("if-match", m);
    }
    let body = match body {
        Some(b) => {
            request = request.header("content-type", "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    let response = app.request(request.body(body).unwrap()).await;
    let json = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    (response, json)
}

#[tokio::test]
async fn the_api_needs_a_live_token() {
    let app = TestApp::new().await;
    let (response, problem) = call(&app, "GET", "/api/v1/articles", "kq_nope", None, None).await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.header("content-type"), "application/problem+json");
    assert_eq!(problem["status"], 401);
    let token = token_for(&app, "robot@example.org", Role::Journalist).await;
    assert_eq!(
        call(&app, "GET", "/api/v1/articles", &token, None, None)
            .await
            .0
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn create_patch_publish_and_unpublish_through_the_api() {
    api_scenario(&TestApp::new().await).await;
}

#[tokio::test]
async fn the_api_works_the_same_on_postgresql() {
    let Some(app) = TestApp::on_postgres().await else {
        return;
    };
    api_scenario(&app).await;
    app.cleanup().await;
}

async fn api_scenario(app: &TestApp) {
    let journalist = token_for(app, "lea@example.org", Role::Journalist).await;
    let editor = token_for(app, "paul@example.org", Role::Editor).await;

    let (response, problem) = call(
        app,
        "POST",
        "/api/v1/articles",
        &journalist,
        Some(json!({"kicker": "x"})),
        None,
    )
    .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["headline", "section"]);
    let (response, _) = call(
        app,
        "POST",
        "/api/v1/articles",
        &journalist,
        Some(json!({"headline": "x", "section": "monde", "color": "red"})),
        None,
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::BAD_REQUEST,
        "unknown fields are refused"
    );
    let (response, problem) = call(
        app,
        "POST",
        "/api/v1/articles",
        &journalist,
        Some(json!({"headline": "x", "section": "monde", "translation_of": 987654})),
        None,
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    assert_eq!(problem["errors"][0]["field"], "translation_of");

    let new = json!({
        "headline": "Une sonde atteint l'astéroïde", "standfirst": "Après sept ans de voyage.", "body_markdown": "Texte.",
        "section": "sciences/espace", "tags": ["Espace"], "contributors": ["Léa Martin", "Nouvelle Plume"], "agencies": ["AFP"], "language": "fr"
    });
    // A journalist may not create sections or contributors, whichever entrance:
    // refused as the back office refuses it, and nothing is left behind.
    let (response, problem) = call(
        app,
        "POST",
        "/api/v1/articles",
        &journalist,
        Some(new.clone()),
        None,
    )
    .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN, "{}", response.body);
    assert_eq!(problem["title"], "Forbidden");
    let sections = app.stores.taxonomy.sections().await.unwrap();
    assert!(!sections.iter().any(|s| s.path == "sciences/espace"));
    let people = app.stores.people.contributors().await.unwrap();
    assert!(!people.iter().any(|c| c.name == "Nouvelle Plume"));
    // An editor's first article there creates them, with an audit entry each.
    let (response, _) = call(
        app,
        "POST",
        "/api/v1/articles",
        &editor,
        Some(json!({"headline": "Première", "section": "sciences/espace", "contributors": ["Nouvelle Plume"]})),
        None,
    )
    .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    let log = app.stores.accounts.audit_log(20).await.unwrap();
    assert!(log.iter().any(|e| e.action == "section.create"), "{log:?}");
    assert!(
        log.iter().any(|e| e.action == "contributor.create"),
        "{log:?}"
    );
    let (response, created) = call(
        app,
        "POST",
        "/api/v1/articles",
        &journalist,
        Some(new),
        None,
    )
    .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    assert_eq!(created["revision"], 1);
    assert_eq!(created["status"], "draft");
    assert!(created["url"].as_str().unwrap().ends_with(&format!(
        "/sciences/espace/une-sonde-atteint-l-asteroide_{}.html",
        created["id"]
    )));
    assert!(
        created["preview_url"]
            .as_str()
            .unwrap()
            .contains("/preview/")
    );
    let id = created["id"].as_i64().unwrap();
    let path = format!("/api/v1/articles/{id}");

    let (response, article) = call(app, "GET", &path, &journalist, None, None).await;
    assert_eq!(response.header("etag"), "\"1\"");
    assert_eq!(
        article["contributors"],
        json!(["Léa Martin", "Nouvelle Plume"]),
        "unknown contributors are created, in order"
    );
    assert_eq!(article["section"], "sciences/espace");

    // Ids that cannot be an article's are not found, as problem documents.
    for odd in ["99999999999999999999", "0", "-3", "abc"] {
        let (response, problem) = call(
            app,
            "GET",
            &format!("/api/v1/articles/{odd}"),
            &editor,
            None,
            None,
        )
        .await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{odd}");
        assert_eq!(
            response.header("content-type"),
            "application/problem+json",
            "{odd}"
        );
        assert_eq!(problem["status"], 404);
    }

    // A refused edit writes nothing: not the new section, not the new contributor.
    let refused =
        json!({"headline": " ", "section": "sciences/climat", "contributors": ["Autre Plume"]});
    let (response, problem) =
        call(app, "PATCH", &path, &editor, Some(refused), Some("\"1\"")).await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    assert_eq!(problem["errors"][0]["field"], "headline");
    let sections = app.stores.taxonomy.sections().await.unwrap();
    assert!(!sections.iter().any(|s| s.path == "sciences/climat"));
    let people = app.stores.people.contributors().await.unwrap();
    assert!(!people.iter().any(|c| c.name == "Autre Plume"));
    assert_eq!(
        app.get("/sciences/climat/").await.status,
        StatusCode::NOT_FOUND
    );

    let patch = json!({"standfirst": "Après sept ans et trois mois de voyage."});
    assert_eq!(
        call(app, "PATCH", &path, &journalist, Some(patch.clone()), None)
            .await
            .0
            .status,
        StatusCode::PRECONDITION_REQUIRED
    );
    let (response, patched) = call(
        app,
        "PATCH",
        &path,
        &journalist,
        Some(patch.clone()),
        Some("\"1\""),
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(patched["revision"], 2);
    assert_eq!(
        patched["headline"], "Une sonde atteint l'astéroïde",
        "fields not sent are kept"
    );
    let (stale, problem) = call(app, "PATCH", &path, &editor, Some(patch), Some("1")).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert!(problem["detail"].as_str().unwrap().contains("revision 2"));

    assert_eq!(
        call(
            app,
            "POST",
            &format!("{path}/publish"),
            &journalist,
            None,
            None
        )
        .await
        .0
        .status,
        StatusCode::FORBIDDEN
    );
    let (response, published) = call(
        app,
        "POST",
        &format!("{path}/publish"),
        &editor,
        Some(json!({"published_at": "2026-11-27T06:00:00Z"})),
        None,
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(published["status"], "published");
    assert_eq!(published["published_at"], "2026-11-27T06:00:00Z");
    let public = published["url"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://127.0.0.1:8080")
        .to_owned();
    assert_eq!(app.get(&public).await.status, StatusCode::OK);

    let correction =
        json!({"update_kind": "correction", "correction_note": "Sept ans, et non huit."});
    let (response, corrected) = call(
        app,
        "PATCH",
        &path,
        &editor,
        Some(correction),
        Some(&published["revision"].to_string()),
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(
        corrected["corrections"][0]["note"],
        "Sept ans, et non huit."
    );

    let (response, _) = call(
        app,
        "POST",
        &format!("{path}/unpublish"),
        &editor,
        None,
        None,
    )
    .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(app.get(&public).await.status, StatusCode::GONE);

    let future = json!({"at": "2026-11-28T06:00:00Z"});
    let (response, scheduled) = call(
        app,
        "POST",
        &format!("{path}/publish"),
        &editor,
        Some(future),
        None,
    )
    .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(scheduled["status"], "scheduled");
}

#[tokio::test]
async fn lists_walk_everything_with_a_cursor() {
    let app = TestApp::new().await;
    let editor = token_for(&app, "paul@example.org", Role::Editor).await;
    for i in 0..7 {
        let (response, _) = call(
            &app,
            "POST",
            "/api/v1/articles",
            &editor,
            Some(json!({"headline": format!("Dépêche {i}"), "section": "monde"})),
            None,
        )
        .await;
        assert_eq!(response.status, StatusCode::CREATED);
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/articles?status=draft&limit=3".to_owned();
    loop {
        let (response, page) = call(&app, "GET", &path, &editor, None, None).await;
        assert_eq!(response.status, StatusCode::OK);
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_i64().unwrap()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/articles?status=draft&limit=3&cursor={cursor}"),
            None => break,
        }
    }
    // The fixture's draft and the seven new ones.
    assert_eq!(seen.len(), 8);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 8);
}

#[tokio::test]
async fn media_are_uploaded_as_raw_bytes_and_sniffed() {
    let app = TestApp::new().await;
    let editor = token_for(&app, "paul@example.org", Role::Editor).await;
    let img = image::RgbImage::from_fn(640, 360, |x, _| image::Rgb([(x % 255) as u8, 30, 60]));
    let mut png = std::io::Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let upload = |bytes: Vec<u8>, content_type: &str| {
        Request::post("/api/v1/media")
            .header("authorization", format!("Bearer {editor}"))
            .header("content-type", content_type)
            .body(Body::from(bytes))
            .unwrap()
    };
    let response = app.request(upload(png.into_inner(), "image/png")).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    let media: Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(
        (media["width"].as_i64(), media["height"].as_i64()),
        (Some(640), Some(360))
    );
    let url = media["url"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://127.0.0.1:8080")
        .to_owned();
    assert_eq!(app.get(&url).await.status, StatusCode::OK);
    assert_eq!(
        app.request(upload(b"hello".to_vec(), "text/plain"))
            .await
            .status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    assert_eq!(
        app.request(upload(b"<svg>not a png</svg>".to_vec(), "image/png"))
            .await
            .status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
}

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let app = TestApp::new().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&response.body).unwrap();
    validate_with_openapi_spec_validator(&response.body);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    for path in [
        "/api/v1/articles",
        "/api/v1/articles/{id}",
        "/api/v1/articles/{id}/publish",
        "/api/v1/articles/{id}/unpublish",
        "/api/v1/media",
    ] {
        assert!(paths.iter().any(|p| *p == path), "{path} missing");
    }
    assert!(doc["paths"]["/api/v1/articles/{id}"]["patch"]["responses"]["412"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
    // Every schema reference resolves: the document is generated from the handlers'
    // types, so a renamed or missing type shows up here.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let text = doc.to_string();
    let mut refs = 0;
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(schemas.contains_key(name), "dangling $ref to {name}");
        refs += 1;
    }
    assert!(refs >= 10, "only {refs} schema references");
    let article = &schemas["Article"]["properties"];
    for field in [
        "id",
        "revision",
        "status",
        "headline",
        "preview_url",
        "corrections",
    ] {
        assert!(article[field].is_object(), "Article.{field} undocumented");
    }
    let input = &schemas["ArticleInput"]["properties"];
    for field in [
        "headline",
        "section",
        "lead_image",
        "update_kind",
        "correction_note",
    ] {
        assert!(
            input[field].is_object(),
            "ArticleInput.{field} undocumented"
        );
    }
    let list = &doc["paths"]["/api/v1/articles"]["get"]["parameters"];
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["status", "section", "cursor", "limit"]);
}

/// Runs the reference validator (PyPI `openapi-spec-validator`, installed by `.ci/run`)
/// over the document; required when `KIOSQUE_REQUIRE_OPENAPI_VALIDATOR` is set.
fn validate_with_openapi_spec_validator(document: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openapi.json");
    std::fs::write(&path, document).unwrap();
    match std::process::Command::new("openapi-spec-validator")
        .arg(&path)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "openapi-spec-validator: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => assert!(
            std::env::var_os("KIOSQUE_REQUIRE_OPENAPI_VALIDATOR").is_none(),
            "openapi-spec-validator is required but cannot run: {e}"
        ),
    }
}
