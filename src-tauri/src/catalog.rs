//! The ten GuardDuty finding types that say an EC2 instance communicated with a malicious
//! server, and where AWS documents each one.
//!
//! This is the one place that knows the list. Type names are matched exactly and
//! case-sensitively: `Backdoor:EC2/C&CActivity.B` (no `!DNS`) and the `Trojan:Runtime/...`
//! twins are different types and stay out of scope.

use serde::Serialize;

/// The page that documents the EC2 finding types; each type has an anchor on it.
const EC2_FINDING_TYPES_PAGE: &str =
    "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html";

/// The GuardDuty user guide in the China regions, which AWS publishes on its own host.
const CHINA_GUIDE: &str = "https://docs.amazonaws.cn/en_us/guardduty/latest/ug";

/// AWS's guide to remediating a potentially compromised EC2 instance.
pub const REMEDIATION_URL: &str =
    "https://docs.aws.amazon.com/guardduty/latest/ug/compromised-ec2.html";

/// Which GuardDuty data source produces a finding type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DataSource {
    /// Route 53 resolver DNS query logs.
    DnsLogs,
    /// VPC flow logs.
    VpcFlowLogs,
}

/// One finding type in scope.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FindingType {
    /// The exact type string GuardDuty writes, e.g. `Trojan:EC2/DropPoint!DNS`.
    pub name: &'static str,
    /// A short title for narrow columns.
    pub title: &'static str,
    /// What GuardDuty analyses to raise it.
    pub data_source: DataSource,
    /// The documented default severity; a finding's own severity always wins.
    pub default_severity: f64,
    /// The anchor of the type on the EC2 finding-types page.
    anchor: &'static str,
}

impl FindingType {
    /// The type's section in the GuardDuty user guide.
    pub fn doc_url(&self) -> String {
        format!("{EC2_FINDING_TYPES_PAGE}#{}", self.anchor)
    }

    /// The type's section in the user guide of `region`'s partition: the China regions have
    /// their own documentation host; GovCloud uses the commercial guide.
    pub fn doc_url_in(&self, region: Option<&str>) -> String {
        if is_china(region) {
            format!(
                "{CHINA_GUIDE}/guardduty_finding-types-ec2.html#{}",
                self.anchor
            )
        } else {
            self.doc_url()
        }
    }
}

/// The ten types, in the order the analyst sees them (C&C first, then by data source).
pub const FINDING_TYPES: [FindingType; 10] = [
    FindingType {
        name: "Backdoor:EC2/C&CActivity.B!DNS",
        title: "C&C activity (DNS)",
        data_source: DataSource::DnsLogs,
        default_severity: 8.0,
        anchor: "backdoor-ec2-ccactivitybdns",
    },
    FindingType {
        name: "Trojan:EC2/BlackholeTraffic",
        title: "Blackhole traffic",
        data_source: DataSource::VpcFlowLogs,
        default_severity: 5.0,
        anchor: "trojan-ec2-blackholetraffic",
    },
    FindingType {
        name: "Trojan:EC2/DropPoint",
        title: "Drop point",
        data_source: DataSource::VpcFlowLogs,
        default_severity: 5.0,
        anchor: "trojan-ec2-droppoint",
    },
    FindingType {
        name: "Trojan:EC2/BlackholeTraffic!DNS",
        title: "Blackhole domain (DNS)",
        data_source: DataSource::DnsLogs,
        default_severity: 5.0,
        anchor: "trojan-ec2-blackholetrafficdns",
    },
    FindingType {
        name: "Trojan:EC2/DriveBySourceTraffic!DNS",
        title: "Drive-by download source (DNS)",
        data_source: DataSource::DnsLogs,
        default_severity: 8.0,
        anchor: "trojan-ec2-drivebysourcetrafficdns",
    },
    FindingType {
        name: "Trojan:EC2/DropPoint!DNS",
        title: "Drop point (DNS)",
        data_source: DataSource::DnsLogs,
        default_severity: 5.0,
        anchor: "trojan-ec2-droppointdns",
    },
    FindingType {
        name: "Trojan:EC2/DGADomainRequest.B",
        title: "DGA domain",
        data_source: DataSource::DnsLogs,
        default_severity: 8.0,
        anchor: "trojan-ec2-dgadomainrequestb",
    },
    FindingType {
        name: "Trojan:EC2/DGADomainRequest.C!DNS",
        title: "DGA domain (DNS)",
        data_source: DataSource::DnsLogs,
        default_severity: 8.0,
        anchor: "trojan-ec2-dgadomainrequestcdns",
    },
    FindingType {
        name: "Trojan:EC2/DNSDataExfiltration",
        title: "DNS data exfiltration",
        data_source: DataSource::DnsLogs,
        default_severity: 8.0,
        anchor: "trojan-ec2-dnsdataexfiltration",
    },
    FindingType {
        name: "Trojan:EC2/PhishingDomainRequest!DNS",
        title: "Phishing domain (DNS)",
        data_source: DataSource::DnsLogs,
        default_severity: 8.0,
        anchor: "trojan-ec2-phishingdomainrequestdns",
    },
];

/// The catalog entry for an exact type name, or `None` when the type is out of scope.
pub fn lookup(name: &str) -> Option<&'static FindingType> {
    FINDING_TYPES.iter().find(|t| t.name == name)
}

/// The position of a type in the catalog, used to order types; out-of-scope types sort last.
pub fn rank(name: &str) -> usize {
    FINDING_TYPES
        .iter()
        .position(|t| t.name == name)
        .unwrap_or(FINDING_TYPES.len())
}

/// Whether GuardDuty's type string names one of the ten types.
pub fn in_scope(name: &str) -> bool {
    lookup(name).is_some()
}

