//! The article lifecycle as pure rules: what a save records (its revision kind),
//! which slug an article keeps, when its public "updated" time moves, when a
//! correction note is needed, and where a publication at a given time leads. The
//! store persists what these decide; the application asks them before any write.

use crate::article::{ArticleError, ArticleStatus, EditKind, NewArticle, RevisionKind};
use crate::section::NewSection;
use crate::{NewContributor, SectionId, Slug};
use chrono::{DateTime, Utc};

/// Whether readers have seen the article (its edits are then announced or not).
pub fn is_public(status: ArticleStatus) -> bool {
    matches!(
        status,
        ArticleStatus::Published | ArticleStatus::Unpublished
    )
}

/// The revision kind of a content save of an article in `status`: a published (or
/// withdrawn) article's save is minor unless the editor says it is an update or a
/// correction; anything else is a draft save, whatever was asked.
pub fn revision_kind(status: ArticleStatus, requested: Option<EditKind>) -> RevisionKind {
    if !is_public(status) {
        return RevisionKind::Draft;
    }
    match requested.unwrap_or(EditKind::Minor) {
        EditKind::Minor => RevisionKind::Minor,
        EditKind::Update => RevisionKind::Update,
        EditKind::Correction => RevisionKind::Correction,
    }
}

/// An article as stored, as far as an edit's plan depends on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored<'a> {
    pub status: ArticleStatus,
    pub slug: &'a str,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// What a content save changes besides the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditPlan {
    pub slug: Slug,
    /// The public "updated" time after the save.
    pub updated_at: Option<DateTime<Utc>>,
    /// A correction's public note, trimmed.
    pub correction_note: Option<String>,
}

/// Decides a content save of `content` over `stored`, made at `now` as `kind`:
/// status and dates are the workflow's, not the editor's; a published URL keeps its
/// slug unless a new one is given, a draft's follows its headline; updates and
/// corrections of a public article set its update time; a correction needs a note.
pub fn plan_edit(
    stored: &Stored<'_>,
    content: &NewArticle,
    kind: RevisionKind,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<EditPlan, ArticleError> {
    let mut checked = content.clone();
    checked.status = stored.status;
    checked.published_at = stored.published_at;
    checked.updated_at = stored.updated_at;
    checked.validate()?;
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if kind == RevisionKind::Correction && note.is_none() {
        return Err(ArticleError::CorrectionWithoutNote);
    }
    let public = is_public(stored.status);
    let updated_at = match kind {
        RevisionKind::Update | RevisionKind::Correction if public => Some(now),
        _ => stored.updated_at,
    };
    // A draft carrying its stored slug unchanged has not chosen one.
    let chosen = content
        .slug
        .as_ref()
        .filter(|s| public || s.as_str() != stored.slug);
    let slug = match (chosen, public) {
        (Some(slug), _) => slug.clone(),
        (None, true) => Slug::parse(stored.slug).map_err(|_| ArticleError::NoSlug)?,
        (None, false) => {
            checked.slug = None;
            checked.effective_slug()?
        }
    };
    Ok(EditPlan {
        slug,
        updated_at,
        correction_note: note
            .filter(|_| kind == RevisionKind::Correction)
            .map(str::to_owned),
    })
}

/// Where publishing at `at`, asked at `now`, leads: live at once (keeping `at` as
/// the publication time when it is in the past) or scheduled.
pub fn publication_status(at: DateTime<Utc>, now: DateTime<Utc>) -> ArticleStatus {
    if at > now {
        ArticleStatus::Scheduled
    } else {
        ArticleStatus::Published
    }
}

/// Sections and contributors an action creates on the way (an API client naming a
/// section path or a contributor not yet known). The store writes them in the same
/// transaction as the article, so a refused action leaves none of them behind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Creations {
    /// Sections to create, each under the previous one (the first under `parent`,
    /// an existing section, or at the top); the article goes in the last.
    pub sections: Vec<NewSection>,
    /// Contributors to create, each with the place it takes in the article's
    /// ordered byline (ascending).
    pub contributors: Vec<(usize, NewContributor)>,
}

