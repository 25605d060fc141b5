//! Dates as agencies write them: RFC 3339, with a trailing space, without an offset
//! (read as UTC), with a `+0200` offset, or a bare date.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y%m%dT%H%M%S%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(text, format) {
            return Some(d.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y%m%dT%H%M%S",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(text, format) {
            return Some(d.and_utc());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_dialects() {
        let utc = |s: &str| parse(s).map(|d| d.to_rfc3339());
        assert_eq!(
            utc("2018-11-21T16:25:32-05:00 ").as_deref(),
            Some("2018-11-21T21:25:32+00:00")
        );
        assert_eq!(
            utc("2024-05-02T10:00:00+0200").as_deref(),
            Some("2024-05-02T08:00:00+00:00")
        );
        assert_eq!(
            utc("2024-05-02T10:00:00").as_deref(),
            Some("2024-05-02T10:00:00+00:00")
        );
        assert_eq!(
            utc("2024-05-02").as_deref(),
            Some("2024-05-02T00:00:00+00:00")
        );
        assert_eq!(utc("Last Tuesday"), None);
    }
}
