//! Synthetic but realistic findings, in the camelCase form GetFindings returns.
//!
//! Benchmarks need tens of thousands of findings and tests need predictable ones; neither can
//! come from the public samples alone. The generator rotates over the ten in-scope types and two
//! out-of-scope ones, spreads findings over about one instance per ten findings, and fills the
//! fields the product reads (indicators, severity, times, counts, archive flag, instance tags and
//! network interfaces). Everything is a function of the region and the seed.

use serde_json::{Value, json};

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
            .map(|k| Instance::new(self, k))
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

/// The action payload a type carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActionKind {
    /// `dnsRequestAction` with a domain.
    Dns,
    /// Outbound `networkConnectionAction` with a remote IPv4 address and port.
    OutboundConnection,
    /// Inbound `networkConnectionAction` (a Tor relay's peers).
    InboundConnection,
    /// `portProbeAction` with a list of probes.
    PortProbe,
}

/// How findings of one type look.
struct TypeProfile {
    kind: ActionKind,
    severities: &'static [f64],
    feature: &'static str,
    role: &'static str,
    title: &'static str,
    threat_name: &'static str,
    /// The registrable domain DNS findings of this type query, below which labels vary.
    domain_suffix: &'static str,
}

const HIGH: &[f64] = &[8.0, 8.0, 8.0, 7.0, 7.5, 8.9];
const MEDIUM: &[f64] = &[5.0, 5.0, 5.0, 4.0, 5.5, 6.9];
const LOW: &[f64] = &[2.0, 2.0, 1.0, 3.0];

impl TypeProfile {
    fn of(kind: &str) -> Self {
        let dns = |severities, title, threat_name, domain_suffix| TypeProfile {
            kind: ActionKind::Dns,
            severities,
            feature: "DnsLogs",
            role: "ACTOR",
            title,
            threat_name,
            domain_suffix,
        };
        let outbound = |title, threat_name| TypeProfile {
            kind: ActionKind::OutboundConnection,
            severities: MEDIUM,
            feature: "FlowLogs",
            role: "ACTOR",
            title,
            threat_name,
            domain_suffix: "",
        };
        match kind {
            "Backdoor:EC2/C&CActivity.B!DNS" => dns(
                HIGH,
                "Command and Control server domain name queried by EC2 instance {instance}.",
                "C2Server",
                "c2-panel.test",
            ),
            "Trojan:EC2/BlackholeTraffic" => outbound(
                "EC2 instance {instance} attempting connection to a blackholed IP address.",
                "Blackhole",
            ),
            "Trojan:EC2/DropPoint" => outbound(
                "EC2 instance {instance} communicating with a known drop point IP address.",
                "DropPoint",
            ),
            "Trojan:EC2/BlackholeTraffic!DNS" => dns(
                MEDIUM,
                "EC2 instance {instance} querying a domain name that is being redirected to a \
                 black hole IP address.",
                "Blackhole",
                "sinkhole.test",
            ),
            "Trojan:EC2/DriveBySourceTraffic!DNS" => dns(
                HIGH,
                "EC2 instance {instance} querying a domain name of a remote host that is a \
                 known source of Drive-By download attacks.",
                "DriveBy",
                "driveby-cdn.test",
            ),
            "Trojan:EC2/DropPoint!DNS" => dns(
                MEDIUM,
                "EC2 instance {instance} querying a domain name of a remote host that is known \
                 to hold credentials and other stolen data captured by malware.",
                "DropPoint",
                "droppoint.test",
            ),
            "Trojan:EC2/DGADomainRequest.B" | "Trojan:EC2/DGADomainRequest.C!DNS" => dns(
                HIGH,
                "EC2 instance {instance} is querying algorithmically generated domains.",
                "DGA",
                "dga.test",
            ),
            "Trojan:EC2/DNSDataExfiltration" => dns(
                HIGH,
                "Data exfiltration through DNS queries from EC2 instance {instance}.",
                "DNSExfiltration",
                "exfil-tunnel.test",
            ),
            "Trojan:EC2/PhishingDomainRequest!DNS" => dns(
                HIGH,
                "EC2 instance {instance} is querying domains involved in phishing attacks.",
                "Phishing",
                "account-verify-login.test",
            ),
            "UnauthorizedAccess:EC2/TorRelay" => TypeProfile {
                kind: ActionKind::InboundConnection,
                severities: HIGH,
                feature: "FlowLogs",
                role: "TARGET",
                title: "EC2 instance {instance} is communicating with Tor nodes as a relay.",
                threat_name: "TorRelay",
                domain_suffix: "",
            },
            _ => TypeProfile {
                kind: ActionKind::PortProbe,
                severities: LOW,
                feature: "FlowLogs",
                role: "TARGET",
                title: "Unprotected port on EC2 instance {instance} is being probed.",
                threat_name: "Scanner",
                domain_suffix: "",
            },
        }
    }

