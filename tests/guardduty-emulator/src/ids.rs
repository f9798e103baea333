//! Deterministic identifiers: detector ids, generated finding ids, and the hash behind them.
//!
//! Tests and benchmarks compare runs, so every id the emulator invents is a pure function of
//! its inputs (a region name, a seed, an index) rather than of the clock or a random source.

/// FNV-1a over the given parts, with a separator byte between parts so that
/// `("ab", "c")` and `("a", "bc")` hash differently.
pub(crate) fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in part.iter().chain(std::iter::once(&0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// 32 lowercase hex characters derived from `parts`, the shape of GuardDuty's detector and
/// finding ids.
pub(crate) fn hex32(parts: &[&[u8]]) -> String {
    let high = fnv1a(parts);
    let low = fnv1a(&[&high.to_le_bytes(), b"low"]);
    format!("{high:016x}{low:016x}")
}

/// The detector id the emulator gives `region` unless told otherwise: 32 hex characters derived
/// from the region name, so it is the same in every run.
pub fn detector_id_for_region(region: &str) -> String {
    hex32(&[b"detector", region.as_bytes()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detector_id_is_32_hex_chars_and_stable_per_region() {
        let id = detector_id_for_region("us-east-1");
        assert_eq!(id.len(), 32);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(id, detector_id_for_region("us-east-1"));
        assert_ne!(id, detector_id_for_region("us-east-2"));
    }

    #[test]
    fn hash_separates_parts() {
        assert_ne!(fnv1a(&[b"ab", b"c"]), fnv1a(&[b"a", b"bc"]));
    }
}
