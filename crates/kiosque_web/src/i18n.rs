//! Locale catalogues (Fluent). Every string of the interface comes from
//! `locales/{fr,en}/main.ftl`, embedded in the binary; plurals and elisions are the
//! catalogue's business, not the code's.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use kiosque_domain::Locale;
use std::collections::HashMap;

const FR: &str = include_str!("../locales/fr/main.ftl");
const EN: &str = include_str!("../locales/en/main.ftl");

/// The catalogues of every supported locale.
pub struct Catalogs {
    bundles: HashMap<Locale, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for Catalogs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogs")
            .field("locales", &self.bundles.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A catalogue that does not parse: a build-time mistake, caught by the tests.
#[derive(Debug, thiserror::Error)]
#[error("locale catalogue {locale} is invalid: {detail}")]
pub struct CatalogError {
    locale: Locale,
    detail: String,
}

impl Catalogs {
    /// Parses the embedded catalogues.
    pub fn load() -> Result<Self, CatalogError> {
        let mut bundles = HashMap::new();
        for (locale, source) in [(Locale::Fr, FR), (Locale::En, EN)] {
            let error = |detail: String| CatalogError { locale, detail };
            let resource = FluentResource::try_new(source.to_owned())
                .map_err(|(_, errs)| error(format!("{errs:?}")))?;
            let langid = locale.code().parse().map_err(|e| error(format!("{e:?}")))?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // Unicode isolation marks would end up inside attributes and URLs.
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .map_err(|errs| error(format!("{errs:?}")))?;
            bundles.insert(locale, bundle);
        }
        Ok(Self { bundles })
    }

    /// The message `key` in `locale`, with arguments. A missing message shows its key,
    /// so a gap in a catalogue is visible rather than fatal (and a test lists gaps).
    pub fn message(&self, locale: Locale, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let Some(bundle) = self.bundles.get(&locale) else {
            return key.to_owned();
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(%locale, key, "missing catalogue message");
            return key.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(%locale, key, ?errors, "catalogue message formatting failed");
        }
        text.into_owned()
    }

    /// Shorthand for a message without arguments.
    pub fn text(&self, locale: Locale, key: &str) -> String {
        self.message(locale, key, &[])
    }

    /// Message ids defined in one locale and missing in another.
    pub fn gaps(&self) -> Vec<String> {
        let ids = |source: &str| -> Vec<String> {
            source
                .lines()
                .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
                .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
                .collect()
        };
        let (fr, en) = (ids(FR), ids(EN));
        let mut gaps: Vec<String> = fr
            .iter()
            .filter(|id| !en.contains(id))
            .map(|id| format!("en: {id}"))
            .collect();
        gaps.extend(
            en.iter()
                .filter(|id| !fr.contains(id))
                .map(|id| format!("fr: {id}")),
        );
        gaps
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiosque_domain::age::AgeBanner;

    fn banner(c: &Catalogs, locale: Locale, years: u32) -> String {
        let words = AgeBanner { years }.years_in_words(locale);
        c.message(
            locale,
            "age-banner",
            &[("years", years.into()), ("words", words.into())],
        )
    }

    #[test]
    fn both_catalogues_define_the_same_messages() {
        let c = Catalogs::load().unwrap();
        assert_eq!(c.gaps(), Vec::<String>::new());
    }

    #[test]
    fn french_age_banner_elides_and_spells_numbers() {
        let c = Catalogs::load().unwrap();
        assert_eq!(
            banner(&c, Locale::Fr, 1),
            "Cet article date de plus d'un an."
        );
        assert_eq!(
            banner(&c, Locale::Fr, 2),
            "Cet article date de plus de deux ans."
        );
        assert_eq!(
            banner(&c, Locale::Fr, 6),
            "Cet article date de plus de six ans."
        );
        assert_eq!(
            banner(&c, Locale::Fr, 10),
            "Cet article date de plus de dix ans."
        );
        assert_eq!(
            banner(&c, Locale::Fr, 12),
            "Cet article date de plus de 12 ans."
        );
    }

    #[test]
    fn english_age_banner_pluralises() {
        let c = Catalogs::load().unwrap();
        assert_eq!(
            banner(&c, Locale::En, 1),
            "This article is more than 1 year old"
        );
        assert_eq!(
            banner(&c, Locale::En, 2),
            "This article is more than 2 years old"
        );
    }

    #[test]
    fn messages_take_arguments() {
        let c = Catalogs::load().unwrap();
        assert_eq!(
            c.message(Locale::Fr, "reading-time", &[("minutes", 3.into())]),
            "Temps de lecture : 3 min"
        );
        assert_eq!(
            c.message(
                Locale::Fr,
                "comments-login",
                &[("site", "Kiosque Info".into())]
            ),
            "Connectez-vous à votre compte Kiosque Info pour participer à la conversation."
        );
        assert_eq!(c.text(Locale::En, "no-such-message"), "no-such-message");
    }
}
