//! Readers' part in the conversation: who may act on comments. One rule for every
//! action a reader takes (post, edit, like, report), whichever form or script asks.

use chrono::{DateTime, Utc};
use kiosque_domain::comment::{Barred, Reader};

/// Whether `reader` may post, edit, like or report at `now`: a banned or suspended
/// reader may not (they may still read, download their data and delete their
/// comments or account). An unverified address only stops posting, which has its
/// own message.
pub fn may_take_part(reader: &Reader, now: DateTime<Utc>) -> Result<(), Barred> {
    match reader.barred(now) {
        Some(barred @ (Barred::Banned(_) | Barred::Suspended(_))) => Err(barred),
        _ => Ok(()),
    }
}
