//! Readers' comments and the rules that govern them: what a comment may hold, how it is
//! shown (plain text, links made clickable, nothing else), where a reply attaches in a
//! two-level thread, when a thread closes, and what moderation does with a new post.

use crate::ids::ArticleId;
use crate::staff::{Role, UserId};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A comment's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CommentId(pub i64);

impl fmt::Display for CommentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A reader account's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReaderId(pub i64);

impl fmt::Display for ReaderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The longest comment accepted, in characters.
pub const MAX_COMMENT_CHARS: usize = 2_000;
/// The longest display name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 60;
/// A comment can be edited by its author this long after posting.
pub const EDIT_WINDOW: Duration = Duration::minutes(5);
/// Top-level comments per page of a thread.
pub const PAGE_SIZE: u32 = 20;
/// Replies shown under each top-level comment before "more replies".
pub const REPLIES_SHOWN: u32 = 20;

/// Where a comment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentStatus {
    /// Waiting for a moderator; seen only by its author.
    Pending,
    Approved,
    Rejected,
    /// Removed by its author or with their account.
    Deleted,
}

impl CommentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Pending => "pending",
            CommentStatus::Approved => "approved",
            CommentStatus::Rejected => "rejected",
            CommentStatus::Deleted => "deleted",
        }
    }
}

impl FromStr for CommentStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pending" => Ok(CommentStatus::Pending),
            "approved" => Ok(CommentStatus::Approved),
            "rejected" => Ok(CommentStatus::Rejected),
            "deleted" => Ok(CommentStatus::Deleted),
            other => Err(format!("unknown comment status {other:?}")),
        }
    }
}

/// Who wrote a comment, as shown under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Author {
    pub reader: ReaderId,
    pub name: String,
    /// Set when the author is a member of staff: shown beside the name.
    pub staff_role: Option<Role>,
}

/// One comment as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub id: CommentId,
    pub article_id: ArticleId,
    /// `None` once the author's account is deleted and the comment anonymised.
    pub author: Option<Author>,
    /// The top-level comment this one replies under; `None` for a top-level comment.
    pub parent_id: Option<CommentId>,
    /// The reply this one answers, when it answers a reply ("en réponse à …").
    pub reply_to: Option<(CommentId, String)>,
    pub body: String,
    pub status: CommentStatus,
    pub featured: bool,
    pub like_count: i64,
    pub report_count: i64,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub reject_reason: Option<String>,
    /// The name of a commenter from another system (an import): not a reader account.
    pub legacy_author: Option<String>,
}

impl Comment {
    /// The name shown with the comment: its reader's, or the commenter's from the
    /// system it was imported from; `None` once the account is deleted.
    pub fn author_name(&self) -> Option<&str> {
        self.author
            .as_ref()
            .map(|a| a.name.as_str())
            .or(self.legacy_author.as_deref())
    }

    /// Whether `reader` may still edit this comment at `now`.
    pub fn editable_by(&self, reader: ReaderId, now: DateTime<Utc>) -> bool {
        self.author.as_ref().is_some_and(|a| a.reader == reader)
            && self.status != CommentStatus::Deleted
            && now - self.created_at <= EDIT_WINDOW
    }

    pub fn is_by(&self, reader: ReaderId) -> bool {
        self.author.as_ref().is_some_and(|a| a.reader == reader)
    }
}

/// A comment to store: already judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    pub article_id: ArticleId,
    pub reader_id: ReaderId,
    pub parent_id: Option<CommentId>,
    pub reply_to: Option<CommentId>,
    pub body: String,
    pub status: CommentStatus,
    /// Why moderation holds it, shown in the queue.
    pub queued_because: Option<String>,
}

/// How a thread is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    Liked,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Liked => "liked",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "oldest" => Sort::Oldest,
            "liked" => Sort::Liked,
            _ => Sort::Newest,
        }
    }
}

