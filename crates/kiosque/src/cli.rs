//! The command line. Every flag can also come from a `KIOSQUE_*` environment variable;
//! the data directory and database apply to every subcommand, so they all act on the
//! same site.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "kiosque",
    version,
    about = "Kiosque, the newsroom publishing platform: reader site, back office and wire ingest in one binary."
)]
pub struct Cli {
    /// Data directory: SQLite database, media files and the optional kiosque.toml.
    #[arg(
        long,
        env = "KIOSQUE_DATA",
        default_value = "kiosque-data",
        global = true
    )]
    pub data: PathBuf,

    /// Database URL: `sqlite:PATH` or `postgres://USER@HOST/DB`. Defaults to
    /// `sqlite:<data>/kiosque.db`.
    #[arg(long, env = "KIOSQUE_DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Log filter, e.g. `info` or `kiosque=debug,sqlx=warn`.
    #[arg(
        long,
        env = "KIOSQUE_LOG",
        default_value = "info,sqlx=warn",
        global = true
    )]
    pub log: String,

    /// Log lines as `text` (for people) or `json` (one object a line, with the
    /// request id, for a log collector).
    #[arg(
        long,
        env = "KIOSQUE_LOG_FORMAT",
        default_value = "text",
        value_parser = ["text", "json"],
        global = true
    )]
    pub log_format: String,

    #[command(subcommand)]
    pub command: Command,
}

/// What `kiosque import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A WordPress export (Tools › Export, WXR 1.0 to 1.2), streamed: any size.
    Wordpress(ImportArgs),
    /// A Ghost export (Settings › Labs › Export, Ghost 1 to 5).
    Ghost(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The export file.
    pub file: PathBuf,
    /// The old site's `wp-content/uploads` (or Ghost's `content/images`) copied here:
    /// pictures are taken from it.
    #[arg(long, value_name = "DIR")]
    pub media_dir: Option<PathBuf>,
    /// Read everything and report what would be done, writing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Fetch pictures missing from the media folder from the old site itself (its own
    /// public host only).
    #[arg(long)]
    pub fetch_media: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site (migrating the database first).
    Serve(ServeArgs),
    /// Run the job worker (scheduled publishing, queued mail) without serving HTTP,
    /// until Ctrl-C or SIGTERM; pairs with `serve --no-worker` on other nodes.
    Worker,
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Load the demo content (sections, contributors, articles, pictures) once;
    /// with `--generate`, add synthetic articles for load tests.
    Demo {
        /// Also generate synthetic articles (varied lengths, sections, tags, bylines,
        /// pictures and revisions) after the demo content.
        #[arg(long)]
        generate: bool,
        /// How many synthetic articles to add.
        #[arg(long, default_value_t = 10_000, requires = "generate")]
        articles: u32,
        /// How many synthetic comments to add (threaded, from generated readers whose
        /// password is "mot de passe de charge"); the newest article gets 10,000.
        #[arg(long, default_value_t = 0, requires = "generate")]
        comments: u32,
    },
    /// Configuration helpers.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Personal API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Ingest agency files (NewsML-G2, ninjs, NITF, IPTC 7901) or folders of them:
    /// one line per item, a summary, and a failing exit status if any file was refused.
    Ingest {
        /// Files or folders (read recursively).
        #[arg(required = true)]
        paths: Vec<std::path::PathBuf>,
    },
    /// Import another system's export (WordPress WXR or Ghost JSON) into this site's
    /// database: articles, static pages, sections, contributors, pictures, comments and
    /// a redirect for every old address. One line per item, a summary, and a failing
    /// exit status when anything failed. Safe to run again: unchanged items are left
    /// alone, an interrupted import carries on.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Rebuild the search index from the database. When a server holds this data
    /// directory's index, every running node is asked to rebuild its own instead.
    Reindex,
    /// Copy the database (one consistent snapshot, while the site runs) and the media
    /// files into a new folder. On PostgreSQL, says how to use pg_dump instead.
    Backup {
        /// The folder to create (or an empty one).
        out: PathBuf,
    },
    /// Bring a backup folder back into an empty data directory (nothing is
    /// overwritten); older backups are migrated, and the search index is rebuilt at start.
    Restore {
        /// The folder `kiosque backup` wrote.
        from: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, editor, moderator or journalist.
        #[arg(long)]
        role: String,
        /// Read the password from standard input (one line), never from the command line.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List staff accounts.
    List,
    /// Deactivate an account: its sessions and API tokens are revoked at once.
    Deactivate {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a personal API token for a user and print it (once).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "API")]
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "KIOSQUE_LISTEN")]
    pub listen: Option<SocketAddr>,

    /// Load the demo content on first start (never twice).
    #[arg(long, env = "KIOSQUE_DEMO")]
    pub demo: bool,

    /// Public base URL of the site, e.g. `https://www.example.org` (default: `http://` and the listen address).
    #[arg(long, env = "KIOSQUE_BASE_URL")]
    pub base_url: Option<String>,

    /// Folder of templates overriding the built-in ones.
    #[arg(long, env = "KIOSQUE_THEME")]
    pub theme: Option<PathBuf>,

    /// Seconds a rendered page is kept in memory for anonymous readers; 0 disables
    /// the cache [default: 10].
    #[arg(long, env = "KIOSQUE_PAGE_CACHE_SECONDS")]
    pub page_cache_seconds: Option<u64>,

    /// Reverse proxies (load balancer, CDN) whose X-Forwarded-For header is believed,
    /// comma-separated IP addresses.
    #[arg(long, env = "KIOSQUE_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// Serve without running jobs (a `kiosque worker`, or another node, runs them).
    #[arg(long, env = "KIOSQUE_NO_WORKER")]
    pub no_worker: bool,

    /// Serve Prometheus `/metrics` on this address only (an admin network); without
    /// it, `/metrics` on the main address answers loopback clients only.
    #[arg(long, env = "KIOSQUE_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    /// Seconds a stopping node (SIGTERM) waits for the requests in flight
    /// [default: 30]; keep it under the service manager's stop timeout.
    #[arg(long, env = "KIOSQUE_DRAIN_SECONDS")]
    pub drain_seconds: Option<u64>,

    /// A PostgreSQL read replica for pages readers see without a session; writes,
    /// sessions, the back office and the API stay on the primary.
    #[arg(long, env = "KIOSQUE_READ_DATABASE_URL")]
    pub read_database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print a documented example kiosque.toml.
    Example,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_apply_to_every_subcommand() {
        let cli = Cli::try_parse_from([
            "kiosque",
            "migrate",
            "--data",
            "/tmp/site",
            "--database-url",
            "postgres://x@y/z",
        ])
        .unwrap();
        assert_eq!(cli.data, PathBuf::from("/tmp/site"));
        assert_eq!(cli.database_url.as_deref(), Some("postgres://x@y/z"));
        let cli = Cli::try_parse_from(["kiosque", "serve", "--demo", "--listen", "0.0.0.0:9000"])
            .unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("expected serve")
        };
        assert!(args.demo);
        assert_eq!(args.listen, Some("0.0.0.0:9000".parse().unwrap()));
    }
}
