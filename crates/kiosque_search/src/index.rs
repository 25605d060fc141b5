//! The index itself: schema, writes, queries and highlighted snippets.

use crate::{ANALYZER, analyzer};
use chrono::{DateTime, Utc};
use kiosque_domain::{Article, ArticleId, ArticleStatus, Locale};
use serde::{Deserialize, Serialize};
use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc,
};

/// Bumped when the schema or the analysis changes: an index of another version is
/// rebuilt from the database.
const SCHEMA_VERSION: u32 = 2;
/// Memory the writer may buffer before it writes a segment.
const WRITER_MEMORY: usize = 32 * 1024 * 1024;
/// Characters of body text around the matches.
const SNIPPET_CHARS: usize = 220;
/// Bytes of a body searched for the excerpt.
const SNIPPET_SOURCE: usize = 6_000;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("the search index is in use by another process")]
    Locked,
    #[error("search index state: {0}")]
    State(String),
}

/// What the index keeps of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDoc {
    pub id: ArticleId,
    pub headline: String,
    /// Kicker and standfirst.
    pub standfirst: String,
    /// The body as plain text.
    pub body: String,
    pub tags: Vec<String>,
    /// Contributors and agencies.
    pub bylines: Vec<String>,
    /// The article's section path and every ancestor's ("monde", "monde/europe").
    pub sections: Vec<String>,
    pub published_at: DateTime<Utc>,
}

impl SearchDoc {
    /// The searchable form of a published article; `None` for any other state.
    pub fn of(article: &Article) -> Option<Self> {
        if article.status != ArticleStatus::Published {
            return None;
        }
        let published_at = article.published_at?;
        let path = &article.section.path;
        let sections = path
            .match_indices('/')
            .map(|(i, _)| path[..i].to_owned())
            .chain(std::iter::once(path.clone()))
            .collect();
        let standfirst = match &article.kicker {
            Some(kicker) => format!("{kicker}. {}", article.standfirst),
            None => article.standfirst.clone(),
        };
        Some(Self {
            id: article.id,
            headline: article.headline.clone(),
            standfirst,
            body: kiosque_domain::body::plain_text(&article.body_markdown),
            tags: article.tags.iter().map(|t| t.name.clone()).collect(),
            bylines: article
                .contributors
                .iter()
                .map(|c| c.name.clone())
                .chain(article.agencies.iter().map(|a| a.name.clone()))
                .collect(),
            sections,
            published_at,
        })
    }
}

/// A reader's query.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub text: String,
    /// A section path: the section and its subsections.
    pub section: Option<String>,
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub until: Option<DateTime<Utc>>,
    /// Nothing published after this is found (scheduled articles wait their time).
    pub now: DateTime<Utc>,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    /// Matching documents in the index (before the database's final check).
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// One result, with its headline and an excerpt as HTML: escaped text where the
/// matched words are wrapped in `<mark>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: ArticleId,
    pub score: f32,
    pub headline_html: String,
    pub snippet_html: String,
}

/// Saved with each commit: where the index stands in the change feed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Payload {
    schema: u32,
    locale: Locale,
    /// The last change-feed entry applied.
    seq: i64,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    headline: Field,
    standfirst: Field,
    body: Field,
    tags: Field,
    bylines: Field,
    section: Field,
    published: Field,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    locale: Locale,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let analysed = TextFieldIndexing::default()
        .set_tokenizer(ANALYZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let stored_text = TextOptions::default()
        .set_indexing_options(analysed.clone())
        .set_stored();
    let text = TextOptions::default().set_indexing_options(analysed);
    let date = DateOptions::from(INDEXED)
        .set_fast()
        .set_precision(DateTimePrecision::Seconds);
    let fields = Fields {
        id: builder.add_u64_field("id", INDEXED | STORED),
        headline: builder.add_text_field("headline", stored_text.clone()),
        standfirst: builder.add_text_field("standfirst", stored_text.clone()),
        body: builder.add_text_field("body", stored_text),
        tags: builder.add_text_field("tags", text.clone()),
        bylines: builder.add_text_field("bylines", text),
        section: builder.add_text_field("section", STRING),
        published: builder.add_date_field("published", date),
    };
    (builder.build(), fields)
}