/// One page of a thread: approved top-level comments with their first replies.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThreadPage {
    /// Approved comments of the article, replies included.
    pub total: i64,
    /// Approved top-level comments.
    pub roots_total: i64,
    pub roots: Vec<Comment>,
    /// Approved replies to `roots`, oldest first, at most [`REPLIES_SHOWN`] each.
    pub replies: Vec<Comment>,
    /// Approved replies per top-level comment, for "more replies".
    pub reply_counts: Vec<(CommentId, i64)>,
}

/// Where a reply is stored: replies to a reply go under the same top-level comment,
/// naming the reply they answer.
pub fn attach_reply(target: &Comment) -> (CommentId, Option<CommentId>) {
    match target.parent_id {
        None => (target.id, None),
        Some(root) => (root, Some(target.id)),
    }
}

/// Why a comment's text is refused before any moderation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("the comment is empty")]
    Empty,
    #[error("the comment is longer than {MAX_COMMENT_CHARS} characters")]
    TooLong,
}

/// Trims a comment and checks its length; line breaks are kept, other control
/// characters dropped.
pub fn clean_body(raw: &str) -> Result<String, BodyError> {
    let text: String = raw
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    let text = text.trim();
    if text.is_empty() {
        return Err(BodyError::Empty);
    }
    if text.chars().count() > MAX_COMMENT_CHARS {
        return Err(BodyError::TooLong);
    }
    Ok(text.to_owned())
}

/// Trims a display name; `None` when empty, too long, or holding control characters.
pub fn clean_display_name(raw: &str) -> Option<String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = name.chars().count();
    ((2..=MAX_NAME_CHARS).contains(&len) && !name.chars().any(char::is_control)).then_some(name)
}

fn escape_html(text: &str, out: &mut String) {
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
}

/// Finds `http://`, `https://` and `www.` links in plain text: (start, end) byte ranges.
fn find_links(text: &str) -> Vec<(usize, usize)> {
    let mut links = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while from < text.len() {
        let next = ["https://", "http://", "www."]
            .iter()
            .filter_map(|p| lower[from..].find(p).map(|i| from + i))
            .min();
        let Some(start) = next else { break };
        // Only at a word boundary: "awww.x" is not a link.
        let boundary = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let mut end = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .map_or(text.len(), |i| start + i);
        // Trailing punctuation ends the sentence, not the link.
        while end > start && text[..end].ends_with(['.', ',', ';', ':', '!', '?', ')', '»']) {
            end -= text[..end].chars().next_back().map_or(1, char::len_utf8);
        }
        let bare = &lower[start..end];
        let has_host = bare
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .contains('.');
        if boundary && has_host {
            links.push((start, end));
        }
        from = end.max(start + 1);
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
    links
}

/// Whether a comment holds a link (for the "links go to pre-moderation" rule).
pub fn has_link(text: &str) -> bool {
    !find_links(text).is_empty()
}

/// A comment as HTML: everything escaped, paragraphs and line breaks kept, links made
/// clickable with `rel="nofollow ugc"`. No markup the reader typed survives.
pub fn render_comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for (i, paragraph) in text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("<p>");
        for (j, line) in paragraph.lines().enumerate() {
            if j > 0 {
                out.push_str("<br>");
            }
            let mut at = 0;
            for (start, end) in find_links(line) {
                escape_html(&line[at..start], &mut out);
                let link = &line[start..end];
                let href = if link.to_ascii_lowercase().starts_with("www.") {
                    format!("https://{link}")
                } else {
                    link.to_owned()
                };
                out.push_str("<a href=\"");
                escape_html(&href, &mut out);
                out.push_str("\" rel=\"nofollow ugc noopener\">");
                escape_html(link, &mut out);
                out.push_str("</a>");
                at = end;
            }
            escape_html(&line[at..], &mut out);
        }
        out.push_str("</p>");
    }
    out
}

/// A fingerprint of a comment's text for spotting repeated posts: case, spacing and
/// punctuation do not make two posts different.
pub fn body_fingerprint(text: &str) -> String {
    let folded: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    crate::secret::hash_token(&folded)
}

/// What happens to a reader's account when they delete it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeletionPolicy {
    /// Comments stay, signed "deleted account".
    #[default]
    Anonymise,
    /// Comments are removed with the account.
    Remove,
}

