//! Site-wide settings: name, publisher, locale, time zone, age-banner threshold.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A user-interface locale Kiosque ships a full catalogue for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Fr,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Fr, Locale::En];

    /// BCP 47 language tag, for `lang` attributes and JSON-LD `inLanguage`.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }

    /// Open Graph locale (`language_TERRITORY`, with an underscore).
    pub fn og_locale(self) -> &'static str {
        match self {
            Locale::Fr => "fr_FR",
            Locale::En => "en_GB",
        }
    }

    /// strftime pattern for a date and time in running text.
    pub fn datetime_pattern(self) -> &'static str {
        match self {
            Locale::Fr => "%d/%m/%Y %H:%M",
            Locale::En => "%-d %b %Y, %H:%M",
        }
    }

    /// Reads a language tag, ignoring any region (`fr-FR` is French).
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "fr" => Some(Locale::Fr),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Locale {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_tag(s).ok_or_else(|| format!("unsupported locale {s:?} (supported: fr, en)"))
    }
}

/// Settings of one site, read from `kiosque.toml` (`[site]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteSettings {
    /// The site's name, in the header and page titles ("Kiosque Info").
    pub name: String,
    /// One sentence describing the site, for the home page's meta description.
    pub description: String,
    /// The publishing organisation named under the byline and in JSON-LD.
    pub publisher: String,
    /// Public base URL without a trailing slash, used for canonical links.
    pub base_url: String,
    /// Language of the interface.
    pub locale: Locale,
    /// IANA time zone in which dates are shown.
    pub timezone: Tz,
    /// Articles older than this many days carry the age banner.
    pub age_banner_days: u32,
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            name: "Kiosque Info".into(),
            description: "L'actualité en France et dans le monde, en continu.".into(),
            publisher: "Kiosque Média".into(),
            base_url: "http://127.0.0.1:8080".into(),
            locale: Locale::Fr,
            timezone: chrono_tz::Europe::Paris,
            age_banner_days: 365,
        }
    }
}

impl SiteSettings {
    /// A UTC instant in the site's time zone.
    pub fn local(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        at.with_timezone(&self.timezone)
    }

    /// An absolute URL for a site path starting with `/`.
    pub fn absolute(&self, path: &str) -> String {
        if path.starts_with("https://") || path.starts_with("http://") {
            return path.to_owned(); // media on a public bucket or CDN
        }
        format!("{}{}", self.base_url.trim_end_matches('/'), path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn absolute_urls_are_made_once() {
        let site = SiteSettings {
            base_url: "https://info.example.org/".into(),
            ..SiteSettings::default()
        };
        assert_eq!(site.absolute("/monde/"), "https://info.example.org/monde/");
        // Media on a public bucket or CDN already have theirs.
        let cdn = "https://media.example.net/site/2026/a.jpg";
        assert_eq!(site.absolute(cdn), cdn);
    }

    #[test]
    fn paris_time_follows_daylight_saving() {
        let site = SiteSettings::default();
        let summer = Utc.with_ymd_and_hms(2018, 4, 2, 11, 5, 0).unwrap();
        let winter = Utc.with_ymd_and_hms(2018, 1, 2, 12, 5, 0).unwrap();
        assert_eq!(site.local(summer).to_rfc3339(), "2018-04-02T13:05:00+02:00");
        assert_eq!(site.local(winter).to_rfc3339(), "2018-01-02T13:05:00+01:00");
    }

    #[test]
    fn locales_read_language_tags() {
        assert_eq!(Locale::from_tag("fr-FR"), Some(Locale::Fr));
        assert_eq!(Locale::from_tag("EN_gb"), Some(Locale::En));
        assert_eq!(Locale::from_tag("de"), None);
    }
}