/// Seconds since 1970 as tantivy keeps them (in nanoseconds: ±292 years), clamped so
/// that a date far outside that range (one an API client may write) never overflows.
fn tantivy_date(t: DateTime<Utc>) -> tantivy::DateTime {
    const LIMIT: i64 = i64::MAX / 1_000_000_000 - 1;
    tantivy::DateTime::from_timestamp_secs(t.timestamp().clamp(-LIMIT, LIMIT))
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing. An index made by another
    /// schema version or for another language is emptied (its cursor then says it
    /// needs a rebuild).
    pub fn open(dir: &Path, locale: Locale) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| SearchError::State(format!("cannot create {}: {e}", dir.display())))?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)?;
        let index = Index::open_or_create(directory, schema.clone());
        let index = match index {
            Ok(index) if index.schema() == schema => index,
            // Another schema: start over (the follower rebuilds it).
            _ => {
                clear_dir(dir)?;
                Index::create_in_dir(dir, schema)?
            }
        };
        Self::from_index(index, fields, locale)
    }

    /// An index in memory, for tests and one-off tools.
    pub fn in_memory(locale: Locale) -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        Self::from_index(Index::create_in_ram(schema), fields, locale)
    }

    fn from_index(index: Index, fields: Fields, locale: Locale) -> Result<Self, SearchError> {
        index.tokenizers().register(ANALYZER, analyzer(locale));
        let writer = match index.writer_with_num_threads(1, WRITER_MEMORY) {
            Ok(w) => w,
            Err(tantivy::TantivyError::LockFailure(..)) => return Err(SearchError::Locked),
            Err(e) => return Err(e.into()),
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let this = Self {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            locale,
        };
        if this.payload()?.is_some_and(|p| p.locale != locale) {
            // The language changed: the analysed terms are worthless.
            let mut writer = this.lock_writer()?;
            writer.delete_all_documents()?;
            writer.commit()?;
            drop(writer);
            this.reader.reload()?;
        }
        Ok(this)
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    fn lock_writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>, SearchError> {
        self.writer
            .lock()
            .map_err(|_| SearchError::State("a writer panicked".into()))
    }

    fn payload(&self) -> Result<Option<Payload>, SearchError> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
            .filter(|p| p.schema == SCHEMA_VERSION && p.locale == self.locale))
    }

    /// The last change-feed entry this index has applied; `None` for an index that
    /// has never been built (or was made by another version) and needs a rebuild.
    pub fn cursor(&self) -> Result<Option<i64>, SearchError> {
        Ok(self.payload()?.map(|p| p.seq))
    }

    /// How many articles the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Replaces the listed articles (`upserts`), removes others (`removals`), and
    /// records `seq` as applied, in one commit visible to searches on return.
    /// Returns how many public articles changed: the upserts and the removals of
    /// articles the index held (a draft's autosave changes nothing readers see).
    pub fn apply(
        &self,
        upserts: &[SearchDoc],
        removals: &[ArticleId],
        seq: i64,
    ) -> Result<usize, SearchError> {
        let searcher = self.reader.searcher();
        let mut removed = 0;
        for id in removals {
            let term = Term::from_field_u64(self.fields.id, id_value(*id));
            if searcher.doc_freq(&term)? > 0 {
                removed += 1;
            }
        }
        let mut writer = self.lock_writer()?;
        for id in removals.iter().chain(upserts.iter().map(|d| &d.id)) {
            writer.delete_term(Term::from_field_u64(self.fields.id, id_value(*id)));
        }
        for d in upserts {
            writer.add_document(self.document(d))?;
        }
        self.commit(&mut writer, seq)?;
        Ok(upserts.len() + removed)
    }

    /// Starts a rebuild: every document goes at the next commit. Searches see the
    /// old contents until then.
    pub fn clear(&self) -> Result<(), SearchError> {
        self.lock_writer()?.delete_all_documents()?;
        Ok(())
    }

    /// Adds documents (during a rebuild) without committing.
    pub fn add(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        let writer = self.lock_writer()?;
        for d in docs {
            writer.add_document(self.document(d))?;
        }
        Ok(())
    }

    /// Commits what was added since the last commit, recording `seq` as applied.
    pub fn commit_at(&self, seq: i64) -> Result<(), SearchError> {
        let mut writer = self.lock_writer()?;
        self.commit(&mut writer, seq)
    }

    fn commit(&self, writer: &mut IndexWriter, seq: i64) -> Result<(), SearchError> {
        let payload = Payload {
            schema: SCHEMA_VERSION,
            locale: self.locale,
            seq,
        };
        let payload =
            serde_json::to_string(&payload).map_err(|e| SearchError::State(e.to_string()))?;
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&payload);
        commit.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    fn document(&self, d: &SearchDoc) -> TantivyDocument {
        let f = self.fields;
        let mut document = doc!(
            f.id => id_value(d.id),
            f.headline => d.headline.as_str(),
            f.standfirst => d.standfirst.as_str(),
            f.body => d.body.as_str(),
            f.published => tantivy_date(d.published_at),
        );
        for tag in &d.tags {
            document.add_text(f.tags, tag);
        }
        for byline in &d.bylines {
            document.add_text(f.bylines, byline);
        }
        for section in &d.sections {
            document.add_text(f.section, section);
        }
        document
    }

    /// Runs a reader's query: words (all must match), "quoted phrases", filters by
    /// section and date. Relevance (BM25, headline and tags weighing more) is boosted
    /// for recent articles. Odd syntax is read leniently, never an error.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let text = request.text.trim();
        if text.is_empty() || request.limit == 0 {
            return Ok(SearchResults::default());
        }
        let f = self.fields;
        let mut parser = QueryParser::for_index(
            &self.index,
            vec![f.headline, f.standfirst, f.body, f.tags, f.bylines],
        );
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.headline, 3.0);
        parser.set_field_boost(f.tags, 2.0);
        parser.set_field_boost(f.bylines, 2.0);
        parser.set_field_boost(f.standfirst, 1.5);
        // Reader input, not query syntax: field names and ranges are not theirs to use.
        let (words, _errors) = parser.parse_query_lenient(&reader_syntax(text));

        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, words.box_clone())];
        if let Some(section) = request.section.as_deref().filter(|s| !s.is_empty()) {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.section, section),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let lower = request
            .from
            .map(|t| Bound::Included(Term::from_field_date(f.published, tantivy_date(t))))
            .unwrap_or(Bound::Unbounded);
        let until = request.until.map_or(request.now, |u| u.min(request.now));
        let upper = Bound::Included(Term::from_field_date(f.published, tantivy_date(until)));
        clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        let query = BooleanQuery::new(clauses);

        let now = request.now.timestamp();
        let top = TopDocs::with_limit(request.limit)
            .and_offset(request.offset)
            .tweak_score(move |segment: &tantivy::SegmentReader| {
                let published = segment
                    .fast_fields()
                    .date("published")
                    .ok()
                    .map(|c| c.first_or_default_col(tantivy::DateTime::from_timestamp_secs(0)));
                move |doc: tantivy::DocId, score: tantivy::Score| {
                    let age_days = published.as_ref().map_or(365.0, |p| {
                        (now - p.get_val(doc).into_timestamp_secs()).max(0) as f32 / 86_400.0
                    });
                    // A day-old article scores about 1.9 times a year-old one.
                    score * (1.0 + 1.0 / (1.0 + age_days / 7.0))
                }
            });
        let searcher = self.reader.searcher();
        let (total, found): (usize, Vec<(tantivy::Score, DocAddress)>) =
            searcher.search(&query, &(Count, top))?;
        let mut body_snippets = SnippetGenerator::create(&searcher, &*words, f.body)?;
        body_snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut standfirst_snippets = SnippetGenerator::create(&searcher, &*words, f.standfirst)?;
        standfirst_snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut headline_marks = SnippetGenerator::create(&searcher, &*words, f.headline)?;
        headline_marks.set_max_num_chars(usize::MAX / 2);

        let mut hits = Vec::with_capacity(found.len());
        for (score, address) in found {
            let document: TantivyDocument = searcher.doc(address)?;
            let Some(id) = document.get_first(f.id).and_then(|v| v.as_u64()) else {
                continue;
            };
            let text_of = |field: Field| {
                document
                    .get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let headline = text_of(f.headline);
            // Excerpts come from the opening of the body: a long read's whole text
            // would cost more to scan than the search itself.
            let mut body = text_of(f.body);
            if body.len() > SNIPPET_SOURCE {
                let mut end = SNIPPET_SOURCE;
                while !body.is_char_boundary(end) {
                    end -= 1;
                }
                body.truncate(end);
            }
            let standfirst = text_of(f.standfirst);
            let mut snippet = body_snippets.snippet(&body);
            if snippet.highlighted().is_empty() {
                let from_standfirst = standfirst_snippets.snippet(&standfirst);
                if !from_standfirst.highlighted().is_empty() || snippet.is_empty() {
                    snippet = from_standfirst;
                }
            }
            let mark = headline_marks.snippet(&headline);
            let headline_html = if mark.highlighted().is_empty() {
                escape(&headline)
            } else {
                highlight(&mark)
            };
            hits.push(Hit {
                id: ArticleId(id as i64),
                score,
                headline_html,
                snippet_html: highlight(&snippet),
            });
        }
        Ok(SearchResults { total, hits })
    }
}