    /// The `service.action` object and the indicator it carries (a domain or an address).
    fn action(&self, instance: &Instance, rng: &mut SplitMix64) -> (Value, String) {
        match self.kind {
            ActionKind::Dns => {
                let label = match self.threat_name {
                    "DGA" => {
                        let length = 10 + rng.below(8) as usize;
                        random_label(rng, length)
                    }
                    "DNSExfiltration" => {
                        let chunk = random_label(rng, 40);
                        format!("{chunk}.{}", random_label(rng, 6))
                    }
                    _ => format!("host-{}", rng.below(6)),
                };
                let domain = format!("{label}.{}", self.domain_suffix);
                let action = json!({
                    "actionType": "DNS_REQUEST",
                    "dnsRequestAction": {
                        "domain": domain,
                        "domainWithSuffix": self.domain_suffix,
                        "protocol": "UDP",
                        "blocked": false
                    }
                });
                (action, domain)
            }
            ActionKind::OutboundConnection | ActionKind::InboundConnection => {
                let inbound = self.kind == ActionKind::InboundConnection;
                let remote = remote_ip(rng);
                let (remote_port, port_name) = if inbound {
                    (9001, "Unknown")
                } else {
                    *rng.pick(&[
                        (443, "HTTPS"),
                        (80, "HTTP"),
                        (8080, "HTTP-Alt"),
                        (25, "SMTP"),
                    ])
                };
                let action = json!({
                    "actionType": "NETWORK_CONNECTION",
                    "networkConnectionAction": {
                        "connectionDirection": if inbound { "INBOUND" } else { "OUTBOUND" },
                        "blocked": false,
                        "protocol": "TCP",
                        "localIpDetails": {"ipAddressV4": instance.private_ip},
                        "localPortDetails": {
                            "port": if inbound { 9001 } else { 32768 + rng.below(28000) },
                            "portName": "Unknown"
                        },
                        "remoteIpDetails": remote_ip_details(&remote, rng),
                        "remotePortDetails": {"port": remote_port, "portName": port_name}
                    }
                });
                (action, remote)
            }
            ActionKind::PortProbe => {
                let remote = remote_ip(rng);
                let (port, port_name) = *rng.pick(&[(22, "SSH"), (3389, "RDP"), (5432, "Unknown")]);
                let action = json!({
                    "actionType": "PORT_PROBE",
                    "portProbeAction": {
                        "blocked": false,
                        "portProbeDetails": [{
                            "localPortDetails": {"port": port, "portName": port_name},
                            "localIpDetails": {"ipAddressV4": instance.private_ip},
                            "remoteIpDetails": remote_ip_details(&remote, rng)
                        }]
                    }
                });
                (action, remote)
            }
        }
    }
}

/// An address from the documentation ranges (RFC 5737), never a real host.
fn remote_ip(rng: &mut SplitMix64) -> String {
    let prefix = *rng.pick(&["203.0.113", "198.51.100", "192.0.2"]);
    format!("{prefix}.{}", 1 + rng.below(254))
}

