//! The time source, the one seam through which the system clock is read (a lint
//! refuses it anywhere else). Everything that depends on "now" (age banners, scheduled
//! articles, link expiry, throttles) reads it here, so tests can pin it.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            #[expect(
                clippy::disallowed_methods,
                reason = "the one place the system clock is read"
            )]
            Clock::System => Utc::now(),
            Clock::Fixed(at) => at,
        }
    }
}
