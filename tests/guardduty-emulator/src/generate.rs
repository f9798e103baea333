//! Synthetic but realistic findings, in the camelCase form GetFindings returns.
//!
//! Benchmarks need tens of thousands of findings and tests need predictable ones; neither can
//! come from the public samples alone. The generator rotates over the ten in-scope types and two
//! out-of-scope ones, spreads findings over about one instance per ten findings, and fills the
//! fields the product reads (indicators, severity, times, counts, archive flag, instance tags and
//! network interfaces). Everything is a function of the region and the seed.

mod instance;
mod profile;

use serde_json::{Value, json};

use self::instance::Instance;
use self::profile::TypeProfile;
use crate::ids::{detector_id_for_region, hex32};
use crate::rng::SplitMix64;
use crate::time::format_iso_millis;

/// The ten finding types the product keeps, verbatim.
pub const IN_SCOPE_TYPES: [&str; 10] = [
    "Backdoor:EC2/C&CActivity.B!DNS",
    "Trojan:EC2/BlackholeTraffic",
    "Trojan:EC2/DropPoint",
    "Trojan:EC2/BlackholeTraffic!DNS",
    "Trojan:EC2/DriveBySourceTraffic!DNS",
    "Trojan:EC2/DropPoint!DNS",
    "Trojan:EC2/DGADomainRequest.B",
    "Trojan:EC2/DGADomainRequest.C!DNS",
    "Trojan:EC2/DNSDataExfiltration",
    "Trojan:EC2/PhishingDomainRequest!DNS",
];

/// The out-of-scope types the generator mixes in, so that tests can prove they are filtered out.
pub const OUT_OF_SCOPE_TYPES: [&str; 2] = [
    "Recon:EC2/PortProbeUnprotectedPort",
    "UnauthorizedAccess:EC2/TorRelay",
];

/// The account id generated findings belong to unless [`GenerateSpec::account_id`] says
/// otherwise (the account id AWS uses in its own documentation).
pub const GENERATED_ACCOUNT_ID: &str = "111122223333";

/// The default `updatedAt` of the newest generated finding: 2025-06-01T12:00:00.000Z. Findings
/// are spread over the 30 days before it.
pub const DEFAULT_LATEST_UPDATE_MILLIS: i64 = 1_748_779_200_000;

/// The order types are handed out in: finding `i` gets `TYPE_CYCLE[i % 12]`, so every 12
/// consecutive findings hold each in-scope type once and each out-of-scope type once.
const TYPE_CYCLE: [&str; 12] = [
    IN_SCOPE_TYPES[0],
    IN_SCOPE_TYPES[1],
    IN_SCOPE_TYPES[2],
    IN_SCOPE_TYPES[3],
    IN_SCOPE_TYPES[4],
    OUT_OF_SCOPE_TYPES[0],
    IN_SCOPE_TYPES[5],
    IN_SCOPE_TYPES[6],
    IN_SCOPE_TYPES[7],
    IN_SCOPE_TYPES[8],
    IN_SCOPE_TYPES[9],
    OUT_OF_SCOPE_TYPES[1],
];

const DAY_MILLIS: u64 = 86_400_000;

/// What to generate: `count` findings for `region` from `seed`, with optional overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateSpec {
    region: String,
    count: usize,
    seed: u64,
    account_id: String,
    detector_id: String,
    latest_update_millis: i64,
}

impl GenerateSpec {
    /// `count` findings in `region`, reproducible from `seed`; account
    /// [`GENERATED_ACCOUNT_ID`], the region's default detector id, times ending at
    /// [`DEFAULT_LATEST_UPDATE_MILLIS`].
    pub fn new(region: impl Into<String>, count: usize, seed: u64) -> Self {
        let region = region.into();
        Self {
            detector_id: detector_id_for_region(&region),
            region,
            count,
            seed,
            account_id: GENERATED_ACCOUNT_ID.to_owned(),
            latest_update_millis: DEFAULT_LATEST_UPDATE_MILLIS,
        }
    }

