//! The wire parsers against the third-party corpus in `../shared/corpus`: every news
//! document parses without panic, valid items yield their fields, and IPTC's
//! should_fail cases are refused with a clear message.
#![expect(
    clippy::disallowed_methods,
    reason = "tests read the real clock and the environment that enables their suites"
)]
#![expect(clippy::unwrap_used, reason = "tests")]

mod corpus;
mod import;
mod samples;
