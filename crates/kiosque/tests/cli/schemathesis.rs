//! The API does what its OpenAPI document says: schemathesis (PyPI, installed by
//! `.ci/run`) generates requests from `/api/v1/openapi.json` and checks every
//! answer against it (`--checks all`), with the exceptions the document cannot
//! express listed in `.ci/schemathesis.toml`. Required when
//! `KIOSQUE_REQUIRE_SCHEMATHESIS` is set.

use crate::server::Server;
use std::process::Command;

#[test]
fn the_api_does_what_its_openapi_document_says() {
    let st = std::env::var("KIOSQUE_SCHEMATHESIS").unwrap_or_else(|_| "st".to_owned());
    if Command::new(&st).arg("--version").output().is_err() {
        assert!(
            std::env::var_os("KIOSQUE_REQUIRE_SCHEMATHESIS").is_none(),
            "KIOSQUE_REQUIRE_SCHEMATHESIS is set but {st} cannot run"
        );
        eprintln!("skipped: schemathesis is not installed (pip install schemathesis)");
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let token = crate::search::editor_token(data.path());
    let server = Server::start(data.path(), &["--demo"]);
    let config =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.ci/schemathesis.toml");
    // Run from the temporary folder: schemathesis keeps a cache where it runs.
    let out = Command::new(&st)
        .current_dir(data.path())
        .arg("--no-color")
        .arg("--config-file")
        .arg(&config)
        .args([
            "run",
            &format!("http://127.0.0.1:{}/api/v1/openapi.json", server.port),
            "--checks",
            "all",
            "--header",
            &format!("Authorization: Bearer {token}"),
            "--max-examples",
            "30",
            "--seed",
            "20261202",
        ])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found failures:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
