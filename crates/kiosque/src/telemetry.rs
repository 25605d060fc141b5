//! Logging to stderr, filtered by `--log` / `KIOSQUE_LOG` (`RUST_LOG` syntax), as
//! text or as one JSON object a line (`--log-format json`), each line carrying the
//! spans it was written in (a request's id, method and path).

use tracing_subscriber::EnvFilter;

pub fn init(filter: &str, json: bool) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    if json {
        builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init();
    } else {
        builder.init();
    }
}
