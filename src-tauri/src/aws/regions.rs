//! The regions offered in the region picker.

/// The commercial regions where GuardDuty runs, in the order the picker lists them. Opt-in
/// regions are included: an account that has not enabled one gets a `not-enabled` status for
/// it, not a failed pull.
pub const KNOWN: [&str; 31] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "ca-west-1",
    "sa-east-1",
    "mx-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "ap-south-1",
    "ap-south-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ap-east-1",
    "me-south-1",
    "me-central-1",
    "af-south-1",
];

/// Whether `region` looks like an AWS region name (lower-case letters, digits and dashes).
pub fn is_well_formed(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_only_well_formed_regions() {
        assert!(KNOWN.iter().all(|r| is_well_formed(r)));
        assert!(is_well_formed("us-gov-west-1"));
        for bad in [
            "",
            "us-east",
            "US-EAST-1",
            "us east 1",
            "us-east-1a",
            "../x-1",
            "a--1",
        ] {
            assert!(!is_well_formed(bad), "{bad}");
        }
    }
}
