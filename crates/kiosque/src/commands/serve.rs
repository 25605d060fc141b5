//! `kiosque serve`: migrates, optionally loads the demo, and serves the site until
//! Ctrl-C or SIGTERM, finishing in-flight requests and the job in hand; `kiosque
//! worker`: the job worker alone.

use crate::commands::open_stores;
use crate::config::{Config, redact_url};
use crate::demo;
use anyhow::Context;
use kiosque_app::signals::OwnSignals;
use kiosque_app::worker::Worker;
use kiosque_app::{App, AppCore, Clock, SharedSettings};
use kiosque_web::i18n::Catalogs;
use kiosque_web::{AppContext, AppState, PageCache, Templates, WebCaches};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Most pages kept in the page cache at once.
const PAGE_CACHE_CAPACITY: usize = 10_000;

pub async fn run(config: Config, load_demo: bool, with_worker: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    ensure_writable(&config.data_dir)?;
    let stores = open_stores(&config).await?;
    // With a read replica, public pages read from it, and this node follows the
    // changes there: it forgets a page once the replica can render the new one.
    let replica_stores = match &config.read_database_url {
        Some(url) => {
            anyhow::ensure!(
                stores.backend == "postgres",
                "a read replica needs a PostgreSQL primary (--database-url postgres://…)"
            );
            Some(
                kiosque_store::connect_replica(url, &stores)
                    .await
                    .with_context(|| format!("cannot open the read replica {}", redact_url(url)))?,
            )
        }
        None => None,
    };
    let blobs = config.open_media().await?;
    if load_demo {
        let loaded = demo::load(&stores, blobs.clone()).await?;
        if loaded > 0 {
            tracing::info!(articles = loaded, "demo content loaded");
        }
    }
    // Settings saved by an admin in the back office win over kiosque.toml.
    let site = kiosque_app::settings::saved_settings(&stores, &config.site).await?;
    let catalogs = Arc::new(Catalogs::load()?);
    let (site_url, site_locale) = (site.base_url.clone(), site.locale);
    let search = Arc::new(open_search(&config, site_locale)?);
    let caches = WebCaches::new(Arc::new(PageCache::new(
        Duration::from_secs(config.page_cache_seconds),
        PAGE_CACHE_CAPACITY,
    )));
    let app = App::new(AppCore {
        throttle: Arc::new(kiosque_app::throttle::Throttle::new(stores.clone())),
        presence: Arc::new(kiosque_app::presence::Presence::new(stores.clone())),
        stores,
        blobs,
        site: SharedSettings::new(site),
        clock: Clock::System,
        wire_rules: Arc::new(config.ingest.rules.clone()),
        search_wake: Arc::default(),
        worker_wake: Arc::default(),
        mailer: Arc::new(config.mailer()?),
        own_signals: Arc::new(if config.read_database_url.is_some() {
            OwnSignals::acted_on_when_read_back()
        } else {
            OwnSignals::default()
        }),
        purger: Arc::new(
            kiosque_app::purge::Purger::new(&config.purge_urls, &config.purge_key_urls)
                .map_err(anyhow::Error::msg)
                .context("invalid [cdn] purge setting")?,
        ),
        caches: caches.clone(),
        preview_lifetime: config.preview_lifetime,
        push_services: Arc::new(config.push_services.clone()),
        outbound: Arc::new(config.outbound.clone()),
        embeds: Arc::new(config.embeds.clone()),
    });
    let state = AppState::new(AppContext {
        app,
        templates: Arc::new(Templates::new(
            config.theme_dir.clone(),
            catalogs.clone(),
            site_locale,
        )),
        catalogs,
        caches,
        trusted_proxies: Arc::new(config.trusted_proxies.clone()),
        search: search.clone(),
        read_replica: replica_stores.as_ref().map(|r| r.meta.clone()),
    });
    // The VAPID keys of push alerts: made on the first start, the same on every node.
    if let Err(e) = kiosque_app::alerts::public_key(&state).await {
        tracing::warn!(error = %e, "cannot read or make the push alerts' keys");
    }
    if let Some(path) = kiosque_web::auth::ensure_setup_link(&state).await? {
        // The one place a secret is logged: the operator needs it, once, to get in.
        tracing::warn!(
            "no administrator yet: create the first one within an hour at {site_url}{path}"
        );
    }
    // SIGTERM or Ctrl-C: the worker stops claiming jobs at once, the server drains.
    let (stopping, stop) = tokio::sync::watch::channel(false);
    let worker = if with_worker {
        let worker = Worker {
            app: state.app.clone(),
            lease: config.job_lease,
        };
        // Jobs that came due while the server was down run before the first request.
        worker
            .run_due(kiosque_domain::clock::Clock::System.now())
            .await
            .context("running due jobs at start-up")?;
        Some(tokio::spawn(worker.run_until(stop.clone())))
    } else {
        None
    };
    let replica = replica_stores.map(|stores| {
        AppState::new(AppContext {
            app: state.app.with_stores(stores),
            ..(*state).clone()
        })
    });
    let reads = replica.clone().unwrap_or_else(|| state.clone());
    tokio::spawn(kiosque_app::nodes::follow(reads.app.clone()));
    let follower = kiosque_search::Follower::new(
        search,
        reads.stores.clone(),
        kiosque_search::FollowerOptions::for_backend(state.stores.backend),
    )
    .with_on_change({
        let state = state.clone();
        Arc::new(move |articles: &[kiosque_domain::ArticleId]| {
            state.forget_cached();
            // After this node forgot its own copies: a proxy refilled from here now
            // gets the new pages.
            if state.purger.is_enabled() && !articles.is_empty() {
                let (state, articles) = (state.clone(), articles.to_vec());
                tokio::spawn(async move {
                    state.purger.purge_articles(&state.stores, &articles).await;
                });
            }
        })
    });
    tokio::spawn(follower.run(state.search_wake.clone()));
    kiosque_app::wire::watch_folders(state.intake(), config.ingest.watch.clone())
        .context("cannot watch the ingest folders")?;
    kiosque_web::telemetry::install();
    let router = match config.metrics_listen {
        Some(address) => {
            let listener = tokio::net::TcpListener::bind(address)
                .await
                .with_context(|| format!("cannot listen on {address} for /metrics"))?;
            let metrics = kiosque_web::telemetry::metrics_router(state.clone());
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, metrics).await {
                    tracing::error!(error = %e, "the metrics listener stopped");
                }
            });
            kiosque_web::router_with_replica(state, replica)
        }
        None => kiosque_web::router_with_replica(state.clone(), replica)
            .merge(kiosque_web::telemetry::local_metrics_router(state)),
    };
    let app = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tracing::info!(
        url = %site_url,
        listen = %config.listen,
        database = %redact_url(&config.database_url),
        ready_in_ms = started.elapsed().as_millis() as u64,
        "Kiosque is serving"
    );
    // On SIGTERM: the worker claims nothing more and finishes the job in hand, giving
    // back the others; no new connection; requests in flight finish (for `drain` at
    // most: a client stuck mid-upload must not hold the node forever).
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("stopping: finishing the requests in flight");
        let _ = stopping.send(true);
    });
    let mut draining = stop.clone();
    let serving = axum::serve(listener, app).with_graceful_shutdown(async move {
        let _ = draining.wait_for(|s| *s).await;
    });
    let mut deadline = stop;
    tokio::select! {
        served = serving => served.context("server error")?,
        () = async {
            let _ = deadline.wait_for(|s| *s).await;
            tokio::time::sleep(config.drain).await;
        } => tracing::warn!(seconds = config.drain.as_secs(), "requests still running after the drain time: stopping anyway"),
    }
    if let Some(worker) = worker {
        let _ = worker.await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// `kiosque worker`: runs jobs until Ctrl-C or SIGTERM, serving nothing.
pub async fn run_worker(config: Config) -> anyhow::Result<()> {
    let stores = open_stores(&config).await?;
    let site = kiosque_app::settings::saved_settings(&stores, &config.site).await?;
    let worker = Worker {
        // Nothing rendered here; serving nodes learn of publications through the
        // database (`kiosque_app::signals`).
        app: {
            let app = App::basic(stores, config.open_media().await?, site, config.mailer()?);
            App::new(kiosque_app::AppCore {
                push_services: Arc::new(config.push_services.clone()),
                outbound: Arc::new(config.outbound.clone()),
                embeds: Arc::new(config.embeds.clone()),
                ..app.core().clone()
            })
        },
        lease: config.job_lease,
    };
    let (stop_worker, stop) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(worker.run_until(stop));
    tracing::info!(
        database = %redact_url(&config.database_url),
        lease_seconds = config.job_lease.num_seconds(),
        "Kiosque worker is running jobs"
    );
    shutdown_signal().await;
    let _ = stop_worker.send(true);
    running.await.context("job worker")?;
    tracing::info!("stopped");
    Ok(())
}

/// Refuses to start on a data directory it cannot write to (a read-only mount, a
/// wrong owner) with the cause in plain words, rather than failing later on the
/// first save or in the search index.
fn ensure_writable(dir: &std::path::Path) -> anyhow::Result<()> {
    let probe = dir.join(".kiosque-write-probe");
    let written = std::fs::write(&probe, b"").and_then(|()| std::fs::remove_file(&probe));
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => anyhow::bail!(
            "the data directory {} is on a read-only file system: Kiosque needs to write its database, media and search index there",
            dir.display()
        ),
        Err(e) => Err(e).with_context(|| {
            format!(
                "cannot write in the data directory {} (Kiosque keeps its database, media and search index there)",
                dir.display()
            )
        }),
    }
}

/// This node's search index, under the data directory.
pub fn open_search(
    config: &Config,
    locale: kiosque_domain::Locale,
) -> anyhow::Result<kiosque_search::SearchIndex> {
    let dir = config.search_dir();
    kiosque_search::SearchIndex::open(&dir, locale).with_context(|| {
        format!(
            "cannot open the search index in {} (is another Kiosque using this data directory?)",
            dir.display()
        )
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