    /// Sets the account id of every finding.
    pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = account_id.into();
        self
    }

    /// Sets the detector id written into ARNs and `service.detectorId`.
    pub fn detector_id(mut self, detector_id: impl Into<String>) -> Self {
        self.detector_id = detector_id.into();
        self
    }

    /// Sets the newest possible `updatedAt` (epoch milliseconds); findings spread over the 30
    /// days before it. Use the current time for tests of "since" filters.
    pub fn latest_update_millis(mut self, millis: i64) -> Self {
        self.latest_update_millis = millis;
        self
    }

    /// The region the findings are for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Builds the findings.
    pub fn findings(&self) -> Vec<Value> {
        let region_hash = crate::ids::fnv1a(&[self.region.as_bytes()]);
        let mut rng = SplitMix64::new(self.seed ^ region_hash);
        let instance_count = self.count.div_ceil(10).max(1);
        let instances: Vec<Instance> = (0..instance_count)
            .map(|k| Instance::new(&self.region, self.seed, k))
            .collect();
        (0..self.count)
            .map(|index| {
                let instance = &instances[rng.below(instance_count as u64) as usize];
                self.finding(index, instance, &mut rng)
            })
            .collect()
    }

    fn finding(&self, index: usize, instance: &Instance, rng: &mut SplitMix64) -> Value {
        let kind = TYPE_CYCLE[index % TYPE_CYCLE.len()];
        let profile = TypeProfile::of(kind);
        let id = hex32(&[
            b"finding",
            self.region.as_bytes(),
            &self.seed.to_le_bytes(),
            &(index as u64).to_le_bytes(),
        ]);
        let updated = self.latest_update_millis - rng.below(30 * DAY_MILLIS) as i64;
        let first_seen = updated - 10_000 - rng.below(10 * DAY_MILLIS) as i64;
        let first_seen = first_seen - first_seen.rem_euclid(1000);
        let created = first_seen + 1 + rng.below(999) as i64;
        let last_seen = updated - updated.rem_euclid(1000);
        let archived = rng.below(12) == 0;
        let count = 1 + rng.below(250);
        let severity = *rng.pick(profile.severities);
        let (action, indicator) = profile.action(instance, rng);
        let threat_list = *rng.pick(&["EmulatorThreatList", "EmulatorIntelFeed"]);
        json!({
            "schemaVersion": "2.0",
            "accountId": self.account_id,
            "region": self.region,
            "partition": "aws",
            "id": id,
            "arn": format!(
                "arn:aws:guardduty:{}:{}:detector/{}/finding/{id}",
                self.region, self.account_id, self.detector_id
            ),
            "type": kind,
            "resource": instance.resource(),
            "service": {
                "serviceName": "guardduty",
                "detectorId": self.detector_id,
                "featureName": profile.feature,
                "action": action,
                "resourceRole": profile.role,
                "additionalInfo": {
                    "value": json!({"threatListName": threat_list}).to_string(),
                    "type": "default"
                },
                "evidence": {"threatIntelligenceDetails": [
                    {"threatListName": threat_list, "threatNames": [profile.threat_name]}
                ]},
                "eventFirstSeen": format_iso_millis(first_seen),
                "eventLastSeen": format_iso_millis(last_seen),
                "archived": archived,
                "count": count
            },
            "severity": severity,
            "createdAt": format_iso_millis(created),
            "updatedAt": format_iso_millis(updated),
            "title": profile.title.replace("{instance}", &instance.id),
            "description": format!(
                "{} Indicator: {indicator}. (Synthetic finding made by guardduty-emulator.)",
                profile.title.replace("{instance}", &instance.id)
            )
        })
    }
}