/// The ten type names, in catalog order, as the server-side filter wants them.
pub fn names() -> Vec<String> {
    FINDING_TYPES.iter().map(|t| t.name.to_owned()).collect()
}

fn is_china(region: Option<&str>) -> bool {
    region.is_some_and(|r| r.starts_with("cn-"))
}

/// The remediation guide in the documentation of `region`'s partition.
pub fn remediation_url_in(region: Option<&str>) -> String {
    if is_china(region) {
        format!("{CHINA_GUIDE}/compromised-ec2.html")
    } else {
        REMEDIATION_URL.to_owned()
    }
}

/// The finding in the GuardDuty console of its partition, or `None` when the region or id do
/// not look like AWS's (both come from the finding, which may have been written by anyone).
pub fn console_url(region: &str, finding_id: &str) -> Option<String> {
    let region_ok = !region.is_empty()
        && region.len() <= 32
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let id_ok = !finding_id.is_empty()
        && finding_id.len() <= 128
        && finding_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !(region_ok && id_ok) {
        return None;
    }
    let host = if region.starts_with("cn-") {
        format!("{region}.console.amazonaws.cn")
    } else if region.starts_with("us-gov-") {
        format!("{region}.console.amazonaws-us-gov.com")
    } else {
        format!("{region}.console.aws.amazon.com")
    };
    Some(format!(
        "https://{host}/guardduty/home?region={region}#/findings?fId={finding_id}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_exactly_the_ten_types_verbatim() {
        let names: Vec<&str> = FINDING_TYPES.iter().map(|t| t.name).collect();
        assert_eq!(
            names,
            [
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
            ]
        );
    }

    #[test]
    fn rejects_near_misses() {
        for near_miss in [
            "Backdoor:EC2/C&CActivity.B",
            "Trojan:Runtime/DropPoint!DNS",
            "Backdoor:Runtime/C&CActivity.B!DNS",
            "trojan:ec2/droppoint",
            "Trojan:EC2/DropPoint!dns",
            "Trojan:EC2/DropPoint ",
            " Trojan:EC2/DropPoint",
            "Trojan:EC2/DGADomainRequest.C",
            "",
        ] {
            assert!(!in_scope(near_miss), "{near_miss:?} must be out of scope");
        }
    }

    #[test]
    fn links_every_type_to_its_anchor_on_the_current_page() {
        let c2 = lookup("Backdoor:EC2/C&CActivity.B!DNS").expect("in catalog");
        assert_eq!(
            c2.doc_url(),
            "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html\
             #backdoor-ec2-ccactivitybdns"
        );
        for t in &FINDING_TYPES {
            let expected: String = t
                .name
                .to_lowercase()
                .chars()
                .map(|c| if c == ':' || c == '/' { '-' } else { c })
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            assert_eq!(t.anchor, expected, "anchor of {}", t.name);
        }
    }

    #[test]
    fn default_severities_follow_the_current_docs() {
        let medium = ["Trojan:EC2/BlackholeTraffic", "Trojan:EC2/DropPoint"];
        let medium_dns = [
            "Trojan:EC2/BlackholeTraffic!DNS",
            "Trojan:EC2/DropPoint!DNS",
        ];
        for t in &FINDING_TYPES {
            let expected = if medium.contains(&t.name) || medium_dns.contains(&t.name) {
                5.0
            } else {
                8.0
            };
            assert_eq!(t.default_severity, expected, "{}", t.name);
        }
        let flow: Vec<&str> = FINDING_TYPES
            .iter()
            .filter(|t| t.data_source == DataSource::VpcFlowLogs)
            .map(|t| t.name)
            .collect();
        assert_eq!(flow, medium);
    }

    #[test]
    fn ranks_types_in_catalog_order_and_unknown_last() {
        assert_eq!(rank("Backdoor:EC2/C&CActivity.B!DNS"), 0);
        assert_eq!(rank("Trojan:EC2/PhishingDomainRequest!DNS"), 9);
        assert_eq!(rank("Recon:EC2/PortProbeUnprotectedPort"), 10);
    }
    #[test]
    fn builds_console_links_on_the_partition_host() {
        assert_eq!(
            console_url("eu-west-1", "abc123").as_deref(),
            Some(
                "https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?fId=abc123"
            )
        );
        assert!(
            console_url("cn-north-1", "a")
                .unwrap()
                .starts_with("https://cn-north-1.console.amazonaws.cn/")
        );
        assert!(
            console_url("us-gov-west-1", "a")
                .unwrap()
                .starts_with("https://us-gov-west-1.console.amazonaws-us-gov.com/")
        );
    }

    #[test]
    fn links_china_regions_to_the_china_documentation_host() {
        let c2 = lookup("Backdoor:EC2/C&CActivity.B!DNS").unwrap();
        assert_eq!(
            c2.doc_url_in(Some("cn-northwest-1")),
            "https://docs.amazonaws.cn/en_us/guardduty/latest/ug/guardduty_finding-types-ec2.html\
             #backdoor-ec2-ccactivitybdns"
        );
        assert_eq!(c2.doc_url_in(Some("us-gov-west-1")), c2.doc_url());
        assert_eq!(c2.doc_url_in(None), c2.doc_url());
        assert_eq!(
            remediation_url_in(Some("cn-north-1")),
            "https://docs.amazonaws.cn/en_us/guardduty/latest/ug/compromised-ec2.html"
        );
        assert_eq!(remediation_url_in(Some("eu-west-1")), REMEDIATION_URL);
    }

    #[test]
    fn refuses_console_links_built_from_hostile_values() {
        assert_eq!(console_url("evil.example/x", "a"), None);
        assert_eq!(console_url("us-east-1", "a#b"), None);
        assert_eq!(console_url("", "a"), None);
        assert_eq!(console_url("us-east-1", "<script>"), None);
    }
}
