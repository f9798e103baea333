//! The sample findings bundled in the binary, so the app shows something real on a machine
//! without AWS profiles: three of each of the ten types over five instances, two accounts and
//! two regions, in the GetFindings wire schema and flagged as samples the way GuardDuty flags
//! its own (`service.additionalInfo.value` holds `"sample": true`).

use crate::finding::{Parsed, parse};

/// The bundled GetFindings response.
const SAMPLE_FINDINGS: &str = include_str!("sample/findings.json");

/// The name the sample findings are reported under.
pub const SOURCE: &str = "bundled sample findings";

/// The bundled sample findings, parsed by the same parser as any file.
pub fn findings() -> Parsed {
    let mut out = Parsed::default();
    match serde_json::from_str(SAMPLE_FINDINGS) {
        Ok(document) => parse::read_document(&document, SOURCE, None, &mut out),
        Err(error) => out.skip(
            SOURCE,
            None,
            format!("the bundled samples are broken: {error}"),
        ),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::FINDING_TYPES;
    use std::collections::BTreeSet;

    #[test]
    fn bundles_three_samples_of_each_type_over_two_regions() {
        let parsed = findings();
        assert_eq!(parsed.skipped, []);
        assert_eq!(parsed.findings.len(), 30);
        for t in &FINDING_TYPES {
            let count = parsed
                .findings
                .iter()
                .filter(|f| f.finding_type == t.name)
                .count();
            assert_eq!(count, 3, "{}", t.name);
        }
        let regions: BTreeSet<_> = parsed
            .findings
            .iter()
            .filter_map(|f| f.region.clone())
            .collect();
        assert_eq!(
            regions,
            BTreeSet::from(["eu-west-1".to_owned(), "us-east-1".to_owned()])
        );
        let instances: BTreeSet<_> = parsed
            .findings
            .iter()
            .filter_map(|f| f.instance_id())
            .collect();
        assert_eq!(instances.len(), 5);
        assert!(
            parsed
                .findings
                .iter()
                .all(|f| f.sample && !f.indicators.is_empty())
        );
    }
}
