//! Moving a newsroom in: WordPress and Ghost exports imported as articles, static
//! pages, sections, contributors, pictures and comments, with every old address kept
//! as a redirect. One use case for every entrance (command line, back office).
//!
//! - Streams WordPress files of any size: a first pass reads the channel (authors,
//!   categories, tags, attachments), a second the items, one at a time.
//! - Idempotent and resumable: every item is keyed on its source (WordPress GUID,
//!   Ghost id) with a fingerprint of its content; a second run changes nothing, an
//!   interrupted one carries on. Each item is written atomically with its comments
//!   and redirects (see `ImportStore::import_item`).
//! - Says what it did with every item ([`Line`]) and sums it up ([`Summary`]).
//! - Pictures come from `--media-dir`; the network is used only with `fetch_media`,
//!   from the export's own hosts, never a private address.

use crate::App;
use crate::error::{Error, Result};
use crate::policy;
use crate::staff::By;
use kiosque_domain::article::{ArticleStatus, NewArticle, NewLeadImage};
use kiosque_domain::media::Media;
use kiosque_domain::page::{NewPage, PageStatus, page_path};
use kiosque_domain::people::{ContributorKind, NewContributor};
use kiosque_domain::redirect::{NewRedirect, RedirectStatus, RedirectTarget, redirect_key};
use kiosque_domain::secret::digest_hex;
use kiosque_domain::section::NewSection;
use kiosque_domain::store::{
    ImportContent, ImportOutcome, ImportWrite, ImportedComment, ImportedSource,
};
use kiosque_domain::{ContributorId, SectionId, Slug, StoreError};
use kiosque_ingest::import::body::{self, Rewrite};
use kiosque_ingest::import::wordpress::{WordPressExport, WpEntry, percent_decode};
use kiosque_ingest::import::{
    Attachment, Author, ImportError, ImportItem, ItemKind, ItemStatus, Skipped, System, Term,
    ghost, old_path,
};
use kiosque_media::{ImageMeta, MediaLibrary};
use std::collections::HashMap;
use std::fmt;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Largest picture file read from the media folder or the network.
pub const MAX_PICTURE_BYTES: u64 = 40 * 1024 * 1024;
/// Items written per transaction (each in a savepoint of its own).
const BATCH: usize = 64;
/// The section of items the old site did not file anywhere.
pub const DEFAULT_SECTION: (&str, &str) = ("non-classe", "Non classé");

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The old site's `wp-content/uploads` (or Ghost's `content/images`), copied here.
    pub media_dir: Option<PathBuf>,
    /// Reads everything and says what would be done, writing nothing.
    pub dry_run: bool,
    /// Fetches pictures missing from `media_dir` from the old site itself.
    pub fetch_media: bool,
}

/// What happened to one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    Skipped(String),
    Failed(String),
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// `article`, `page`, `picture`, `section`, `author`, `item`, `file`.
    pub kind: &'static str,
    pub title: String,
    pub outcome: Outcome,
    /// The new address, where there is one.
    pub location: Option<String>,
    /// What was dropped or changed on the way.
    pub notes: Vec<String>,
    pub dry_run: bool,
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let would = if self.dry_run { "would be " } else { "" };
        let (word, reason) = match &self.outcome {
            Outcome::Created => ("created", None),
            Outcome::Updated => ("updated", None),
            Outcome::Unchanged => ("unchanged", None),
            Outcome::Skipped(r) => ("skipped", Some(r)),
            Outcome::Failed(r) => ("FAILED", Some(r)),
        };
        let would = if matches!(self.outcome, Outcome::Failed(_) | Outcome::Unchanged) {
            ""
        } else {
            would
        };
        write!(f, "{would}{word} {} «{}»", self.kind, self.title)?;
        if let Some(location) = &self.location {
            write!(f, " → {location}")?;
        }
        if let Some(reason) = reason {
            write!(f, ": {reason}")?;
        }
        if !self.notes.is_empty() {
            write!(f, " ({})", self.notes.join("; "))?;
        }
        Ok(())
    }
}

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: u64,
    pub failed: u64,
    pub articles: u64,
    pub pages: u64,
    pub pictures: u64,
    pub comments: u64,
    pub redirects: u64,
    pub dry_run: bool,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{} created, {} updated, {} unchanged, {} skipped, {} failed ({} articles, {} pages, {} pictures, {} comments, {} old addresses)",
            if self.dry_run {
                "dry run, nothing written: "
            } else {
                ""
            },
            self.created,
            self.updated,
            self.unchanged,
            self.skipped,
            self.failed,
            self.articles,
            self.pages,
            self.pictures,
            self.comments,
            self.redirects
        )
    }
}

/// Where the report goes: the terminal, the back office's progress page.
pub trait Report: Send + Sync {
    fn line(&mut self, line: &Line);
    /// Bytes of the file read so far, of `total`.
    fn progress(&mut self, _read: u64, _total: u64) {}
}

impl<F: FnMut(&Line) + Send + Sync> Report for F {
    fn line(&mut self, line: &Line) {
        self(line)
    }
}

fn authorize(by: By<'_>) -> Result<()> {
    match by {
        By::Staff(actor) => policy::import(actor),
        By::Operator => Ok(()),
    }
}

fn refused(e: ImportError) -> Error {
    Error::invalid("file", "admin-error-import-file", e.to_string())
}

