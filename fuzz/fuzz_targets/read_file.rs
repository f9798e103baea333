//! The file reader on any bytes, as `.json`, `.jsonl`, `.json.gz` or `.jsonl.gz`, whole,
//! corrupt or cut short, within the real limits or small ones that the fuzzer can reach: it
//! never panics, names the file in every skip, lists no more skips than the limit allows, and
//! every output of the result is well formed.
//!
//! The first byte picks the case: bits 0-2 the format, bits 3-5 where a compressed file is cut,
//! bit 7 the small limits. The rest is the file's content (compressed here when the case says
//! so, so the fuzzer explores the JSON rather than gzip checksums).

#![no_main]

use std::io::Write;

use flate2::{Compression, write::GzEncoder};
use libfuzzer_sys::fuzz_target;
use threat_review::finding::files::{Limits, read_bytes};

const SMALL: Limits = Limits {
    file_bytes: 4096,
    decompressed_bytes: 8192,
    line_bytes: 128,
    listed_skips: 4,
};

fn gzip(content: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(content).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

fuzz_target!(|data: &[u8]| {
    let Some((&case, content)) = data.split_first() else {
        return;
    };
    let cut = usize::from((case >> 3) & 7);
    let (name, bytes) = match case & 7 {
        0 => ("fuzz.json", content.to_vec()),
        1 => ("fuzz.jsonl", content.to_vec()),
        2 => ("fuzz.json.gz", gzip(content)),
        3 => ("fuzz.jsonl.gz", gzip(content)),
        4 => ("fuzz.jsonl.gz", content.to_vec()),
        5 => {
            let whole = gzip(content);
            let keep = whole.len() * cut / 8;
            ("fuzz.jsonl.gz", whole[..keep].to_vec())
        }
        6 => ("fuzz.ndjson", content.to_vec()),
        _ => ("fuzz.json.gz", content.to_vec()),
    };
    let limits = if case & 0x80 == 0 {
        Limits::DEFAULT
    } else {
        SMALL
    };
    let parsed = read_bytes(name, &bytes, &limits);
    assert!(parsed.skipped.iter().all(|s| s.source == name));
    // The listed records, plus at most a read error, a JSON error and the count of the rest.
    assert!(
        parsed.skipped.len() <= limits.listed_skips + 3,
        "{} skips listed",
        parsed.skipped.len()
    );
    threat_review_fuzz::check_outputs(parsed);
});
