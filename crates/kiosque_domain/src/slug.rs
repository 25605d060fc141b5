//! URL slugs: lowercase ASCII words joined by hyphens, built from headlines and names.
//!
//! Folding is French-aware: accents are removed (`é` → `e`), ligatures are spelled out
//! (`œ` → `oe`), and elided articles keep their letter (`l'automne` → `l-automne`), so
//! the slug of a French headline reads the way a French editor would type it.

use serde::{Deserialize, Serialize};
use std::fmt;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longest slug we produce; longer headlines are cut at a word boundary.
pub const MAX_SLUG_LEN: usize = 80;

/// A validated slug: non-empty, `[a-z0-9]` words separated by single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

/// Why a string is not a slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("a slug cannot be empty")]
    Empty,
    #[error("a slug may only hold lowercase letters, digits and single hyphens: {0:?}")]
    Invalid(String),
    #[error("a slug is at most {MAX_SLUG_LEN} characters long")]
    TooLong,
}

impl Slug {
    /// Accepts an existing slug as is, or explains why it is not one.
    pub fn parse(s: &str) -> Result<Self, SlugError> {
        if s.is_empty() {
            return Err(SlugError::Empty);
        }
        if s.len() > MAX_SLUG_LEN {
            return Err(SlugError::TooLong);
        }
        let valid = s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
        if valid {
            Ok(Self(s.to_owned()))
        } else {
            Err(SlugError::Invalid(s.to_owned()))
        }
    }

    /// Builds the slug of free text (a headline, a tag name). Text with no letter or
    /// digit at all yields `None`.
    pub fn from_text(text: &str) -> Option<Self> {
        let folded = fold_to_ascii(text);
        let mut out = String::with_capacity(folded.len());
        for word in folded
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let extra = usize::from(!out.is_empty()) + word.len();
            if out.len() + extra > MAX_SLUG_LEN {
                if out.is_empty() {
                    out.push_str(&word[..MAX_SLUG_LEN]);
                }
                break;
            }
            if !out.is_empty() {
                out.push('-');
            }
            out.push_str(word);
        }
        (!out.is_empty()).then_some(Self(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Lowercases and folds text to ASCII letters and digits, keeping other characters as
/// separators.
fn fold_to_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ł' | 'Ł' => out.push('l'),
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            _ => out.push(' '),
        }
    }
    out
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Slug {
    type Error = SlugError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> Self {
        s.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn slug(s: &str) -> String {
        Slug::from_text(s).map(String::from).unwrap_or_default()
    }

    #[test]
    fn french_headline_folds_accents() {
        assert_eq!(
            slug("Trump a proposé à Poutine une rencontre à la Maison Blanche"),
            "trump-a-propose-a-poutine-une-rencontre-a-la-maison-blanche"
        );
    }

    #[test]
    fn elisions_keep_their_letter() {
        assert_eq!(
            slug("Un sommet reporté à l'automne"),
            "un-sommet-reporte-a-l-automne"
        );
        assert_eq!(slug("L’État s’engage"), "l-etat-s-engage");
    }

    #[test]
    fn ligatures_and_guillemets() {
        assert_eq!(slug("« Cœur » et Ærø : l'œuvre"), "coeur-et-aero-l-oeuvre");
        assert_eq!(slug("Straße 42 %"), "strasse-42");
    }

    #[test]
    fn text_without_letters_has_no_slug() {
        assert_eq!(Slug::from_text(" — ! "), None);
    }

    #[test]
    fn long_headlines_are_cut_at_a_word() {
        let s = slug(&"mot ".repeat(50));
        assert!(s.len() <= MAX_SLUG_LEN);
        assert!(s.ends_with("mot"));
    }

    #[test]
    fn parse_rejects_what_from_text_would_not_produce() {
        assert!(Slug::parse("ok-slug-2").is_ok());
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        assert!(Slug::parse("Bad").is_err());
        assert!(Slug::parse("a--b").is_err());
        assert!(Slug::parse("-a").is_err());
        assert!(Slug::parse("é").is_err());
    }

    proptest! {
        #[test]
        fn every_produced_slug_parses(text in "\\PC{0,200}") {
            if let Some(s) = Slug::from_text(&text) {
                prop_assert!(Slug::parse(s.as_str()).is_ok(), "{:?} -> {:?}", text, s);
            }
        }

        #[test]
        fn slugging_is_idempotent(text in "\\PC{0,120}") {
            if let Some(s) = Slug::from_text(&text) {
                prop_assert_eq!(Slug::from_text(s.as_str()), Some(s.clone()));
            }
        }

        #[test]
        fn ascii_words_survive(words in proptest::collection::vec("[a-z]{1,8}", 1..6)) {
            let text = words.join(" ");
            prop_assert_eq!(slug(&text), words.join("-"));
        }
    }
}