/// Imports a WordPress export (WXR 1.0–1.2).
pub async fn wordpress(
    app: &App,
    by: By<'_>,
    file: &Path,
    options: &Options,
    report: &mut dyn Report,
) -> Result<Summary> {
    authorize(by)?;
    let total = std::fs::metadata(file)
        .map_err(|e| Error::invalid("file", "admin-error-import-file", e.to_string()))?
        .len();
    // First pass: the channel (authors, terms) and the attachments, so that items
    // find their pictures wherever they are in the file. A malformed file is refused
    // here, before anything is written.
    let path = file.to_owned();
    let head = tokio::task::spawn_blocking(move || scan_wordpress(&path))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(refused)?;
    let mut run = Run::new(
        app,
        System::WordPress,
        options,
        report,
        head.hosts.clone(),
        by,
    );
    run.report.progress(0, total);
    for author in &head.authors {
        run.author(author).await?;
    }
    run.categories(&head.categories).await?;
    for tag in &head.tags {
        run.tag(tag).await?;
    }
    for attachment in &head.attachments {
        run.attachment(attachment).await?;
    }
    // Second pass: the items, streamed through a small channel (bounded memory).
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(
        std::result::Result<(WpEntry, Option<Converted>), ImportError>,
        u64,
    )>(64);
    let path = file.to_owned();
    // Bodies are converted and rendered on this blocking thread, while the writer
    // stores the items before them: both cores work.
    let snapshot = run.snapshot();
    let reader = tokio::task::spawn_blocking(move || {
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) => {
                let _ = tx.blocking_send((
                    Err(ImportError::Malformed {
                        position: 0,
                        message: e.to_string(),
                    }),
                    0,
                ));
                return;
            }
        };
        let mut export = WordPressExport::new(BufReader::with_capacity(256 * 1024, file));
        loop {
            match export.next_entry() {
                Ok(Some(WpEntry::Item(item))) => {
                    let converted = snapshot.convert(&item.html);
                    let entry = (WpEntry::Item(item), converted);
                    if tx.blocking_send((Ok(entry), export.position())).is_err() {
                        return;
                    }
                }
                Ok(Some(entry @ WpEntry::Skipped(_))) => {
                    if tx
                        .blocking_send((Ok((entry, None)), export.position()))
                        .is_err()
                    {
                        return;
                    }
                }
                Ok(Some(_)) => {}
                Ok(None) => return,
                Err(e) => {
                    let _ = tx.blocking_send((Err(e), export.position()));
                    return;
                }
            }
        }
    });
    while let Some((entry, position)) = rx.recv().await {
        match entry {
            Ok((WpEntry::Item(item), converted)) => run.item(*item, converted).await?,
            Ok((WpEntry::Skipped(skipped), _)) => run.skipped("item", &skipped),
            Ok(_) => {}
            Err(e) => {
                // The first pass read the whole file: it changed since.
                run.line(
                    "file",
                    file.display().to_string(),
                    Outcome::Failed(e.to_string()),
                    None,
                    Vec::new(),
                );
            }
        }
        run.report.progress(position, total);
    }
    reader.await.map_err(|e| Error::Internal(e.to_string()))?;
    run.finish().await
}

