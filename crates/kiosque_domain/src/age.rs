//! The age banner on old articles: "Cet article date de plus de deux ans."
//!
//! It is computed against the current time on every request, never stored, so an
//! article crosses the threshold on its anniversary without anyone touching it.

use crate::site::Locale;
use chrono::{DateTime, Utc};

/// An article's age, as announced by the banner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeBanner {
    /// Whole years since publication, at least 1.
    pub years: u32,
}

impl AgeBanner {
    /// The banner for an article published at `published`, seen at `now`, on a site
    /// that shows it from `threshold_days` days after publication; `None` if the
    /// article is younger than that.
    pub fn compute(
        published: DateTime<Utc>,
        now: DateTime<Utc>,
        threshold_days: u32,
    ) -> Option<Self> {
        let age = now.signed_duration_since(published);
        if age.num_days() < i64::from(threshold_days) {
            return None;
        }
        let years = now.years_since(published).unwrap_or(0).max(1);
        Some(Self { years })
    }

    /// The number of years as a reader would read it in running text: in words up
    /// to ten in French ("deux", "dix"), in digits beyond ("11"); digits in English.
    pub fn years_in_words(self, locale: Locale) -> String {
        const FR: [&str; 10] = [
            "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
        ];
        match locale {
            Locale::Fr if (1..=10).contains(&self.years) => FR[self.years as usize - 1].to_owned(),
            _ => self.years.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    #[test]
    fn young_articles_have_no_banner() {
        assert_eq!(
            AgeBanner::compute(at(2026, 1, 1), at(2026, 12, 30), 365),
            None
        );
    }

    #[test]
    fn banner_appears_on_the_threshold_day() {
        assert_eq!(
            AgeBanner::compute(at(2025, 1, 1), at(2026, 1, 1), 365),
            Some(AgeBanner { years: 1 })
        );
        assert_eq!(
            AgeBanner::compute(at(2025, 1, 1), at(2025, 12, 31), 365),
            None
        );
    }

    #[test]
    fn whole_years_are_counted() {
        let banner = AgeBanner::compute(at(2018, 4, 2), at(2026, 11, 27), 365).unwrap();
        assert_eq!(banner.years, 8);
        assert_eq!(
            AgeBanner::compute(at(2018, 4, 2), at(2024, 4, 1), 365)
                .unwrap()
                .years,
            5
        );
    }

    #[test]
    fn a_shorter_threshold_still_says_at_least_one_year() {
        assert_eq!(
            AgeBanner::compute(at(2026, 1, 1), at(2026, 3, 1), 30),
            Some(AgeBanner { years: 1 })
        );
    }

    #[test]
    fn french_numbers_are_words_up_to_ten() {
        let words = |years| AgeBanner { years }.years_in_words(Locale::Fr);
        assert_eq!(words(1), "un");
        assert_eq!(words(2), "deux");
        assert_eq!(words(10), "dix");
        assert_eq!(words(11), "11");
        assert_eq!(AgeBanner { years: 2 }.years_in_words(Locale::En), "2");
    }
}