/// Generates `count` findings for `region` from `seed` with the defaults of [`GenerateSpec`].
pub fn generate_findings(region: &str, count: usize, seed: u64) -> Vec<Value> {
    GenerateSpec::new(region, count, seed).findings()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::profile::ActionKind;
    use super::*;
    use crate::criteria::values_at;
    use crate::time::parse_iso_millis;

    fn text<'a>(finding: &'a Value, path: &str) -> Option<&'a str> {
        values_at(finding, path)
            .first()
            .and_then(|value| value.as_str())
    }

    #[test]
    fn the_same_seed_gives_the_same_findings_and_another_seed_does_not() {
        assert_eq!(
            generate_findings("us-east-1", 30, 7),
            generate_findings("us-east-1", 30, 7)
        );
        assert_ne!(
            generate_findings("us-east-1", 30, 7),
            generate_findings("us-east-1", 30, 8)
        );
        let east = generate_findings("us-east-1", 5, 7);
        let west = generate_findings("us-west-2", 5, 7);
        assert!(east.iter().zip(&west).all(|(a, b)| a["id"] != b["id"]));
    }

    #[test]
    fn types_rotate_over_all_in_scope_and_some_out_of_scope_types() {
        let findings = generate_findings("eu-west-1", 24, 1);
        let types: Vec<&str> = findings.iter().filter_map(|f| f["type"].as_str()).collect();
        for kind in IN_SCOPE_TYPES.iter().chain(&OUT_OF_SCOPE_TYPES) {
            assert_eq!(types.iter().filter(|t| *t == kind).count(), 2, "{kind}");
        }
    }

    #[test]
    fn dns_types_carry_a_domain_and_ip_types_an_address_and_port() {
        for finding in generate_findings("eu-west-1", 48, 3) {
            let kind = finding["type"].as_str().unwrap_or_default();
            let action = &finding["service"]["action"];
            match TypeProfile::of(kind).kind {
                ActionKind::Dns => {
                    let domain = action["dnsRequestAction"]["domain"].as_str();
                    assert!(domain.is_some_and(|d| d.ends_with(".test")), "{kind}");
                }
                ActionKind::OutboundConnection | ActionKind::InboundConnection => {
                    let connection = &action["networkConnectionAction"];
                    assert!(
                        connection["remoteIpDetails"]["ipAddressV4"].is_string(),
                        "{kind}"
                    );
                    assert!(connection["remotePortDetails"]["port"].is_u64(), "{kind}");
                }
                ActionKind::PortProbe => {
                    assert!(action["portProbeAction"]["portProbeDetails"][0].is_object());
                }
            }
        }
    }

    #[test]
    fn findings_spread_over_about_a_tenth_as_many_instances_with_names_and_interfaces() {
        let findings = generate_findings("ap-south-1", 200, 11);
        let instances: BTreeSet<&str> = findings
            .iter()
            .filter_map(|f| text(f, "resource.instanceDetails.instanceId"))
            .collect();
        assert!((12..=20).contains(&instances.len()), "{}", instances.len());
        for finding in &findings {
            let details = &finding["resource"]["instanceDetails"];
            assert_eq!(details["tags"][0]["key"], "Name");
            assert!(details["networkInterfaces"][0]["privateIpAddress"].is_string());
            assert_eq!(details["instanceId"].as_str().map(str::len), Some(19));
        }
    }

    #[test]
    fn times_are_iso_with_millis_and_ordered() {
        for finding in generate_findings("us-east-2", 60, 5) {
            let times = [
                "service.eventFirstSeen",
                "createdAt",
                "service.eventLastSeen",
                "updatedAt",
            ]
            .map(|path| text(&finding, path).and_then(parse_iso_millis).expect(path));
            assert!(times[0] <= times[1] && times[1] <= times[3] && times[2] <= times[3]);
            let updated = text(&finding, "updatedAt").unwrap_or_default();
            assert_eq!(updated.len(), "2025-06-01T12:00:00.000Z".len(), "{updated}");
            assert!(times[3] <= DEFAULT_LATEST_UPDATE_MILLIS);
        }
    }

    #[test]
    fn most_findings_are_active_and_a_few_archived() {
        let findings = generate_findings("us-east-1", 600, 9);
        let archived = findings
            .iter()
            .filter(|f| f["service"]["archived"] == true)
            .count();
        assert!((10..=100).contains(&archived), "{archived}");
        assert!(
            findings
                .iter()
                .all(|f| f["service"]["count"].as_u64().is_some_and(|n| n >= 1))
        );
        assert!(
            findings
                .iter()
                .all(|f| f["severity"].as_f64().is_some_and(|s| s >= 1.0))
        );
    }

    #[test]
    fn spec_overrides_account_detector_and_time() {
        let spec = GenerateSpec::new("eu-central-1", 3, 1)
            .account_id("999988887777")
            .detector_id("abc")
            .latest_update_millis(1_700_000_000_000);
        for finding in spec.findings() {
            assert_eq!(finding["accountId"], "999988887777");
            assert_eq!(finding["service"]["detectorId"], "abc");
            let arn = finding["arn"].as_str().unwrap_or_default();
            assert!(arn.starts_with("arn:aws:guardduty:eu-central-1:999988887777:detector/abc/"));
            let updated = text(&finding, "updatedAt").and_then(parse_iso_millis);
            assert!(updated.is_some_and(|millis| millis <= 1_700_000_000_000));
        }
    }
}