/// Imports a Ghost export (JSON, Ghost 1 to 5).
pub async fn ghost(
    app: &App,
    by: By<'_>,
    file: &Path,
    options: &Options,
    report: &mut dyn Report,
) -> Result<Summary> {
    authorize(by)?;
    let size = std::fs::metadata(file)
        .map_err(|e| Error::invalid("file", "admin-error-import-file", e.to_string()))?
        .len();
    if size > ghost::MAX_GHOST_BYTES {
        return Err(refused(ImportError::TooLarge(ghost::MAX_GHOST_BYTES)));
    }
    let path = file.to_owned();
    let export = tokio::task::spawn_blocking(move || {
        let bytes = std::fs::read(&path).map_err(|e| ImportError::Malformed {
            position: 0,
            message: e.to_string(),
        })?;
        ghost::read(&bytes)
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
    .map_err(refused)?;
    let mut run = Run::new(app, System::Ghost, options, report, Vec::new(), by);
    for author in &export.authors {
        run.author(author).await?;
    }
    for tag in &export.tags {
        run.tag(tag).await?;
    }
    for skipped in &export.skipped {
        run.skipped("item", skipped);
    }
    let total = export.items.len() as u64;
    for (i, item) in export.items.into_iter().enumerate() {
        run.item(item, None).await?;
        run.report.progress(i as u64 + 1, total);
    }
    run.finish().await
}

/// What the first pass of a WordPress file keeps.
#[derive(Debug, Default)]
struct Head {
    hosts: Vec<String>,
    authors: Vec<Author>,
    categories: Vec<Term>,
    tags: Vec<Term>,
    attachments: Vec<Attachment>,
}

fn scan_wordpress(path: &Path) -> std::result::Result<Head, ImportError> {
    let file = std::fs::File::open(path).map_err(|e| ImportError::Malformed {
        position: 0,
        message: e.to_string(),
    })?;
    let mut export = WordPressExport::new(BufReader::with_capacity(256 * 1024, file));
    let mut head = Head::default();
    while let Some(entry) = export.next_entry()? {
        match entry {
            WpEntry::Author(a) => head.authors.push(a),
            WpEntry::Category(c) => {
                if !head.categories.iter().any(|k| k.slug == c.slug) {
                    head.categories.push(c);
                }
            }
            WpEntry::Tag(t) => {
                if !head.tags.iter().any(|k| k.slug == t.slug) {
                    head.tags.push(t);
                }
            }
            WpEntry::Attachment(a) => head.attachments.push(a),
            WpEntry::Item(_) | WpEntry::Skipped(_) => {}
        }
    }
    head.hosts = export.hosts;
    Ok(head)
}

struct Run<'a> {
    app: &'a App,
    system: System,
    options: &'a Options,
    report: &'a mut dyn Report,
    hosts: Vec<String>,
    summary: Summary,
    library: MediaLibrary,
    /// Author key → contributor.
    contributors: HashMap<String, ContributorId>,
    /// Category slug → section, with its path.
    sections: HashMap<String, (SectionId, String)>,
    section_paths: HashMap<SectionId, String>,
    default_section: Option<(SectionId, String)>,
    /// WordPress attachment id → its picture.
    attachments: HashMap<String, (Media, Attachment)>,
    /// Path under the uploads folder → the picture made from it (`None`: missing).
    pictures: HashMap<String, Option<Media>>,
    /// May the network be used for pictures (command line only)?
    may_fetch: bool,
    /// Items prepared and waiting for the next batch.
    pending: Vec<Pending>,
}

/// An item ready to be written, with what its report line needs.
struct Pending {
    kind: &'static str,
    title: String,
    item_kind: ItemKind,
    notes: Vec<String>,
    write: ImportWrite,
}

/// A body in Markdown, rendered, with what was dropped on the way.
struct Converted {
    markdown: String,
    notes: Vec<String>,
    body: kiosque_domain::body::RenderedBody,
}

impl Converted {
    /// CPU-bound: on a blocking thread.
    fn new(html: &str, rewrite: &dyn Rewrite) -> Self {
        let (markdown, notes) = body::to_markdown(html, rewrite);
        let body = kiosque_domain::body::render_body(&markdown);
        Self {
            markdown,
            notes,
            body,
        }
    }
}

/// What the reader thread knows to convert bodies without the database.
struct Snapshot {
    system: System,
    hosts: Vec<String>,
    /// Path under the uploads folder → the picture's address here.
    pictures: HashMap<String, String>,
    /// No media folder and no network: pictures not imported yet are dropped.
    drop_unknown: bool,
}

impl Snapshot {
    /// The body converted, or `None` when a picture must first be looked for in the
    /// media folder (the writer then does it).
    fn convert(&self, html: &str) -> Option<Converted> {
        let mut pictures = HashMap::new();
        for src in image_sources(html) {
            let new = match uploads_path(self.system, &self.hosts, &src) {
                None => None,
                Some(relative) => match self
                    .pictures
                    .get(&relative)
                    .or_else(|| self.pictures.get(&original_size(&relative)))
                {
                    Some(url) => Some(url.clone()),
                    None if self.drop_unknown => None,
                    None => return None,
                },
            };
            pictures.insert(src, new);
        }
        let rewrite = Addresses {
            pictures,
            hosts: self.hosts.clone(),
        };
        Some(Converted::new(html, &rewrite))
    }
}

impl<'a> Run<'a> {
    fn new(
        app: &'a App,
        system: System,
        options: &'a Options,
        report: &'a mut dyn Report,
        hosts: Vec<String>,
        by: By<'_>,
    ) -> Self {
        Self {
            app,
            system,
            options,
            report,
            hosts,
            summary: Summary {
                dry_run: options.dry_run,
                ..Summary::default()
            },
            library: MediaLibrary::new(app.blobs.clone(), app.stores.media.clone()),
            contributors: HashMap::new(),
            sections: HashMap::new(),
            section_paths: HashMap::new(),
            default_section: None,
            attachments: HashMap::new(),
            pictures: HashMap::new(),
            may_fetch: options.fetch_media && matches!(by, By::Operator),
            pending: Vec::new(),
        }
    }

    async fn finish(mut self) -> Result<Summary> {
        self.flush().await?;
        if !self.options.dry_run && (self.summary.created > 0 || self.summary.updated > 0) {
            self.app.site_changed();
        }
        Ok(self.summary)
    }

    /// What the reader thread needs to convert bodies on its own: the pictures known
    /// so far and the old site's hosts.
    fn snapshot(&self) -> Arc<Snapshot> {
        Arc::new(Snapshot {
            system: self.system,
            hosts: self.hosts.clone(),
            pictures: self
                .pictures
                .iter()
                .filter_map(|(k, v)| v.as_ref().map(|m| (k.clone(), display_url(m))))
                .collect(),
            drop_unknown: self.options.media_dir.is_none() && !self.may_fetch,
        })
    }

    /// Writes the items waiting, in one transaction (each in a savepoint of its own),
    /// and reports each.
    async fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let writes: Vec<ImportWrite> = pending.iter().map(|p| p.write.clone()).collect();
        let results = match self
            .app
            .stores
            .imports
            .import_items(&writes, self.app.now())
            .await
        {
            Ok(results) => results,
            Err(StoreError::Unavailable(e)) => {
                for p in pending {
                    self.line(
                        p.kind,
                        p.title,
                        Outcome::Failed(e.to_string()),
                        None,
                        p.notes,
                    );
                }
                return Err(Error::Unavailable);
            }
            Err(e) => return Err(e.into()),
        };
        for (p, result) in pending.into_iter().zip(results) {
            match result {
                Ok((id, outcome)) => {
                    self.count(p.item_kind, &p.write);
                    let location = self.location(&p.write, id);
                    let outcome = match outcome {
                        ImportOutcome::Created => Outcome::Created,
                        ImportOutcome::Updated => Outcome::Updated,
                        ImportOutcome::Unchanged => Outcome::Unchanged,
                    };
                    self.line(p.kind, p.title, outcome, location, p.notes);
                }
                Err(e) => {
                    let error: Error = e.into();
                    self.line(
                        p.kind,
                        p.title,
                        Outcome::Failed(describe(&error)),
                        None,
                        p.notes,
                    );
                }
            }
        }
        Ok(())
    }

    fn line(
        &mut self,
        kind: &'static str,
        title: String,
        outcome: Outcome,
        location: Option<String>,
        notes: Vec<String>,
    ) {
        match &outcome {
            Outcome::Created => self.summary.created += 1,
            Outcome::Updated => self.summary.updated += 1,
            Outcome::Unchanged => self.summary.unchanged += 1,
            Outcome::Skipped(_) => self.summary.skipped += 1,
            Outcome::Failed(_) => self.summary.failed += 1,
        }
        let mut notes = notes;
        let mut seen = std::collections::HashSet::new();
        notes.retain(|n| seen.insert(n.clone()));
        let line = Line {
            kind,
            title,
            outcome,
            location,
            notes,
            dry_run: self.options.dry_run,
        };
        self.report.line(&line);
    }

    fn skipped(&mut self, kind: &'static str, skipped: &Skipped) {
        let title = if skipped.title.is_empty() {
            skipped.key.clone()
        } else {
            skipped.title.clone()
        };
        self.line(
            kind,
            title,
            Outcome::Skipped(skipped.reason.clone()),
            None,
            Vec::new(),
        );
    }

    fn system(&self) -> &'static str {
        self.system.as_str()
    }

    async fn source(&self, key: &str) -> Result<Option<ImportedSource>> {
        Ok(self.app.stores.imports.imported(self.system(), key).await?)
    }

    async fn record(&self, key: &str, kind: &str, target: i64) -> Result<()> {
        if self.options.dry_run {
            return Ok(());
        }
        self.app
            .stores
            .imports
            .record_imported(
                self.system(),
                key,
                &ImportedSource {
                    kind: kind.into(),
                    target_id: target,
                    fingerprint: String::new(),
                },
                self.app.now(),
            )
            .await?;
        Ok(())
    }

    async fn redirect(&mut self, old: &str, target: RedirectTarget) -> Result<()> {
        let Some(path) = redirect_key(old) else {
            return Ok(());
        };
        if self.options.dry_run || path == "/" {
            return Ok(());
        }
        // An address already taken (by hand, or by an earlier import) is kept.
        if self
            .app
            .stores
            .redirects
            .find_redirect(&path)
            .await?
            .is_some()
        {
            return Ok(());
        }
        self.app
            .stores
            .redirects
            .save_redirects(
                &[NewRedirect {
                    path,
                    prefix: false,
                    target,
                    status: RedirectStatus::Permanent,
                }],
                self.system(),
                self.app.now(),
            )
            .await?;
        self.summary.redirects += 1;
        Ok(())
    }

    /// An author of the old site as a contributor (found by slug, or created).
    async fn author(&mut self, author: &Author) -> Result<()> {
        let key = format!("author:{}", author.key);
        let Some(slug) = Slug::from_text(&author.name)
            .or_else(|| Slug::from_text(&author.key))
            .or_else(|| Slug::from_text("auteur"))
        else {
            return Ok(());
        };
        let existing = match self.source(&key).await? {
            Some(s) => Some(ContributorId(s.target_id)),
            None => match self
                .app
                .stores
                .people
                .contributor_by_slug(slug.as_str())
                .await
            {
                Ok(c) => Some(c.id),
                Err(StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
        };
        let (id, outcome) = match existing {
            Some(id) => (id, Outcome::Unchanged),
            None if self.options.dry_run => (ContributorId(0), Outcome::Created),
            None => {
                let created = self
                    .app
                    .stores
                    .people
                    .create_contributor(&NewContributor {
                        kind: ContributorKind::Person,
                        name: author.name.trim().chars().take(200).collect(),
                        slug: slug.clone(),
                        bio: body::plain_text(&author.bio),
                    })
                    .await?;
                (created.id, Outcome::Created)
            }
        };
        self.record(&key, "contributor", id.0).await?;
        self.contributors.insert(author.key.clone(), id);
        let profile = kiosque_domain::url::contributor_path(slug.as_str());
        self.redirect(
            &format!("/author/{}/", author.key),
            RedirectTarget::Url(profile.clone()),
        )
        .await?;
        self.line(
            "author",
            author.name.clone(),
            outcome,
            Some(profile),
            Vec::new(),
        );
        Ok(())
    }

    /// Categories as sections, parents first, keeping their nesting.
    async fn categories(&mut self, categories: &[Term]) -> Result<()> {
        // The site's sections, read once and kept current as categories are added.
        let mut sections = self.app.stores.taxonomy.sections().await?;
        let mut pending: Vec<&Term> = categories.iter().collect();
        // The old site's archive path of each category (`parent/child`).
        let mut wp_paths: HashMap<String, String> = HashMap::new();
        while !pending.is_empty() {
            let before = pending.len();
            let mut rest = Vec::new();
            for term in pending {
                let parent = term.parent.as_deref().filter(|p| *p != term.slug);
                match parent {
                    Some(p)
                        if categories.iter().any(|c| c.slug == p)
                            && !self.sections.contains_key(p) =>
                    {
                        rest.push(term)
                    }
                    _ => {
                        let parent = parent.and_then(|p| self.sections.get(p).cloned());
                        let wp_path = match term.parent.as_deref().and_then(|p| wp_paths.get(p)) {
                            Some(pp) => format!("{pp}/{}", term.slug),
                            None => term.slug.clone(),
                        };
                        wp_paths.insert(term.slug.clone(), wp_path.clone());
                        self.category(term, parent, &wp_path, &mut sections).await?;
                    }
                }
            }
            if rest.len() == before {
                // A cycle of parents: the rest go at the top.
                for term in rest {
                    self.category(term, None, &term.slug.clone(), &mut sections)
                        .await?;
                }
                break;
            }
            pending = rest;
        }
        Ok(())
    }

    async fn category(
        &mut self,
        term: &Term,
        parent: Option<(SectionId, String)>,
        wp_path: &str,
        sections: &mut Vec<kiosque_domain::Section>,
    ) -> Result<()> {
        let key = format!("category:{}", term.slug);
        let name = if term.name.trim().is_empty() {
            term.slug.clone()
        } else {
            term.name.trim().to_owned()
        };
        let Some(slug) =
            Slug::from_text(&percent_decode(&term.slug)).or_else(|| Slug::from_text(&name))
        else {
            self.line(
                "section",
                name,
                Outcome::Skipped("no usable slug".into()),
                None,
                Vec::new(),
            );
            return Ok(());
        };
        let path = match &parent {
            Some((_, p)) => format!("{p}/{slug}"),
            None => slug.to_string(),
        };
        let known = match self.source(&key).await? {
            Some(s) => sections.iter().find(|x| x.id.0 == s.target_id),
            None => None,
        }
        .or_else(|| sections.iter().find(|x| x.path == path));
        let reserved =
            kiosque_domain::page::RESERVED.contains(&path.split('/').next().unwrap_or_default());
        let (id, path, outcome) = match known {
            Some(s) => (s.id, s.path.clone(), Outcome::Unchanged),
            None if reserved => {
                self.line(
                    "section",
                    name,
                    Outcome::Skipped(format!("/{path}/ belongs to the site itself: its articles go to the default section")),
                    None,
                    Vec::new(),
                );
                return Ok(());
            }
            None if self.options.dry_run => (SectionId(0), path, Outcome::Created),
            None => {
                let created = self
                    .app
                    .stores
                    .taxonomy
                    .create_section(&NewSection {
                        parent_id: parent.as_ref().map(|(id, _)| *id),
                        slug,
                        name: name.chars().take(200).collect(),
                        description: body::plain_text(&term.description),
                        position: 0,
                    })
                    .await?;
                sections.push(created.clone());
                (created.id, created.path, Outcome::Created)
            }
        };
        self.record(&key, "section", id.0).await?;
        self.sections.insert(term.slug.clone(), (id, path.clone()));
        self.section_paths.insert(id, path.clone());
        if id.0 != 0 {
            self.redirect(
                &format!("/category/{wp_path}/"),
                RedirectTarget::Section(id),
            )
            .await?;
        }
        self.line(
            "section",
            name,
            outcome,
            Some(kiosque_domain::url::section_path(&path)),
            Vec::new(),
        );
        Ok(())
    }

    /// A tag's archive on the old site leads to its page here.
    async fn tag(&mut self, tag: &Term) -> Result<()> {
        let name = if tag.name.trim().is_empty() {
            &tag.slug
        } else {
            &tag.name
        };
        if let Some(slug) = Slug::from_text(name) {
            self.redirect(
                &format!("/tag/{}/", tag.slug),
                RedirectTarget::Url(kiosque_domain::url::tag_path(slug.as_str())),
            )
            .await?;
        }
        Ok(())
    }

    async fn default_section(&mut self) -> Result<(SectionId, String)> {
        if let Some(s) = &self.default_section {
            return Ok(s.clone());
        }
        let (slug, name) = DEFAULT_SECTION;
        let sections = self.app.stores.taxonomy.sections().await?;
        let section = match sections.into_iter().find(|s| s.path == slug) {
            Some(s) => (s.id, s.path),
            None if self.options.dry_run => (SectionId(0), slug.to_owned()),
            None => {
                let created = self
                    .app
                    .stores
                    .taxonomy
                    .create_section(&NewSection {
                        parent_id: None,
                        slug: Slug::parse(slug).map_err(|e| Error::Internal(e.to_string()))?,
                        name: name.into(),
                        description: String::new(),
                        position: 1000,
                    })
                    .await?;
                (created.id, created.path)
            }
        };
        self.section_paths.insert(section.0, section.1.clone());
        self.default_section = Some(section.clone());
        Ok(section)
    }

    /// A picture of the old site's library.
    async fn attachment(&mut self, attachment: &Attachment) -> Result<()> {
        let key = format!("attachment:{}", attachment.key);
        let title = if attachment.title.is_empty() {
            attachment.url.clone()
        } else {
            attachment.title.clone()
        };
        let relative = attachment
            .file
            .clone()
            .or_else(|| self.uploads_path(&attachment.url));
        if let Some(source) = self.source(&key).await? {
            let media = self
                .app
                .stores
                .media
                .media(kiosque_domain::MediaId(source.target_id))
                .await;
            if let Ok(media) = media {
                if let Some(rel) = &relative {
                    self.pictures.insert(rel.clone(), Some(media.clone()));
                }
                self.attachments
                    .insert(attachment.key.clone(), (media.clone(), attachment.clone()));
                self.line(
                    "picture",
                    title,
                    Outcome::Unchanged,
                    Some(media.url()),
                    Vec::new(),
                );
                return Ok(());
            }
        }
        if !attachment.mime.starts_with("image/") {
            self.line(
                "picture",
                title,
                Outcome::Skipped(format!("{} is not a picture", attachment.mime)),
                None,
                Vec::new(),
            );
            return Ok(());
        }
        let Some(relative) = relative else {
            self.line(
                "picture",
                title,
                Outcome::Skipped("its address is not in the old site's uploads".into()),
                None,
                Vec::new(),
            );
            return Ok(());
        };
        let alt = if attachment.alt.trim().is_empty() {
            attachment.title.clone()
        } else {
            attachment.alt.clone()
        };
        match self.picture_from(&relative, &attachment.url, &alt).await {
            Ok(Some(media)) => {
                self.record(&key, "media", media.id.0).await?;
                self.attachments
                    .insert(attachment.key.clone(), (media.clone(), attachment.clone()));
                self.summary.pictures += 1;
                let url = (!self.options.dry_run).then(|| media.url());
                self.line("picture", title, Outcome::Created, url, Vec::new());
            }
            Ok(None) => {}
            Err(reason) => {
                self.line("picture", title, Outcome::Skipped(reason), None, Vec::new());
            }
        }
        Ok(())
    }

    /// The path of an address under the old site's uploads folder.
    fn uploads_path(&self, url: &str) -> Option<String> {
        uploads_path(self.system, &self.hosts, url)
    }

    /// A picture from the media folder (or the network), added to the library once.
    /// `Ok(None)` when it was looked for before and is missing; `Err` says why not.
    async fn picture_from(
        &mut self,
        relative: &str,
        url: &str,
        alt: &str,
    ) -> std::result::Result<Option<Media>, String> {
        if let Some(known) = self.pictures.get(relative) {
            return Ok(known.clone());
        }
        let bytes = match self.read_picture(relative).await {
            Ok(bytes) => bytes,
            Err(reason) if self.may_fetch => match self.fetch(url).await {
                Ok(bytes) => bytes,
                Err(fetch) => {
                    self.pictures.insert(relative.to_owned(), None);
                    return Err(format!("{reason}; {fetch}"));
                }
            },
            Err(reason) => {
                self.pictures.insert(relative.to_owned(), None);
                return Err(reason);
            }
        };
        if self.options.dry_run {
            let media = placeholder_media(relative);
            self.pictures
                .insert(relative.to_owned(), Some(media.clone()));
            return Ok(Some(media));
        }
        let name = relative.rsplit('/').next().unwrap_or(relative).to_owned();
        let media = self
            .library
            .add_image(
                bytes,
                ImageMeta {
                    name,
                    alt: alt.chars().take(500).collect(),
                    credit: String::new(),
                    copyright: String::new(),
                },
            )
            .await
            .map_err(|e| format!("{relative}: {e}"))?;
        self.pictures
            .insert(relative.to_owned(), Some(media.clone()));
        Ok(Some(media))
    }

    async fn read_picture(&self, relative: &str) -> std::result::Result<Vec<u8>, String> {
        let Some(dir) = &self.options.media_dir else {
            return Err("no media folder given (--media-dir)".into());
        };
        if relative
            .split('/')
            .any(|part| part == ".." || part.is_empty() && relative.starts_with('/'))
            || relative.contains('\\')
            || relative.contains('\0')
        {
            return Err(format!("{relative}: not a path inside the media folder"));
        }
        let dir = dir.clone();
        let relative = relative.to_owned();
        tokio::task::spawn_blocking(move || {
            let root = dir
                .canonicalize()
                .map_err(|e| format!("the media folder {}: {e}", dir.display()))?;
            let path = root.join(&relative);
            let path = path
                .canonicalize()
                .map_err(|_| format!("{relative} is not in the media folder"))?;
            if !path.starts_with(&root) {
                return Err(format!("{relative}: not a path inside the media folder"));
            }
            let size = std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
            if size > MAX_PICTURE_BYTES {
                return Err(format!(
                    "{relative} is larger than {} MB",
                    MAX_PICTURE_BYTES / 1024 / 1024
                ));
            }
            std::fs::read(&path).map_err(|e| format!("{relative}: {e}"))
        })
        .await
        .map_err(|e| e.to_string())?
    }

    async fn fetch(&self, url: &str) -> std::result::Result<Vec<u8>, String> {
        fetch_picture(url, &self.hosts).await
    }

    /// The new address of a picture found in a body, importing it on first sight.
    async fn body_picture(&mut self, src: &str) -> Option<String> {
        let relative = self.uploads_path(src)?;
        let candidates = [relative.clone(), original_size(&relative)];
        for candidate in candidates.iter() {
            if let Some(Some(media)) = self.pictures.get(candidate) {
                return Some(display_url(media));
            }
        }
        for candidate in candidates {
            if let Ok(Some(media)) = self.picture_from(&candidate, src, "").await {
                self.summary.pictures += 1;
                return Some(display_url(&media));
            }
        }
        None
    }

    /// One article or page: unchanged, or prepared and queued for the next batch.
    async fn item(&mut self, item: ImportItem, converted: Option<Converted>) -> Result<()> {
        let kind = match item.kind {
            ItemKind::Article => "article",
            ItemKind::Page => "page",
        };
        let title = if item.title.trim().is_empty() {
            "(sans titre)".to_owned()
        } else {
            item.title.trim().to_owned()
        };
        let fingerprint = digest_hex(format!("{item:?}").as_bytes());
        let existing = self.source(&item.key).await?;
        if existing
            .as_ref()
            .is_some_and(|e| e.fingerprint == fingerprint)
        {
            self.line(kind, title, Outcome::Unchanged, None, Vec::new());
            return Ok(());
        }
        match self.prepare(&item, &title, fingerprint, converted).await {
            Ok((write, notes)) => {
                if self.options.dry_run {
                    let outcome = if existing.is_some() {
                        Outcome::Updated
                    } else {
                        Outcome::Created
                    };
                    self.count(item.kind, &write);
                    self.line(kind, title, outcome, None, notes);
                    return Ok(());
                }
                self.pending.push(Pending {
                    kind,
                    title,
                    item_kind: item.kind,
                    notes,
                    write,
                });
                if self.pending.len() >= BATCH {
                    self.flush().await?;
                }
            }
            Err(reason) => self.line(kind, title, Outcome::Failed(reason), None, item.notes),
        }
        Ok(())
    }

    fn count(&mut self, kind: ItemKind, write: &ImportWrite) {
        match kind {
            ItemKind::Article => self.summary.articles += 1,
            ItemKind::Page => self.summary.pages += 1,
        }
        self.summary.comments += write.comments.len() as u64;
        self.summary.redirects += write.old_paths.len() as u64;
    }

    fn location(&self, write: &ImportWrite, id: i64) -> Option<String> {
        match &write.content {
            ImportContent::Page(page) => Some(format!("/{}/", page.path)),
            ImportContent::Article { article, .. } => {
                let path = self.section_paths.get(&article.section_id)?;
                let slug = article.effective_slug().ok()?;
                Some(kiosque_domain::url::article_path(
                    path,
                    &slug,
                    kiosque_domain::ArticleId(id),
                ))
            }
        }
    }

    /// The item in Kiosque's terms, or why it cannot be.
    async fn prepare(
        &mut self,
        item: &ImportItem,
        title: &str,
        fingerprint: String,
        converted: Option<Converted>,
    ) -> std::result::Result<(ImportWrite, Vec<String>), String> {
        let mut notes = item.notes.clone();
        let converted = match converted {
            Some(c) => c,
            None => {
                // Pictures first (they may be imported now), then the body off the
                // runtime.
                let mut addresses = HashMap::new();
                for src in image_sources(&item.html) {
                    let new = self.body_picture(&src).await;
                    addresses.insert(src, new);
                }
                let rewrite = Addresses {
                    pictures: addresses,
                    hosts: self.hosts.clone(),
                };
                let html = item.html.clone();
                tokio::task::spawn_blocking(move || Converted::new(&html, &rewrite))
                    .await
                    .map_err(|e| e.to_string())?
            }
        };
        notes.extend(converted.notes);
        let markdown = converted.markdown;
        let rendered = converted.body;
        if markdown.len() > crate::articles::MAX_BODY_BYTES {
            return Err(format!(
                "the body is {} kB, more than the {} kB an article may have",
                markdown.len() / 1024,
                crate::articles::MAX_BODY_BYTES / 1024
            ));
        }
        let old_paths: Vec<String> = item
            .old_paths
            .iter()
            .filter_map(|p| redirect_key(p))
            .filter(|p| p != "/")
            .collect();
        let content = match item.kind {
            ItemKind::Page => {
                if !item.comments.is_empty() {
                    notes.push(format!(
                        "{} comments on a page not imported",
                        item.comments.len()
                    ));
                }
                let path = self.page_address(item).await?;
                ImportContent::Page(NewPage {
                    path,
                    title: title.chars().take(300).collect(),
                    description: item
                        .seo_description
                        .clone()
                        .or_else(|| (!item.standfirst.is_empty()).then(|| item.standfirst.clone()))
                        .map(|d| d.chars().take(300).collect()),
                    body_markdown: markdown,
                    status: if item.status == ItemStatus::Published {
                        PageStatus::Published
                    } else {
                        PageStatus::Draft
                    },
                    in_footer: false,
                    footer_position: 0,
                })
            }
            ItemKind::Article => {
                let (section, _) = match item
                    .categories
                    .iter()
                    .find_map(|c| self.sections.get(c).cloned())
                {
                    Some(s) => s,
                    None => self.default_section().await.map_err(|e| describe(&e))?,
                };
                if item.categories.len() > 1 {
                    notes.push(format!(
                        "filed in {} categories: the first is its section",
                        item.categories.len()
                    ));
                }
                let mut contributors = Vec::new();
                for author in &item.authors {
                    let id = match self.contributors.get(author) {
                        Some(id) => *id,
                        None => {
                            // An author named in an item only (dc:creator).
                            let a = Author {
                                key: author.clone(),
                                name: author.clone(),
                                email: String::new(),
                                bio: String::new(),
                            };
                            self.author(&a).await.map_err(|e| describe(&e))?;
                            match self.contributors.get(author) {
                                Some(id) => *id,
                                None => continue,
                            }
                        }
                    };
                    if id.0 != 0 && !contributors.contains(&id) {
                        contributors.push(id);
                    }
                }
                let lead_image = self.lead_image(item, title, &mut notes).await;
                let (status, published_at) = match (item.status, item.published_at) {
                    (ItemStatus::Published, Some(at)) => (ArticleStatus::Published, Some(at)),
                    (ItemStatus::Scheduled, Some(at)) => (ArticleStatus::Scheduled, Some(at)),
                    (ItemStatus::Published | ItemStatus::Scheduled, None) => {
                        notes.push("no publication date: imported as a draft".into());
                        (ArticleStatus::Draft, None)
                    }
                    (ItemStatus::Private, _) => {
                        notes.push(
                            "private on the old site: imported as an unpublished draft".into(),
                        );
                        (ArticleStatus::Draft, None)
                    }
                    (ItemStatus::Draft | ItemStatus::Review, _) => (ArticleStatus::Draft, None),
                };
                let slug = Slug::parse(&item.slug)
                    .ok()
                    .or_else(|| Slug::from_text(&item.slug))
                    .or_else(|| Slug::from_text(title))
                    .or_else(|| Slug::from_text("article"));
                let article = NewArticle {
                    status,
                    kind: kiosque_domain::ArticleKind::Standard,
                    slug,
                    kicker: None,
                    headline: title.chars().take(300).collect(),
                    standfirst: item.standfirst.chars().take(1000).collect(),
                    body_markdown: markdown,
                    section_id: section,
                    tags: item.tags.iter().take(50).cloned().collect(),
                    contributors,
                    agencies: Vec::new(),
                    lead_image,
                    language: self.app.site().locale.code().to_owned(),
                    seo_title: item.seo_title.clone(),
                    seo_description: item.seo_description.clone(),
                    comments_open: item.comments_open,
                    published_at,
                    updated_at: None,
                    created_by: None,
                    translation_of: None,
                };
                article.validate().map_err(|e| e.to_string())?;
                ImportContent::Article {
                    article: Box::new(article),
                    review_requested: item.status == ItemStatus::Review,
                }
            }
        };
        let comments = match item.kind {
            ItemKind::Article => item
                .comments
                .iter()
                .map(|c| ImportedComment {
                    key: c.key.clone(),
                    parent_key: c.parent.clone(),
                    author_name: c.author_name.chars().take(100).collect(),
                    author_email: c.author_email.chars().take(254).collect(),
                    body: c.body.chars().take(20_000).collect(),
                    approved: c.approved,
                    created_at: c.created_at,
                })
                .collect(),
            ItemKind::Page => Vec::new(),
        };
        Ok((
            ImportWrite {
                system: self.system().into(),
                key: item.key.clone(),
                fingerprint,
                content,
                body: rendered,
                comments,
                old_paths,
            },
            notes,
        ))
    }

    /// Where an imported page lives: its old address when it makes a page address,
    /// else its slug.
    async fn page_address(&self, item: &ImportItem) -> std::result::Result<String, String> {
        let from_link = item
            .old_paths
            .iter()
            .find(|p| !p.contains('?'))
            .and_then(|p| page_path(p).ok());
        let path = from_link
            .or_else(|| page_path(&item.slug).ok())
            .or_else(|| Slug::from_text(&item.slug).and_then(|s| page_path(s.as_str()).ok()))
            .or_else(|| Slug::from_text(&item.title).and_then(|s| page_path(s.as_str()).ok()))
            .ok_or_else(|| "no usable address for the page".to_owned())?;
        let ours = self.source(&item.key).await.map_err(|e| describe(&e))?;
        if let Some(page) = self
            .app
            .stores
            .pages
            .page_by_path(&path)
            .await
            .map_err(|e| e.to_string())?
            && ours.as_ref().is_none_or(|o| o.target_id != page.id.0)
        {
            return Err(format!("another page already lives at /{path}/"));
        }
        let sections = self
            .app
            .stores
            .taxonomy
            .sections()
            .await
            .map_err(|e| e.to_string())?;
        if sections.iter().any(|s| s.path == path) {
            return Err(format!("/{path}/ is a section's address"));
        }
        Ok(path)
    }

    async fn lead_image(
        &mut self,
        item: &ImportItem,
        title: &str,
        notes: &mut Vec<String>,
    ) -> Option<NewLeadImage> {
        let featured = item.featured.as_ref()?;
        let (media, alt, caption) = if let Some(id) = &featured.attachment {
            match self.attachments.get(id) {
                Some((media, attachment)) => (
                    media.clone(),
                    first_nonempty(&[&featured.alt, &attachment.alt, &attachment.title]),
                    first_nonempty(&[&featured.caption, &attachment.caption]),
                ),
                None => {
                    notes.push(format!("featured picture {id} not imported"));
                    return None;
                }
            }
        } else {
            let url = featured.url.as_deref()?;
            let Some(relative) = self.uploads_path(url) else {
                notes.push(format!("featured picture {url} is not on the old site"));
                return None;
            };
            match self.picture_from(&relative, url, &featured.alt).await {
                Ok(Some(media)) => (media, featured.alt.clone(), featured.caption.clone()),
                Ok(None) => {
                    notes.push(format!("featured picture {relative} not found"));
                    return None;
                }
                Err(reason) => {
                    notes.push(format!("featured picture not imported: {reason}"));
                    return None;
                }
            }
        };
        if media.id.0 == 0 {
            // A dry run's stand-in.
            return None;
        }
        let alt = if alt.trim().is_empty() {
            title.to_owned()
        } else {
            alt
        };
        Some(NewLeadImage {
            media_id: media.id,
            alt: alt.chars().take(500).collect(),
            caption: caption.chars().take(1000).collect(),
            credit: String::new(),
        })
    }
}

fn first_nonempty(values: &[&String]) -> String {
    values
        .iter()
        .find(|v| !v.trim().is_empty())
        .map(|v| v.trim().to_owned())
        .unwrap_or_default()
}

fn describe(error: &Error) -> String {
    match error {
        Error::Invalid(fields) => fields
            .iter()
            .map(|f| {
                if f.field.is_empty() {
                    f.message.clone()
                } else {
                    format!("{}: {}", f.field, f.message)
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// The path of an address under the old site's uploads folder (`2020/01/x.jpg`).
fn uploads_path(system: System, hosts: &[String], url: &str) -> Option<String> {
    let path = old_path(url, hosts)?;
    let path = path.split('?').next().unwrap_or_default();
    let rest = match system {
        System::WordPress => path.split_once("/wp-content/uploads/")?.1.to_owned(),
        System::Ghost => {
            let rest = path.split_once("/content/images/")?.1;
            // Ghost's resized copies: /content/images/size/w600/2020/01/x.jpg
            match rest.strip_prefix("size/") {
                Some(sized) => sized.split_once('/')?.1.to_owned(),
                None => rest.to_owned(),
            }
        }
    };
    let rest = percent_decode(&rest);
    (!rest.is_empty()).then_some(rest)
}

/// `photo-300x200.jpg` → `photo.jpg`; `photo-scaled.jpg` → `photo.jpg`.
fn original_size(relative: &str) -> String {
    let (stem, ext) = match relative.rsplit_once('.') {
        Some((s, e)) => (s, format!(".{e}")),
        None => (relative, String::new()),
    };
    if let Some(base) = stem.strip_suffix("-scaled") {
        return format!("{base}{ext}");
    }
    if let Some((base, size)) = stem.rsplit_once('-')
        && let Some((w, h)) = size.split_once('x')
        && !w.is_empty()
        && !h.is_empty()
        && w.chars().all(|c| c.is_ascii_digit())
        && h.chars().all(|c| c.is_ascii_digit())
    {
        return format!("{base}{ext}");
    }
    relative.to_owned()
}

/// The address a body shows a picture at: its 960 px copy when it has one.
fn display_url(media: &Media) -> String {
    media
        .renditions
        .iter()
        .find(|r| r.name == "medium")
        .map(|r| kiosque_domain::url::media_path(&r.storage_key))
        .unwrap_or_else(|| media.url())
}

fn placeholder_media(relative: &str) -> Media {
    Media {
        id: kiosque_domain::MediaId(0),
        storage_key: relative.to_owned(),
        mime: String::new(),
        width: 0,
        height: 0,
        byte_size: 0,
        alt: String::new(),
        credit: String::new(),
        copyright: String::new(),
        focal: Default::default(),
        created_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
        renditions: Vec::new(),
    }
}

/// `src` of every `<img>` in a body.
fn image_sources(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<img") {
        let start = from + at;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &html[start..end];
        let tag_lower = &lower[start..end];
        if let Some(i) = tag_lower.find("src=") {
            let rest = &tag[i + 4..];
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or_default(),
                _ => rest
                    .split(|c: char| c.is_whitespace())
                    .next()
                    .unwrap_or_default(),
            };
            let value = value.replace("&amp;", "&");
            if !value.is_empty() && !out.contains(&value) {
                out.push(value);
            }
        }
        from = end;
    }
    out
}

/// Picture addresses found beforehand, and the old site's hosts for links.
struct Addresses {
    pictures: HashMap<String, Option<String>>,
    hosts: Vec<String>,
}

impl Rewrite for Addresses {
    fn picture(&self, src: &str) -> Option<String> {
        self.pictures.get(src).cloned().flatten()
    }

    fn link(&self, href: &str) -> String {
        // A link into the old site becomes a path here, which redirects.
        match old_path(href, &self.hosts) {
            Some(path) if href.starts_with("http") || href.starts_with("//") => path,
            _ => href.to_owned(),
        }
    }
}

/// Fetches a picture from one of the old site's own hosts (`hosts`), over http(s),
/// never from an address on this machine or a private network.
pub async fn fetch_picture(url: &str, hosts: &[String]) -> std::result::Result<Vec<u8>, String> {
    let Some(host) = kiosque_ingest::import::host_of(url) else {
        return Err(format!("{url} is not an http(s) address"));
    };
    if !hosts.contains(&host) {
        return Err(format!("{host} is not the old site's host"));
    }
    let raw_host = url
        .split("://")
        .nth(1)
        .and_then(|r| r.split(['/', '?', '#']).next())
        .unwrap_or_default()
        .to_owned();
    let (name, port) = match raw_host.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) => {
            (h.to_owned(), p.parse().unwrap_or(80))
        }
        _ => (
            raw_host.clone(),
            if url.starts_with("https") { 443 } else { 80 },
        ),
    };
    let addresses: Vec<std::net::SocketAddr> = tokio::net::lookup_host((name.as_str(), port))
        .await
        .map_err(|e| format!("{name}: {e}"))?
        .collect();
    let Some(address) = addresses.iter().find(|a| is_public(a.ip())).copied() else {
        return Err(format!("{name} is not a public address"));
    };
    if addresses.iter().any(|a| !is_public(a.ip())) {
        return Err(format!("{name} resolves to a private address"));
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .resolve(&name, address)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .map_err(|e| e.to_string())?;
    let mut response = client.get(url).send().await.map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("{url}: {}", response.status()));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > MAX_PICTURE_BYTES {
            return Err(format!(
                "{url} is larger than {} MB",
                MAX_PICTURE_BYTES / 1024 / 1024
            ));
        }
    }
    Ok(bytes)
}

/// An address on the public internet (not loopback, private, link-local…).
pub fn is_public(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => {
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64
                || v4.octets()[0] >= 224)
        }
        std::net::IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(std::net::IpAddr::V4(v4));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sized_copies_lead_to_their_original() {
        assert_eq!(
            original_size("2020/01/photo-300x200.jpg"),
            "2020/01/photo.jpg"
        );
        assert_eq!(
            original_size("2020/01/photo-scaled.jpg"),
            "2020/01/photo.jpg"
        );
        assert_eq!(
            original_size("2020/01/photo-ete.jpg"),
            "2020/01/photo-ete.jpg"
        );
    }

    #[test]
    fn image_sources_are_found() {
        assert_eq!(
            image_sources("<p><IMG class=\"x\" SRC=\"/a.jpg\"> <img src='b.png' alt=x></p>"),
            vec!["/a.jpg".to_owned(), "b.png".to_owned()]
        );
    }

    #[test]
    fn only_public_addresses_are_fetched() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "169.254.169.254",
            "::1",
            "fd00::1",
            "100.64.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        assert!(is_public("93.184.216.34".parse().unwrap()));
    }

    #[tokio::test]
    async fn pictures_are_fetched_from_the_old_site_only() {
        let hosts = vec!["localhost".to_owned()];
        let refused = fetch_picture("http://elsewhere.example/x.jpg", &hosts).await;
        assert!(refused.unwrap_err().contains("not the old site"));
        let refused = fetch_picture("http://localhost:9/x.jpg", &hosts).await;
        assert!(refused.unwrap_err().contains("not a public address"));
    }
}
