//! How each finding type looks: its action payload, severity, title and threat name.
//!
//! A finding's type decides which indicator it carries (a domain for DNS types, an address and
//! port for flow-log types, a list of probes for port probes); this table keeps those rules in
//! one place for the generator.

use serde_json::{Value, json};

use super::instance::Instance;
use crate::rng::SplitMix64;

/// The action payload a type carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ActionKind {
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
pub(super) struct TypeProfile {
    pub(super) kind: ActionKind,
    pub(super) severities: &'static [f64],
    pub(super) feature: &'static str,
    pub(super) role: &'static str,
    pub(super) title: &'static str,
    pub(super) threat_name: &'static str,
    /// The registrable domain DNS findings of this type query, below which labels vary.
    domain_suffix: &'static str,
}

const HIGH: &[f64] = &[8.0, 8.0, 8.0, 7.0, 7.5, 8.9];
const MEDIUM: &[f64] = &[5.0, 5.0, 5.0, 4.0, 5.5, 6.9];
const LOW: &[f64] = &[2.0, 2.0, 1.0, 3.0];

impl TypeProfile {
    pub(super) fn of(kind: &str) -> Self {
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
    pub(super) fn action(&self, instance: &Instance, rng: &mut SplitMix64) -> (Value, String) {
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
