//! The one finding parser: JSON documents in every shape GuardDuty findings travel in.
//!
//! A document can be a GetFindings response (`{"findings": [...]}`), `aws guardduty
//! get-findings` output (`{"Findings": [...]}`, PascalCase), an EventBridge event (one finding,
//! or a `findings` array, under `detail`), a single finding, or a JSON array of any of these.
//! A record is usable when it has an `id` and a `type`; everything else is optional. A record
//! that cannot be used is reported in [`Parsed::skipped`] and the others are kept.

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::document::Node;
use super::{Finding, Indicator, IndicatorKind, Instance};
use crate::time;

/// A record or file that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Skipped {
    /// The file (or other source) the record came from.
    pub source: String,
    /// The 1-based line the record starts on, when that applies.
    pub line: Option<u32>,
    /// What was wrong, in words the analyst can act on.
    pub reason: String,
}

/// The findings read from one or more documents, and what had to be skipped.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parsed {
    /// Every usable finding, in document order.
    pub findings: Vec<Finding>,
    /// Every record that could not be used.
    pub skipped: Vec<Skipped>,
}

impl Parsed {
    /// Adds another result after this one.
    pub fn append(&mut self, mut other: Parsed) {
        self.findings.append(&mut other.findings);
        self.skipped.append(&mut other.skipped);
    }

    /// Records that `source` (at `line`) was skipped, and why.
    pub fn skip(&mut self, source: &str, line: Option<u32>, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            source: source.to_owned(),
            line,
            reason: reason.into(),
        });
    }
}

/// Facts from an enclosing EventBridge event that fill what the finding leaves out.
#[derive(Clone, Copy, Default)]
struct Envelope<'a> {
    account: Option<&'a str>,
    region: Option<&'a str>,
}

/// Reads every finding in one JSON document read from `source`, starting at `line`.
pub fn read_document(value: &Value, source: &str, line: Option<u32>, out: &mut Parsed) {
    read_document_within(value, source, line, out, &mut SkipBudget::unlimited());
}

/// Reads one finding object (camelCase or PascalCase).
///
/// # Errors
///
/// The reason the record cannot be used: it has no `id` or no `type`.
pub fn read_finding(value: &Value) -> Result<Finding, String> {
    finding(Node(value), Envelope::default())
}

/// Like [`read_document`], but lists skipped records only while `budget` lasts.
pub(crate) fn read_document_within(
    value: &Value,
    source: &str,
    line: Option<u32>,
    out: &mut Parsed,
    budget: &mut SkipBudget,
) {
    let mut walk = Walk {
        source,
        line,
        out,
        budget,
    };
    walk.node(Node(value), Envelope::default(), "");
}

/// How many more skipped records one file may list; the rest are only counted.
///
/// A file of millions of broken records (`[0,0,0,...]`) would otherwise hold a message for each
/// in memory and print them all: the first ones say what is wrong, a count says how much.
#[derive(Debug)]
pub(crate) struct SkipBudget {
    left: usize,
    unlisted: u64,
}

impl SkipBudget {
    /// A budget that lists the first `listed` skipped records.
    pub(crate) fn new(listed: usize) -> Self {
        SkipBudget {
            left: listed,
            unlisted: 0,
        }
    }

    fn unlimited() -> Self {
        SkipBudget::new(usize::MAX)
    }

    /// Lists the skip while the budget lasts, else counts it; the reason is only written when
    /// it is listed.
    pub(crate) fn skip(
        &mut self,
        out: &mut Parsed,
        source: &str,
        line: Option<u32>,
        reason: impl FnOnce() -> String,
    ) {
        if self.left == 0 {
            self.unlisted = self.unlisted.saturating_add(1);
        } else {
            self.left -= 1;
            out.skip(source, line, reason());
        }
    }

    /// How many skipped records were counted but not listed.
    pub(crate) fn unlisted(&self) -> u64 {
        self.unlisted
    }
}

/// One walk through a document: where it came from and where its findings go.
struct Walk<'w> {
    source: &'w str,
    line: Option<u32>,
    out: &'w mut Parsed,
    budget: &'w mut SkipBudget,
}

