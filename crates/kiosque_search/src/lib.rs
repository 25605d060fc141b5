//! Full-text search over public articles.
//!
//! The index is a tantivy index under the data directory, one per node, and never the
//! source of truth: it is rebuilt from the database at will (`kiosque reindex`) and
//! kept current by a [`Follower`] reading the database's article change feed. Every
//! hit is checked against the database again before it is shown, so a stale index can
//! miss an article for a moment but can never show one that is not public.
//!
//! Text is analysed for the site's language: split on non-alphanumerics, French
//! elisions (l', d', qu'…) dropped, lower-cased, folded to ASCII, then stemmed
//! (Snowball), so "l'élection", "élections" and "ELECTION" meet.

mod follow;
mod index;

pub use follow::{FollowError, Follower, FollowerOptions};
pub use index::{Hit, SearchDoc, SearchError, SearchIndex, SearchRequest, SearchResults};

use kiosque_domain::Locale;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};

/// The name the analyser is registered under in the index.
pub(crate) const ANALYZER: &str = "kiosque";

/// Words that an apostrophe glues to the next one: "l'État", "qu'il", "jusqu'au".
const FRENCH_ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// The text analysis of a site in `locale`.
pub fn analyzer(locale: Locale) -> TextAnalyzer {
    let (elisions, language): (&[&str], Language) = match locale {
        Locale::Fr => (FRENCH_ELISIONS, Language::French),
        Locale::En => (&["s"], Language::English),
    };
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(
            elisions.iter().map(|w| (*w).to_owned()),
        ))
        // Folding before stemming: a reader typing without accents then gets the
        // same stems as the accented text ("Pyrénées" and "pyrenees").
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(language))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(locale: Locale, text: &str) -> Vec<String> {
        let mut analyzer = analyzer(locale);
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn french_elisions_accents_and_plurals_meet() {
        assert_eq!(
            terms(Locale::Fr, "l'élection"),
            terms(Locale::Fr, "ELECTIONS")
        );
        assert_eq!(terms(Locale::Fr, "qu’il"), terms(Locale::Fr, "il"));
        assert_eq!(
            terms(Locale::Fr, "d'économie"),
            terms(Locale::Fr, "économies")
        );
        assert_ne!(terms(Locale::Fr, "pêche"), terms(Locale::Fr, "pluie"));
        for (accented, typed) in [
            ("Pyrénées", "pyrenees"),
            ("tempête", "tempete"),
            ("été", "ete"),
        ] {
            assert_eq!(
                terms(Locale::Fr, accented),
                terms(Locale::Fr, typed),
                "{accented}"
            );
        }
    }

    #[test]
    fn english_stems_and_possessives() {
        assert_eq!(terms(Locale::En, "running"), terms(Locale::En, "runs"));
        assert_eq!(terms(Locale::En, "Europe's"), terms(Locale::En, "europe"));
    }
}
