//! IPTC 7901 as dpa sends it: `SOH` header (service and sequence, priority,
//! category, word count, agency), keywords, `STX` text, `ETX` date line, fill, `EOT`.
//! Byte-level; CRLF and LF alike.

use crate::{Format, IngestError, WireItem, dates, markdown};
use chrono::{NaiveDate, TimeZone, Utc};

const SOH: u8 = 0x01;
const STX: u8 = 0x02;
const ETX: u8 = 0x03;

pub fn parse(bytes: &[u8]) -> Result<WireItem, IngestError> {
    let invalid = |m: &str| IngestError::invalid(Format::Iptc7901, m);
    let stx = bytes
        .iter()
        .position(|&b| b == STX)
        .ok_or_else(|| invalid("no STX (start of text)"))?;
    let etx = bytes[stx..]
        .iter()
        .position(|&b| b == ETX)
        .map(|p| stx + p)
        .ok_or_else(|| invalid("no ETX (end of text)"))?;
    let header_start = bytes[..stx]
        .iter()
        .position(|&b| b == SOH)
        .map_or(0, |p| p + 1);
    let decode = |b: &[u8]| -> Result<String, IngestError> {
        let text = std::str::from_utf8(b).map_err(|_| invalid("the text is not UTF-8"))?;
        // BEL (flash marker) and other controls are not text.
        Ok(text
            .replace("\r\n", "\n")
            .chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect())
    };
    let header = decode(&bytes[header_start..stx])?;
    let text = decode(&bytes[stx + 1..etx])?;
    let trailer = decode(&bytes[etx + 1..])?;

    let mut header_lines = header.lines().filter(|l| !l.trim().is_empty());
    let first = header_lines
        .next()
        .ok_or_else(|| invalid("no header line after SOH"))?;
    let fields: Vec<&str> = first.split_whitespace().collect();
    let service = fields.first().copied().unwrap_or_default();
    let priority = fields.get(1).and_then(|p| p.parse::<u8>().ok());
    let category = fields.get(2).copied();
    let agency = fields.get(4).map(|a| (*a).to_owned());
    let keywords: Vec<String> = header_lines
        .flat_map(|l| l.split('/'))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect();

    // The heading block ends at a line ending in " =" (dpa); without one, the first
    // line is the headline.
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .iter()
        .position(|l| l.trim_end().ends_with(" =") || l.trim() == "=");
    let (heading, body): (Vec<&str>, Vec<&str>) = match end {
        Some(i) => (lines[..=i].to_vec(), lines[i + 1..].to_vec()),
        None => match lines.iter().position(|l| !l.trim().is_empty()) {
            Some(first) => (lines[..=first].to_vec(), lines[first + 1..].to_vec()),
            // No text at all between STX and ETX.
            None => (Vec::new(), Vec::new()),
        },
    };
    let heading: Vec<String> = heading
        .iter()
        .map(|l| l.trim().trim_end_matches('=').trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    // Advisories and notes are in parentheses; the byline starts with "Von"/"By".
    let mut headline = None;
    let mut byline = None;
    let mut notes = Vec::new();
    let mut in_note = false;
    for line in &heading {
        if in_note || line.starts_with('(') {
            in_note = !line.ends_with(')');
            notes.push(line.clone());
        } else if line.starts_with("Von ") || line.starts_with("By ") {
            byline = Some(line.clone());
        } else if headline.is_none() {
            headline = Some(line.clone());
        }
    }
    let version_created = parse_trailer(&trailer);
    let guid = format!(
        "urn:iptc7901:{}:{}:{:016x}",
        agency.as_deref().unwrap_or("unknown"),
        service,
        fnv1a(&bytes[stx..etx])
    );
    Ok(WireItem {
        guid,
        version: 1,
        format: Some(Format::Iptc7901),
        urgency: priority,
        headline: headline.unwrap_or_default(),
        body_markdown: markdown::from_text(&body.join("\n")),
        byline,
        provider: agency,
        keywords,
        slugline: category.map(str::to_owned),
        ednote: (!notes.is_empty()).then(|| notes.join(" ")),
        version_created,
        ..WireItem::default()
    })
}

/// `DDHHMM Mon YY` (`241205 Sep 24`: the 24th at 12:05, September 2024), in UTC.
fn parse_trailer(trailer: &str) -> Option<chrono::DateTime<Utc>> {
    let line = trailer.lines().map(str::trim).find(|l| !l.is_empty())?;
    let mut parts = line.split_whitespace();
    let stamp = parts.next()?;
    let month = parts.next()?;
    let year = parts.next()?;
    if stamp.len() != 6 || !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return dates::parse(line);
    }
    let day: u32 = stamp[0..2].parse().ok()?;
    let hour: u32 = stamp[2..4].parse().ok()?;
    let minute: u32 = stamp[4..6].parse().ok()?;
    // English or German abbreviations (dpa writes `Okt`, `Dez`, `Mär`).
    let month = month.to_lowercase();
    let month = [
        &["jan"][..],
        &["feb"],
        &["mar", "mär", "mrz"],
        &["apr"],
        &["may", "mai"],
        &["jun"],
        &["jul"],
        &["aug"],
        &["sep"],
        &["oct", "okt"],
        &["nov"],
        &["dec", "dez"],
    ]
    .iter()
    .position(|names| names.iter().any(|m| month.starts_with(m)))? as u32
        + 1;
    let year: i32 = 2000 + year.parse::<i32>().ok()?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(hour, minute, 0)?;
    Utc.from_local_datetime(&date).single()
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_is_not_a_panic() {
        // Found by `cargo fuzz run iptc7901`: nothing between STX and ETX.
        let bytes = b"\x01bdt000eutsc Gedd/A\n\x02\x03h\x7ftunik vee\n\n\x03h\x7f\x04\n";
        let item = parse(bytes).unwrap();
        assert!(item.headline.is_empty() && item.body_markdown.is_empty());
        assert_eq!(item.provider, None);
    }

    #[test]
    fn dates_in_german_or_english() {
        let d = |s: &str| parse_trailer(s).map(|d| d.to_rfc3339());
        assert_eq!(
            d("062130 Okt 24").as_deref(),
            Some("2024-10-06T21:30:00+00:00")
        );
        assert_eq!(
            d("241205 Sep 24").as_deref(),
            Some("2024-09-24T12:05:00+00:00")
        );
        assert_eq!(
            d("011200 Dez 25").as_deref(),
            Some("2025-12-01T12:00:00+00:00")
        );
        assert_eq!(d("991200 Dez 25"), None);
        // Found by `cargo fuzz run iptc7901`: six bytes that are not six digits.
        assert_eq!(d("fürel Okt 24"), None);
    }
}
