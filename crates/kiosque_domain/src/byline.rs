//! Bylines: "Article rédigé par Léa Martin, Paul Durand et Kiosque Info avec AFP, Reuters".
//!
//! The words ("Article rédigé par", "avec", "et") come from the locale catalogues; this
//! module decides how names are joined, so the template and the plain-text forms agree.

/// One name in a byline list, with the separator that goes before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined<T> {
    pub separator: &'static str,
    pub item: T,
}

/// Where the word for "and" goes in a list; its text is locale-specific.
pub const AND: &str = "and";

/// Joins items naturally: "A", "A et B", "A, B et C". Each item is paired with the
/// separator to put before it: "" for the first, ", " in the middle, and [`AND`] for the
/// last of two or more (the caller replaces it with " et " or " and ").
pub fn join_naturally<T>(items: impl IntoIterator<Item = T>) -> Vec<Joined<T>> {
    let items: Vec<T> = items.into_iter().collect();
    let n = items.len();
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| Joined {
            separator: match i {
                0 => "",
                i if i + 1 == n => AND,
                _ => ", ",
            },
            item,
        })
        .collect()
}

/// Joins agency credits, which are listed rather than narrated: "AFP, Reuters".
pub fn join_credits<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names.into_iter().collect::<Vec<_>>().join(", ")
}

/// Plain-text byline, for feeds, meta tags and tests. `by` is the lead-in ("Article
/// rédigé par", "By"), `with` and `and` the locale's words.
pub fn byline_text<'a>(
    by: &str,
    with: &str,
    and: &str,
    contributors: impl IntoIterator<Item = &'a str>,
    agencies: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let people: String = join_naturally(contributors)
        .into_iter()
        .map(|j| {
            let sep = if j.separator == AND {
                format!(" {and} ")
            } else {
                j.separator.to_owned()
            };
            sep + j.item
        })
        .collect();
    let credits = join_credits(agencies);
    match (people.is_empty(), credits.is_empty()) {
        (true, true) => None,
        (false, true) => Some(format!("{by} {people}")),
        (true, false) => Some(format!("{by} {credits}")),
        (false, false) => Some(format!("{by} {people} {with} {credits}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr<'a>(people: &[&'a str], agencies: &[&'a str]) -> Option<String> {
        byline_text(
            "Article rédigé par",
            "avec",
            "et",
            people.iter().copied(),
            agencies.iter().copied(),
        )
    }

    #[test]
    fn the_reference_byline() {
        assert_eq!(
            fr(&["franceinfo"], &["AFP"]).unwrap(),
            "Article rédigé par franceinfo avec AFP"
        );
    }

    #[test]
    fn several_contributors_and_agencies() {
        assert_eq!(
            fr(&["A", "B", "C"], &["AFP", "Reuters"]).unwrap(),
            "Article rédigé par A, B et C avec AFP, Reuters"
        );
        assert_eq!(fr(&["A", "B"], &[]).unwrap(), "Article rédigé par A et B");
    }

    #[test]
    fn agency_only_and_empty_bylines() {
        assert_eq!(fr(&[], &["Reuters"]).unwrap(), "Article rédigé par Reuters");
        assert_eq!(fr(&[], &[]), None);
    }

    #[test]
    fn english_form() {
        let text = byline_text("By", "with", "and", ["Jane Roe", "John Doe"], ["Reuters"]);
        assert_eq!(text.unwrap(), "By Jane Roe and John Doe with Reuters");
    }
}