fn remote_ip_details(address: &str, rng: &mut SplitMix64) -> Value {
    let (code, country) = *rng.pick(&[
        ("NL", "Netherlands"),
        ("RU", "Russia"),
        ("US", "United States"),
        ("BR", "Brazil"),
    ]);
    json!({
        "ipAddressV4": address,
        "organization": {
            "asn": "64500",
            "asnOrg": "EXAMPLE-TRANSIT",
            "isp": "Example Hosting",
            "org": "Example Hosting"
        },
        "country": {"countryCode": code, "countryName": country},
        "city": {"cityName": ""},
        "geoLocation": {"lat": 0.0, "lon": 0.0}
    })
}

fn random_label(rng: &mut SplitMix64, length: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..length)
        .map(|_| char::from(*rng.pick(LETTERS)))
        .collect()
}

/// One synthetic EC2 instance.
struct Instance {
    id: String,
    name: String,
    instance_type: &'static str,
    availability_zone: String,
    image_id: String,
    eni_id: String,
    private_ip: String,
    public_ip: String,
    subnet_id: String,
    vpc_id: String,
    security_group_id: String,
}

impl Instance {
    fn new(spec: &GenerateSpec, k: usize) -> Self {
        let hex = hex32(&[
            b"instance",
            spec.region.as_bytes(),
            &spec.seed.to_le_bytes(),
            &k.to_le_bytes(),
        ]);
        let roles = [
            "web", "api", "worker", "batch", "bastion", "build", "cache", "etl",
        ];
        let types = [
            "t3.medium",
            "m5.large",
            "c5.xlarge",
            "r6g.large",
            "t3.micro",
        ];
        Self {
            id: format!("i-{}", &hex[..17]),
            name: format!("{}-{:02}", roles[k % roles.len()], k / roles.len() + 1),
            instance_type: types[k % types.len()],
            availability_zone: format!("{}{}", spec.region, ["a", "b", "c"][k % 3]),
            image_id: format!("ami-{}", &hex[15..32]),
            eni_id: format!("eni-{}", &hex[8..25]),
            private_ip: format!("10.{}.{}.{}", k / 65_536 % 256, k / 256 % 256, k % 256),
            public_ip: format!("198.51.100.{}", 1 + k % 254),
            subnet_id: format!("subnet-{}", &hex[..17]),
            vpc_id: format!("vpc-{}", &hex[..8]),
            security_group_id: format!("sg-{}", &hex[4..21]),
        }
    }

    fn resource(&self) -> Value {
        let private_dns = format!("ip-{}.ec2.internal", self.private_ip.replace('.', "-"));
        json!({
            "resourceType": "Instance",
            "instanceDetails": {
                "instanceId": self.id,
                "instanceType": self.instance_type,
                "instanceState": "running",
                "availabilityZone": self.availability_zone,
                "imageId": self.image_id,
                "imageDescription": "Synthetic image",
                "launchTime": "2025-01-15T08:00:00.000Z",
                "platform": null,
                "tags": [
                    {"key": "Name", "value": self.name},
                    {"key": "Environment", "value": "production"}
                ],
                "networkInterfaces": [{
                    "networkInterfaceId": self.eni_id,
                    "privateDnsName": private_dns,
                    "privateIpAddress": self.private_ip,
                    "privateIpAddresses": [
                        {"privateDnsName": private_dns, "privateIpAddress": self.private_ip}
                    ],
                    "publicDnsName": format!("ec2-{}.compute.example", self.public_ip.replace('.', "-")),
                    "publicIp": self.public_ip,
                    "subnetId": self.subnet_id,
                    "vpcId": self.vpc_id,
                    "securityGroups": [{"groupId": self.security_group_id, "groupName": "default"}],
                    "ipv6Addresses": []
                }]
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

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