fn id_value(id: ArticleId) -> u64 {
    u64::try_from(id.0).unwrap_or_default()
}

/// Keeps what a reader means from their input: words, "phrases" and `-exclusions`;
/// every other query-syntax character becomes a space.
fn reader_syntax(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = ' ';
    for c in text.chars() {
        let keep = c.is_alphanumeric()
            || c.is_whitespace()
            || c == '"'
            || matches!(c, '\'' | '’')
            || (c == '-' && (previous.is_whitespace() || previous.is_alphanumeric()));
        out.push(if keep { c } else { ' ' });
        previous = c;
    }
    // An unmatched quote would swallow the rest of the query.
    if out.matches('"').count() % 2 == 1 {
        out = out.replace('"', " ");
    }
    out
}

fn clear_dir(dir: &Path) -> Result<(), SearchError> {
    let io = |e: std::io::Error| SearchError::State(format!("cannot reset {}: {e}", dir.display()));
    std::fs::remove_dir_all(dir).map_err(io)?;
    std::fs::create_dir_all(dir).map_err(io)
}

/// Escapes text for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A snippet as escaped HTML with its matches in `<mark>`.
fn highlight(snippet: &Snippet) -> String {
    let fragment = snippet.fragment();
    let mut out = String::with_capacity(fragment.len() + 32);
    let mut from = 0;
    for range in snippet.highlighted() {
        if range.start < from || range.end > fragment.len() {
            continue;
        }
        out.push_str(&escape(&fragment[from..range.start]));
        out.push_str("<mark>");
        out.push_str(&escape(&fragment[range.clone()]));
        out.push_str("</mark>");
        from = range.end;
    }
    out.push_str(&escape(&fragment[from..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_syntax_keeps_words_phrases_and_exclusions() {
        assert_eq!(reader_syntax("title:foo [a TO b]"), "title foo  a TO b ");
        assert_eq!(
            reader_syntax("\"la réforme\" -retraites"),
            "\"la réforme\" -retraites"
        );
        assert_eq!(reader_syntax("\"unclosed"), " unclosed");
        assert_eq!(reader_syntax("l'État"), "l'État");
    }

    #[test]
    fn escape_covers_markup() {
        assert_eq!(
            escape("<b>\"x\" & 'y'"),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;"
        );
    }
}
