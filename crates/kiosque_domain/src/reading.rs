//! Reading time, as shown under the byline ("Temps de lecture : 3 min").

/// Average adult silent reading speed for news copy, in words per minute.
pub const WORDS_PER_MINUTE: u32 = 230;

/// Minutes needed to read `words` words: rounded to the nearest minute, at least 1.
pub fn reading_minutes(words: u32) -> u32 {
    ((words + WORDS_PER_MINUTE / 2) / WORDS_PER_MINUTE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_pieces_take_one_minute() {
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(120), 1);
        assert_eq!(reading_minutes(344), 1);
    }

    #[test]
    fn longer_pieces_round_to_the_nearest_minute() {
        assert_eq!(reading_minutes(345), 2);
        assert_eq!(reading_minutes(460), 2);
        assert_eq!(reading_minutes(1200), 5);
    }
}