impl Walk<'_> {
    fn skip(&mut self, reason: impl FnOnce() -> String) {
        self.budget.skip(self.out, self.source, self.line, reason);
    }

    fn keep(&mut self, found: Result<Finding, String>, at: &str) {
        match found {
            Ok(finding) => self.out.findings.push(finding),
            Err(reason) => self.skip(|| format!("{}{reason}", prefix(at))),
        }
    }

    /// Reads the node at path `at`. A document serde_json parsed nests at most 128 levels deep,
    /// which bounds this recursion.
    fn node(&mut self, node: Node, envelope: Envelope, at: &str) {
        match node.0 {
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.node(Node(item), envelope, &format!("{at}[{index}]"));
                }
            }
            Value::Object(_) => {
                if let Some(list) = node.get("findings") {
                    let Value::Array(items) = list.0 else {
                        self.skip(|| format!("{}\"findings\" is not a list", prefix(at)));
                        return;
                    };
                    for (index, item) in items.iter().enumerate() {
                        self.keep(
                            finding(Node(item), envelope),
                            &format!("{at}findings[{index}]"),
                        );
                    }
                } else if let Some(detail) = node.get("detail").filter(|d| d.is_object()) {
                    let envelope = Envelope {
                        account: node.text(&["account"]).or(envelope.account),
                        region: node.text(&["region"]).or(envelope.region),
                    };
                    self.node(detail, envelope, &format!("{at}detail"));
                } else if node.get("id").is_some() || node.get("type").is_some() {
                    self.keep(finding(node, envelope), at);
                } else {
                    self.skip(|| {
                        format!(
                            "{}holds no GuardDuty finding: expected a finding, \
                             {{\"findings\": [...]}}, an EventBridge event, or a list of these",
                            prefix(at)
                        )
                    });
                }
            }
            other => {
                let kind = match other {
                    Value::Null => "null",
                    Value::Bool(_) => "a boolean",
                    Value::Number(_) => "a number",
                    _ => "a string",
                };
                self.skip(|| format!("{}is {kind}, not a finding document", prefix(at)));
            }
        }
    }
}

/// `at` as the start of a reason: `findings[3]: `, or nothing at the top of the document.
fn prefix(at: &str) -> String {
    if at.is_empty() {
        String::new()
    } else {
        format!("{at}: ")
    }
}

/// A finding id as a reason quotes it: as written when it is short and plain; otherwise in
/// quotes, with control and formatting characters escaped and cut short, because reasons reach
/// terminals.
fn quoted_id(id: &str) -> String {
    const SHOWN: usize = 64;
    let plain = |c: char| !c.is_control() && !is_format(c);
    let long = id.chars().nth(SHOWN).is_some();
    if !long && id.chars().all(plain) {
        return id.to_owned();
    }
    let shown: String = id
        .chars()
        .take(SHOWN)
        .map(|c| {
            if plain(c) {
                c.to_string()
            } else {
                c.escape_unicode().to_string()
            }
        })
        .collect();
    format!("\"{shown}{}\"", if long { "..." } else { "" })
}