/// The site's comment rules, edited in the back office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// Threads close this many days after publication; `None`: never.
    pub close_after_days: Option<u32>,
    /// Every comment waits for a moderator.
    pub premoderate_all: bool,
    /// A reader's first this-many comments wait for a moderator.
    pub premoderate_first: u32,
    /// Comments holding a link wait for a moderator.
    pub premoderate_links: bool,
    /// Comments holding one of these words are refused.
    pub banned_words: Vec<String>,
    /// Comments holding one of these words wait for a moderator.
    pub suspect_words: Vec<String>,
    /// Sections (by id) whose articles' comments all wait for a moderator.
    pub premoderated_sections: Vec<i64>,
    /// Articles (by id) whose comments all wait for a moderator.
    pub premoderated_articles: Vec<i64>,
    pub on_account_deletion: DeletionPolicy,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            close_after_days: Some(14),
            premoderate_all: false,
            premoderate_first: 0,
            premoderate_links: true,
            banned_words: Vec::new(),
            suspect_words: Vec::new(),
            premoderated_sections: Vec::new(),
            premoderated_articles: Vec::new(),
            on_account_deletion: DeletionPolicy::Anonymise,
        }
    }
}

/// Why a thread takes no new comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// An editor closed it.
    ByEditor,
    /// It is older than the site's limit.
    Expired,
}

impl Policy {
    /// Whether the thread of an article published at `published_at` is closed at `now`.
    pub fn closed(
        &self,
        comments_open: bool,
        published_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Option<Closed> {
        if !comments_open {
            return Some(Closed::ByEditor);
        }
        match (self.close_after_days, published_at) {
            (Some(days), Some(at)) if now - at > Duration::days(i64::from(days)) => {
                Some(Closed::Expired)
            }
            _ => None,
        }
    }

    /// The first listed word that `text` holds as a whole word, ignoring case and accents'
    /// absence is not assumed: words are compared as typed, lowercased.
    fn holds(words: &[String], text: &str) -> Option<String> {
        let lowered = text.to_lowercase();
        let tokens: Vec<&str> = lowered
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .collect();
        words
            .iter()
            .map(|w| w.trim().to_lowercase())
            .filter(|w| !w.is_empty())
            .find(|w| {
                if w.contains(' ') {
                    lowered.contains(w.as_str())
                } else {
                    tokens.contains(&w.as_str())
                }
            })
    }

    /// What moderation does with a new comment.
    pub fn judge(&self, post: &PostContext, text: &str) -> Verdict {
        if let Some(word) = Self::holds(&self.banned_words, text) {
            return Verdict::Reject(format!("banned word: {word}"));
        }
        if post.repeated {
            return Verdict::Reject("repeated post".into());
        }
        if post.is_staff {
            return Verdict::Publish;
        }
        if post.always_premoderate {
            return Verdict::Queue("reader under pre-moderation".into());
        }
        if self.premoderate_all {
            return Verdict::Queue("site pre-moderation".into());
        }
        if post
            .section_id
            .is_some_and(|s| self.premoderated_sections.contains(&s))
        {
            return Verdict::Queue("section pre-moderation".into());
        }
        if self.premoderated_articles.contains(&post.article_id.0) {
            return Verdict::Queue("article pre-moderation".into());
        }
        if post.approved_before < i64::from(self.premoderate_first) {
            return Verdict::Queue("new commenter".into());
        }
        if self.premoderate_links && has_link(text) {
            return Verdict::Queue("holds a link".into());
        }
        if let Some(word) = Self::holds(&self.suspect_words, text) {
            return Verdict::Queue(format!("suspect word: {word}"));
        }
        Verdict::Publish
    }
}

/// What is known about a new comment beside its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostContext {
    pub article_id: ArticleId,
    pub section_id: Option<i64>,
    pub is_staff: bool,
    pub always_premoderate: bool,
    /// The author's approved comments so far.
    pub approved_before: i64,
    /// The author posted the same text recently.
    pub repeated: bool,
}

