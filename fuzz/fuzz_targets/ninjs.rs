//! Any bytes through the ninjs reader: an item or a clear error, never a panic, a hang
//! or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(items) = kiosque_ingest::parse_as(kiosque_ingest::Format::Ninjs, data) {
        for item in items {
            assert!(!item.guid.is_empty() || item.format == Some(kiosque_ingest::Format::Ninjs));
        }
    }
});