/// Unicode format characters that reorder or hide text on screen (bidirectional overrides and
/// isolates, zero-width characters).
fn is_format(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

fn finding(node: Node, envelope: Envelope) -> Result<Finding, String> {
    if !node.is_object() {
        return Err("is not a JSON object".to_owned());
    }
    let id = node.string(&["id"]).ok_or("the finding has no \"id\"")?;
    let finding_type = node
        .text(&["type"])
        .ok_or_else(|| format!("finding {} has no \"type\"", quoted_id(&id)))?
        .to_owned();
    // arn:aws:guardduty:<region>:<account>:detector/...
    let arn: Vec<&str> = node
        .text(&["arn"])
        .map(|a| a.split(':').collect())
        .unwrap_or_default();
    let from_arn = |index: usize| arn.get(index).copied().filter(|part| !part.is_empty());
    let additional = Value::Object(additional_info(node));
    let info = Node(&additional);

    Ok(Finding {
        id,
        finding_type,
        account_id: node
            .string(&["accountId"])
            .or_else(|| envelope.account.map(str::to_owned))
            .or_else(|| from_arn(4).map(str::to_owned)),
        region: node
            .text(&["region"])
            .or(envelope.region)
            .or_else(|| from_arn(3))
            .map(str::to_owned),
        title: node.string(&["title"]),
        severity: node.number(&["severity"]),
        created_at: timestamp(node, &["createdAt"]),
        updated_at: timestamp(node, &["updatedAt"]),
        event_first_seen: timestamp(node, &["service", "eventFirstSeen"]),
        event_last_seen: timestamp(node, &["service", "eventLastSeen"]),
        event_count: node
            .number(&["service", "count"])
            .filter(|count| *count >= 0.0 && *count <= u64::MAX as f64)
            .map(|count| count as u64),
        archived: node.boolean(&["service", "archived"]).unwrap_or(false),
        sample: info.boolean(&["sample"]) == Some(true),
        instance: instance(node),
        indicators: indicators(node),
        threat_lists: threat_lists(node, info),
    })
}

fn timestamp(node: Node, path: &[&str]) -> Option<chrono::DateTime<chrono::Utc>> {
    match node.at(path)?.0 {
        Value::String(text) => time::parse_text(text),
        Value::Number(number) => number.as_f64().and_then(time::parse_epoch),
        _ => None,
    }
}

/// `service.additionalInfo` as one object: on the wire its keys sit inside the JSON string
/// `value`; older exports and tools flatten them beside it. Both are read.
fn additional_info(node: Node) -> serde_json::Map<String, Value> {
    let Some(info) = node.at(&["service", "additionalInfo"]) else {
        return serde_json::Map::new();
    };
    let mut merged = info
        .text(&["value"])
        .filter(|text| text.trim_start().starts_with('{'))
        .and_then(|text| serde_json::from_str::<serde_json::Map<String, Value>>(text).ok())
        .unwrap_or_default();
    if let Some(flat) = info.0.as_object() {
        for (key, value) in flat
            .iter()
            .filter(|(key, _)| !matches!(key.as_str(), "value" | "type"))
        {
            merged.insert(key.clone(), value.clone());
        }
    }
    merged
}

fn instance(node: Node) -> Option<Instance> {
    let details = node.at(&["resource", "instanceDetails"])?;
    let id = details.text(&["instanceId"])?.to_owned();
    let name = details
        .items(&["tags"])
        .find(|tag| tag.text(&["key"]) == Some("Name"))
        .and_then(|tag| tag.string(&["value"]));
    let interfaces: Vec<Node> = details.items(&["networkInterfaces"]).collect();
    let first = interfaces.first().copied();
    let private_ip = first.and_then(|eni| {
        eni.string(&["privateIpAddress"]).or_else(|| {
            eni.items(&["privateIpAddresses"])
                .find_map(|ip| ip.string(&["privateIpAddress"]))
        })
    });
    Some(Instance {
        id,
        name,
        instance_type: details.string(&["instanceType"]),
        availability_zone: details.string(&["availabilityZone"]),
        image_id: details.string(&["imageId"]),
        vpc_id: interfaces.iter().find_map(|eni| eni.string(&["vpcId"])),
        private_ip,
        public_ip: interfaces.iter().find_map(|eni| eni.string(&["publicIp"])),
    })
}

/// The domains and remote addresses in whichever action the finding holds; the type does not
/// decide which (a public sample has a `!DNS` type with a port-probe payload).
fn indicators(node: Node) -> Vec<Indicator> {
    let mut found = Vec::new();
    let Some(action) = node.at(&["service", "action"]) else {
        return found;
    };
    let domain = action
        .text(&["dnsRequestAction", "domain"])
        .or_else(|| action.text(&["dnsRequestAction", "domainWithSuffix"]));
    if let Some(domain) = domain {
        found.push(Indicator {
            kind: IndicatorKind::Domain,
            value: domain.to_owned(),
            port: None,
        });
    }
    if let Some(connection) = action.get("networkConnectionAction") {
        let port = connection
            .number(&["remotePortDetails", "port"])
            .filter(|p| (0.0..=65535.0).contains(p) && p.fract() == 0.0)
            .map(|p| p as u16);
        remote_ip(connection, port, &mut found);
    }
    for probe in action.items(&["portProbeAction", "portProbeDetails"]) {
        remote_ip(probe, None, &mut found);
    }
    if let Some(call) = action.get("awsApiCallAction") {
        remote_ip(call, None, &mut found);
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|indicator| seen.insert(indicator.clone()));
    found
}

fn remote_ip(holder: Node, port: Option<u16>, found: &mut Vec<Indicator>) {
    let address = holder
        .string(&["remoteIpDetails", "ipAddressV4"])
        .or_else(|| holder.string(&["remoteIpDetails", "ipAddressV6"]));
    if let Some(value) = address {
        found.push(Indicator {
            kind: IndicatorKind::Ip,
            value,
            port,
        });
    }
}

fn threat_lists(node: Node, info: Node) -> Vec<String> {
    let mut lists: Vec<String> = node
        .items(&["service", "evidence", "threatIntelligenceDetails"])
        .filter_map(|detail| detail.string(&["threatListName"]))
        .collect();
    if let Some(list) = info.string(&["threatListName"]) {
        lists.push(list);
    }
    let mut seen = std::collections::HashSet::new();
    lists.retain(|list| seen.insert(list.clone()));
    lists
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: Value) -> Parsed {
        let mut out = Parsed::default();
        read_document(&value, "test.json", Some(1), &mut out);
        out
    }

    fn dns_finding(id: &str, domain: &str) -> Value {
        json!({
            "id": id, "type": "Trojan:EC2/DropPoint!DNS", "accountId": "123456789012",
            "region": "eu-west-1", "severity": 5,
            "resource": {"instanceDetails": {"instanceId": "i-0abc", "tags": [
                {"key": "Team", "value": "web"}, {"key": "Name", "value": "web-1"}]}},
            "service": {"action": {"dnsRequestAction": {"domain": domain}}, "count": 4}
        })
    }

    #[test]
    fn reads_a_get_findings_response() {
        let out = read(
            json!({"findings": [dns_finding("a", "x.example"), dns_finding("b", "y.example")]}),
        );
        assert_eq!(out.skipped, []);
        let ids: Vec<&str> = out.findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        let first = &out.findings[0];
        assert_eq!(
            first.instance.as_ref().unwrap().name.as_deref(),
            Some("web-1")
        );
        assert_eq!(first.indicators[0].value, "x.example");
        assert_eq!(first.event_count, Some(4));
    }

    #[test]
    fn fills_account_and_region_from_the_eventbridge_envelope_then_the_arn() {
        let out = read(json!([
            {"detail-type": "GuardDuty Finding", "account": "111122223333", "region": "us-west-2",
             "detail": {"id": "a", "type": "Trojan:EC2/DropPoint"}},
            {"id": "b", "type": "Trojan:EC2/DropPoint",
             "arn": "arn:aws:guardduty:ap-south-1:444455556666:detector/d/finding/b"}
        ]));
        assert_eq!(out.findings[0].account_id.as_deref(), Some("111122223333"));
        assert_eq!(out.findings[0].region.as_deref(), Some("us-west-2"));
        assert_eq!(out.findings[1].account_id.as_deref(), Some("444455556666"));
        assert_eq!(out.findings[1].region.as_deref(), Some("ap-south-1"));
    }

    #[test]
    fn skips_records_without_id_or_type_and_keeps_the_rest() {
        let out = read(
            json!({"findings": [{"type": "Trojan:EC2/DropPoint"}, {"id": "x"}, dns_finding("ok", "d.example")]}),
        );
        assert_eq!(out.findings.len(), 1);
        let reasons: Vec<&str> = out.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "findings[0]: the finding has no \"id\"",
                "findings[1]: finding x has no \"type\""
            ]
        );
        assert_eq!(out.skipped[0].line, Some(1));
    }

    #[test]
    fn reports_documents_that_hold_no_finding() {
        let out = read(json!([{"hello": 1}, 42, {"findings": "nope"}]));
        assert_eq!(out.findings, []);
        assert_eq!(out.skipped.len(), 3);
        assert!(
            out.skipped[0]
                .reason
                .starts_with("[0]: holds no GuardDuty finding")
        );
        assert_eq!(
            out.skipped[1].reason,
            "[1]: is a number, not a finding document"
        );
        assert_eq!(out.skipped[2].reason, "[2]: \"findings\" is not a list");
    }

    #[test]
    fn reads_the_sample_flag_from_the_wire_string_and_the_flattened_key() {
        let wire = json!({"id": "a", "type": "t", "service": {"additionalInfo": {
            "type": "default", "value": "{\"sample\":true}"}}});
        let flat = json!({"id": "b", "type": "t", "service": {"additionalInfo": {"sample": true}}});
        let neither = json!({"id": "c", "type": "t", "service": {"additionalInfo": {
            "value": "{\"sample\":false,\"note\":\"sample\"}"}}});
        let out = read(json!([wire, flat, neither]));
        let samples: Vec<bool> = out.findings.iter().map(|f| f.sample).collect();
        assert_eq!(samples, [true, true, false]);
    }

    #[test]
    fn reads_every_remote_address_of_a_port_probe_whatever_the_type_says() {
        let out = read(
            json!({"Id": "p", "Type": "Trojan:EC2/DriveBySourceTraffic!DNS",
            "Service": {"Action": {"PortProbeAction": {"PortProbeDetails": [
                {"RemoteIpDetails": {"IpAddressV4": "198.51.100.1"}},
                {"RemoteIpDetails": {"IpAddressV4": "198.51.100.2"}},
                {"RemoteIpDetails": {"IpAddressV4": "198.51.100.1"}}]}}}}),
        );
        let values: Vec<&str> = out.findings[0]
            .indicators
            .iter()
            .map(|i| i.value.as_str())
            .collect();
        assert_eq!(values, ["198.51.100.1", "198.51.100.2"]);
    }

    #[test]
    fn keeps_the_remote_port_and_prefers_ipv4_over_ipv6() {
        let out = read(
            json!({"id": "n", "type": "Trojan:EC2/DropPoint", "service": {"action": {
            "networkConnectionAction": {"remoteIpDetails": {"ipAddressV4": "203.0.113.7",
                "ipAddressV6": "2001:db8::7"}, "remotePortDetails": {"port": 443}}}}}),
        );
        assert_eq!(
            out.findings[0].indicators,
            [Indicator {
                kind: IndicatorKind::Ip,
                value: "203.0.113.7".into(),
                port: Some(443)
            }]
        );
    }

    #[test]
    fn ignores_a_port_outside_the_port_range() {
        let out = read(
            json!({"id": "n", "type": "Trojan:EC2/DropPoint", "service": {"action": {
            "networkConnectionAction": {"remoteIpDetails": {"ipAddressV6": "2001:db8::7"},
                "remotePortDetails": {"port": 70000}}}}}),
        );
        assert_eq!(out.findings[0].indicators[0].port, None);
        assert_eq!(out.findings[0].indicators[0].value, "2001:db8::7");
    }

    #[test]
    fn does_not_take_an_instance_from_an_empty_instance_id() {
        let out = read(json!({"id": "e", "type": "Trojan:EC2/DropPoint",
            "resource": {"instanceDetails": {"instanceId": ""}}}));
        assert_eq!(out.findings[0].instance, None);
    }

    #[test]
    fn quotes_a_hostile_finding_id_in_a_reason_escaped_and_cut_short() {
        let out = read(json!([
            {"id": "evil\u{1b}]0;owned\u{7}\u{202e}", "type": null},
            {"id": "x".repeat(100)},
            {"id": "plain-id"}
        ]));
        let reasons: Vec<&str> = out.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "[0]: finding \"evil\\u{1b}]0;owned\\u{7}\\u{202e}\" has no \"type\"".to_owned(),
                format!("[1]: finding \"{}...\" has no \"type\"", "x".repeat(64)),
                "[2]: finding plain-id has no \"type\"".to_owned(),
            ]
        );
    }
}