/// Moderation's decision on a new comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Publish,
    /// Held for a moderator, with the reason shown in the queue.
    Queue(String),
    /// Refused outright; the author is told why and their text kept.
    Reject(String),
}

/// A reader account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reader {
    pub id: ReaderId,
    /// `None` for a member of staff's commenting identity.
    pub email: Option<String>,
    pub display_name: String,
    pub verified: bool,
    pub notify_replies: bool,
    pub staff: Option<(UserId, Role)>,
    pub banned_reason: Option<String>,
    pub suspended_until: Option<DateTime<Utc>>,
    pub always_premoderate: bool,
    pub warnings: i64,
    pub created_at: DateTime<Utc>,
}

/// Why a reader may not post right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Barred {
    Unverified,
    Banned(String),
    Suspended(DateTime<Utc>),
}

impl Reader {
    /// Whether this reader may post at `now`.
    pub fn barred(&self, now: DateTime<Utc>) -> Option<Barred> {
        if let Some(reason) = &self.banned_reason {
            return Some(Barred::Banned(reason.clone()));
        }
        if let Some(until) = self.suspended_until.filter(|u| *u > now) {
            return Some(Barred::Suspended(until));
        }
        if !self.verified && self.staff.is_none() {
            return Some(Barred::Unverified);
        }
        None
    }
}

/// A sign-up; the password is already hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReader {
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
}

/// What a single-use e-mailed link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenPurpose {
    Verify,
    Reset,
    Magic,
    ChangeEmail,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Verify => "verify",
            TokenPurpose::Reset => "reset",
            TokenPurpose::Magic => "magic",
            TokenPurpose::ChangeEmail => "email",
        }
    }

    /// How long a link stays valid.
    pub fn lifetime(self) -> Duration {
        match self {
            TokenPurpose::Verify | TokenPurpose::ChangeEmail => Duration::hours(48),
            TokenPurpose::Reset => Duration::hours(1),
            TokenPurpose::Magic => Duration::minutes(15),
        }
    }
}

/// A reader's server-side session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderSession {
    pub reader: Reader,
    pub csrf_token: String,
    pub last_seen_at: DateTime<Utc>,
}

/// A moderator's decision on comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject(String),
    Feature,
    Unfeature,
}

impl Decision {
    pub fn action(&self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject(_) => "reject",
            Decision::Feature => "feature",
            Decision::Unfeature => "unfeature",
        }
    }
}

/// A moderator's decision on a reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderAction {
    Warn(String),
    Suspend {
        until: DateTime<Utc>,
        reason: String,
    },
    Ban(String),
    Premoderate(bool),
    /// Lifts a ban and a suspension.
    Reinstate,
}

impl ReaderAction {
    pub fn action(&self) -> &'static str {
        match self {
            ReaderAction::Warn(_) => "warn",
            ReaderAction::Suspend { .. } => "suspend",
            ReaderAction::Ban(_) => "ban",
            ReaderAction::Premoderate(true) => "premoderate",
            ReaderAction::Premoderate(false) => "postmoderate",
            ReaderAction::Reinstate => "reinstate",
        }
    }
}

/// Moderation queues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Queue {
    #[default]
    Pending,
    Reported,
    Recent,
}

impl Queue {
    pub fn parse(s: &str) -> Self {
        match s {
            "reported" => Queue::Reported,
            "recent" => Queue::Recent,
            _ => Queue::Pending,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Queue::Pending => "pending",
            Queue::Reported => "reported",
            Queue::Recent => "recent",
        }
    }
}

/// A comment in a moderation queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    pub comment: Comment,
    pub headline: String,
    /// Report reasons with how many readers gave each.
    pub reports: Vec<(String, i64)>,
    pub queued_because: Option<String>,
}

/// One line of the moderation log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModerationEntry {
    pub moderator: Option<String>,
    pub action: String,
    pub comment_id: Option<CommentId>,
    pub reader_id: Option<ReaderId>,
    pub reader_name: Option<String>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// Passwords found in breach lists often enough to be tried first by any attacker.
