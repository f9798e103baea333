//! The finding parser on any JSON document: it never panics, every finding it keeps has an id
//! and a type, and every output of the result is well formed.

#![no_main]

use libfuzzer_sys::fuzz_target;
use threat_review::finding::Parsed;
use threat_review::finding::parse::read_document;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let mut parsed = Parsed::default();
    read_document(&value, "fuzz.json", Some(1), &mut parsed);
    assert!(parsed.skipped.iter().all(|s| s.source == "fuzz.json"));
    threat_review_fuzz::check_outputs(parsed);
});