impl Creations {
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty() && self.contributors.is_empty()
    }

    /// The parent of the first section to create.
    pub fn section_parent(&self) -> Option<SectionId> {
        self.sections.first().and_then(|s| s.parent_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap()
    }

    fn stored(status: ArticleStatus) -> Stored<'static> {
        Stored {
            status,
            slug: "un-titre",
            published_at: (status != ArticleStatus::Draft).then(|| at(8)),
            updated_at: None,
        }
    }

    fn content(headline: &str) -> NewArticle {
        let mut c = NewArticle::draft(headline, SectionId(1));
        c.slug = Some(Slug::parse("un-titre").unwrap());
        c
    }

    #[test]
    fn draft_saves_are_drafts_whatever_is_asked() {
        assert_eq!(
            revision_kind(ArticleStatus::Draft, Some(EditKind::Correction)),
            RevisionKind::Draft
        );
        assert_eq!(
            revision_kind(ArticleStatus::Scheduled, Some(EditKind::Update)),
            RevisionKind::Draft
        );
        assert_eq!(
            revision_kind(ArticleStatus::Published, None),
            RevisionKind::Minor
        );
        assert_eq!(
            revision_kind(ArticleStatus::Unpublished, Some(EditKind::Update)),
            RevisionKind::Update
        );
    }

    #[test]
    fn a_published_slug_stays_and_a_draft_follows_its_headline() {
        let published = stored(ArticleStatus::Published);
        let plan = plan_edit(
            &published,
            &content("Tout autre chose"),
            RevisionKind::Minor,
            None,
            at(9),
        );
        assert_eq!(plan.map(|p| p.slug.to_string()), Ok("un-titre".to_owned()));
        let draft = stored(ArticleStatus::Draft);
        let plan = plan_edit(
            &draft,
            &content("Tout autre chose"),
            RevisionKind::Draft,
            None,
            at(9),
        );
        assert_eq!(
            plan.map(|p| p.slug.to_string()),
            Ok("tout-autre-chose".to_owned())
        );
    }

    #[test]
    fn updates_move_the_public_time_and_minor_edits_do_not() {
        let published = stored(ArticleStatus::Published);
        let c = content("Un titre");
        let minor = plan_edit(&published, &c, RevisionKind::Minor, None, at(9));
        assert_eq!(minor.map(|p| p.updated_at), Ok(None));
        let update = plan_edit(&published, &c, RevisionKind::Update, None, at(9));
        assert_eq!(update.map(|p| p.updated_at), Ok(Some(at(9))));
        // A draft has no public time to move.
        let draft = plan_edit(
            &stored(ArticleStatus::Draft),
            &c,
            RevisionKind::Update,
            None,
            at(9),
        );
        assert_eq!(draft.map(|p| p.updated_at), Ok(None));
    }

    #[test]
    fn a_correction_needs_a_note_and_keeps_it_trimmed() {
        let published = stored(ArticleStatus::Published);
        let c = content("Un titre");
        assert_eq!(
            plan_edit(&published, &c, RevisionKind::Correction, Some("  "), at(9)),
            Err(ArticleError::CorrectionWithoutNote)
        );
        let plan = plan_edit(
            &published,
            &c,
            RevisionKind::Correction,
            Some(" Le chiffre était faux. "),
            at(9),
        );
        assert_eq!(
            plan.map(|p| p.correction_note),
            Ok(Some("Le chiffre était faux.".to_owned()))
        );
        // A note given with a minor edit is not a correction.
        let plan = plan_edit(&published, &c, RevisionKind::Minor, Some("note"), at(9));
        assert_eq!(plan.map(|p| p.correction_note), Ok(None));
    }

    #[test]
    fn an_empty_headline_is_refused_before_anything() {
        assert_eq!(
            plan_edit(
                &stored(ArticleStatus::Draft),
                &content("  "),
                RevisionKind::Draft,
                None,
                at(9)
            ),
            Err(ArticleError::EmptyHeadline)
        );
    }

    #[test]
    fn publishing_in_the_future_schedules() {
        assert_eq!(publication_status(at(10), at(9)), ArticleStatus::Scheduled);
        assert_eq!(publication_status(at(9), at(9)), ArticleStatus::Published);
        assert_eq!(publication_status(at(8), at(9)), ArticleStatus::Published);
    }
}