/// Shipped with Kiosque; compared lowercased.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Whether a password is on the shipped list of common passwords.
pub fn is_common_password(password: &str) -> bool {
    let lowered = password.to_lowercase();
    COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .any(|p| !p.is_empty() && !p.starts_with('#') && p == lowered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, h, m, 0).unwrap()
    }

    fn comment(id: i64, parent: Option<i64>) -> Comment {
        Comment {
            id: CommentId(id),
            article_id: ArticleId(1),
            author: Some(Author {
                reader: ReaderId(5),
                name: "Léa".into(),
                staff_role: None,
            }),
            parent_id: parent.map(CommentId),
            reply_to: None,
            body: "x".into(),
            status: CommentStatus::Approved,
            featured: false,
            like_count: 0,
            report_count: 0,
            created_at: at(12, 0),
            edited_at: None,
            reject_reason: None,
            legacy_author: None,
        }
    }

    #[test]
    fn imported_comments_show_their_legacy_author() {
        let mut c = comment(1, None);
        assert_eq!(c.author_name(), Some("Léa"));
        c.author = None;
        assert_eq!(c.author_name(), None);
        c.legacy_author = Some("Awa".into());
        assert_eq!(c.author_name(), Some("Awa"));
    }

    #[test]
    fn replies_attach_two_levels_deep() {
        assert_eq!(attach_reply(&comment(1, None)), (CommentId(1), None));
        assert_eq!(
            attach_reply(&comment(7, Some(1))),
            (CommentId(1), Some(CommentId(7))),
            "a reply to a reply goes under the same top-level comment, naming it"
        );
    }

    #[test]
    fn only_the_author_edits_and_only_for_five_minutes() {
        let c = comment(1, None);
        assert!(c.editable_by(ReaderId(5), at(12, 5)));
        assert!(!c.editable_by(ReaderId(5), at(12, 6)));
        assert!(!c.editable_by(ReaderId(6), at(12, 1)));
    }

    #[test]
    fn bodies_are_trimmed_and_bounded() {
        assert_eq!(clean_body("  a\r\nb \u{0007}"), Ok("a\nb".into()));
        assert_eq!(clean_body(" \n "), Err(BodyError::Empty));
        assert!(clean_body(&"é".repeat(2_000)).is_ok());
        assert_eq!(clean_body(&"é".repeat(2_001)), Err(BodyError::TooLong));
        assert_eq!(clean_display_name("  Léa   M. "), Some("Léa M.".into()));
        assert_eq!(clean_display_name("x"), None);
        assert_eq!(clean_display_name(&"x".repeat(61)), None);
    }

    #[test]
    fn comments_render_as_escaped_text_with_ugc_links() {
        let html = render_comment(
            "<script>alert(1)</script> voir https://example.org/a?b=1&c=2.\n\nwww.kiosque.test, \"x\"",
        );
        assert_eq!(
            html,
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; voir <a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">https://example.org/a?b=1&amp;c=2</a>.</p>\n<p><a href=\"https://www.kiosque.test\" rel=\"nofollow ugc noopener\">www.kiosque.test</a>, &quot;x&quot;</p>"
        );
        assert!(!render_comment("javascript:alert(1)").contains("<a"));
        assert!(!render_comment("https://\"onmouseover=x").contains("onmouseover=x\""));
        assert_eq!(render_comment("a\nb"), "<p>a<br>b</p>");
        assert!(has_link("lire http://a.fr"));
        assert!(!has_link("http:// rien"));
    }

    #[test]
    fn fingerprints_ignore_case_and_punctuation() {
        assert_eq!(
            body_fingerprint("Achetez  MAINTENANT !"),
            body_fingerprint("achetez maintenant")
        );
        assert_ne!(body_fingerprint("oui"), body_fingerprint("non"));
    }

    #[test]
    fn threads_close_by_editor_or_age() {
        let policy = Policy::default();
        let published = Some(at(12, 0) - Duration::days(14));
        assert_eq!(policy.closed(true, published, at(12, 0)), None);
        assert_eq!(
            policy.closed(true, published, at(12, 1)),
            Some(Closed::Expired)
        );
        assert_eq!(
            policy.closed(false, Some(at(11, 0)), at(12, 0)),
            Some(Closed::ByEditor)
        );
        let never = Policy {
            close_after_days: None,
            ..Policy::default()
        };
        assert_eq!(
            never.closed(true, Some(at(0, 0) - Duration::days(900)), at(12, 0)),
            None
        );
    }

    fn context() -> PostContext {
        PostContext {
            article_id: ArticleId(3),
            section_id: Some(9),
            is_staff: false,
            always_premoderate: false,
            approved_before: 10,
            repeated: false,
        }
    }

    #[test]
    fn moderation_rules_decide_each_post() {
        let policy = Policy {
            banned_words: vec!["Ordure".into()],
            suspect_words: vec!["arnaque".into(), "gagnez de".into()],
            premoderate_first: 2,
            ..Policy::default()
        };
        assert_eq!(policy.judge(&context(), "Bel article."), Verdict::Publish);
        assert!(matches!(
            policy.judge(&context(), "quelle ORDURE"),
            Verdict::Reject(_)
        ));
        assert_eq!(
            policy.judge(&context(), "bordures"),
            Verdict::Publish,
            "whole words only"
        );
        assert!(matches!(
            policy.judge(&context(), "une arnaque"),
            Verdict::Queue(_)
        ));
        assert!(matches!(
            policy.judge(&context(), "Gagnez de l'argent"),
            Verdict::Queue(_)
        ));
        assert!(matches!(
            policy.judge(&context(), "voir https://spam.test"),
            Verdict::Queue(_)
        ));
        let newcomer = PostContext {
            approved_before: 1,
            ..context()
        };
        assert!(matches!(
            policy.judge(&newcomer, "Bonjour"),
            Verdict::Queue(_)
        ));
        let repeated = PostContext {
            repeated: true,
            ..context()
        };
        assert!(matches!(
            policy.judge(&repeated, "Bonjour"),
            Verdict::Reject(_)
        ));
        let watched = PostContext {
            always_premoderate: true,
            ..context()
        };
        assert!(matches!(
            policy.judge(&watched, "Bonjour"),
            Verdict::Queue(_)
        ));
        let section = Policy {
            premoderated_sections: vec![9],
            ..Policy::default()
        };
        assert!(matches!(
            section.judge(&context(), "Bonjour"),
            Verdict::Queue(_)
        ));
        let article = Policy {
            premoderated_articles: vec![3],
            ..Policy::default()
        };
        assert!(matches!(
            article.judge(&context(), "Bonjour"),
            Verdict::Queue(_)
        ));
        let site = Policy {
            premoderate_all: true,
            ..Policy::default()
        };
        assert!(matches!(
            site.judge(&context(), "Bonjour"),
            Verdict::Queue(_)
        ));
        let staff = PostContext {
            is_staff: true,
            ..context()
        };
        assert_eq!(site.judge(&staff, "Bonjour"), Verdict::Publish);
    }

    #[test]
    fn barred_readers_are_told_why() {
        let mut reader = Reader {
            id: ReaderId(1),
            email: Some("a@b.fr".into()),
            display_name: "A".into(),
            verified: true,
            notify_replies: false,
            staff: None,
            banned_reason: None,
            suspended_until: None,
            always_premoderate: false,
            warnings: 0,
            created_at: at(10, 0),
        };
        assert_eq!(reader.barred(at(12, 0)), None);
        reader.suspended_until = Some(at(13, 0));
        assert_eq!(reader.barred(at(12, 0)), Some(Barred::Suspended(at(13, 0))));
        assert_eq!(reader.barred(at(14, 0)), None);
        reader.banned_reason = Some("spam".into());
        assert_eq!(
            reader.barred(at(14, 0)),
            Some(Barred::Banned("spam".into()))
        );
        reader.banned_reason = None;
        reader.verified = false;
        assert_eq!(reader.barred(at(14, 0)), Some(Barred::Unverified));
    }

    #[test]
    fn common_passwords_are_known() {
        assert!(is_common_password("Password123"));
        assert!(is_common_password("azertyuiop"));
        assert!(!is_common_password("chouette-hibou-1987-lune"));
    }
}
