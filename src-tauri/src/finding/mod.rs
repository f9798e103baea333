//! The [`Finding`] model and the doors findings come in through.
//!
//! A finding enters from a file ([`parse`], [`files`]) or from a pull ([`sdk`]); both doors end
//! in the same parser, so a finding pulled from GuardDuty and the same finding read from an
//! export are equal. Every string in a finding may have been written by an attacker (domains,
//! tags, titles): the model keeps them as plain text and leaves escaping to each output.

mod document;
pub mod files;
pub mod parse;
pub mod sdk;

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

pub use parse::{Parsed, Skipped};

/// One GuardDuty finding, reduced to what triage needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// GuardDuty's finding id.
    pub id: String,
    /// The exact type string, e.g. `Trojan:EC2/DropPoint!DNS`.
    pub finding_type: String,
    /// The AWS account the finding belongs to.
    pub account_id: Option<String>,
    /// The region GuardDuty raised it in.
    pub region: Option<String>,
    /// GuardDuty's one-line summary.
    pub title: Option<String>,
    /// GuardDuty's severity number (1.0 to 10.0), when the finding has one.
    pub severity: Option<f64>,
    /// When GuardDuty created the finding.
    pub created_at: Option<DateTime<Utc>>,
    /// When GuardDuty last updated it.
    pub updated_at: Option<DateTime<Utc>>,
    /// The first time the activity was seen.
    pub event_first_seen: Option<DateTime<Utc>>,
    /// The last time the activity was seen.
    pub event_last_seen: Option<DateTime<Utc>>,
    /// How many times GuardDuty saw the activity (`service.count`).
    pub event_count: Option<u64>,
    /// Whether the finding is archived.
    pub archived: bool,
    /// Whether the finding is a sample (GuardDuty's `CreateSampleFindings` or ours).
    pub sample: bool,
    /// The EC2 instance the finding is about, when it names one.
    pub instance: Option<Instance>,
    /// What the instance talked to: domains and remote addresses, in the finding's order.
    pub indicators: Vec<Indicator>,
    /// The threat lists that matched, in the finding's order.
    pub threat_lists: Vec<String>,
}

impl Finding {
    /// The first time the activity was seen, else when the finding was created.
    pub fn first_seen(&self) -> Option<DateTime<Utc>> {
        self.event_first_seen.or(self.created_at)
    }

    /// The last time the activity was seen, else when the finding was updated.
    pub fn last_seen(&self) -> Option<DateTime<Utc>> {
        self.event_last_seen.or(self.updated_at)
    }

    /// The severity number used for ordering: a finding without one counts as 0.
    pub fn severity_or_zero(&self) -> f64 {
        self.severity.unwrap_or(0.0)
    }

    /// The severity band of the finding.
    pub fn severity_label(&self) -> SeverityLabel {
        SeverityLabel::of(self.severity)
    }

    /// The instance id, when the finding names an instance.
    pub fn instance_id(&self) -> Option<&str> {
        self.instance.as_ref().map(|i| i.id.as_str())
    }
}

/// The EC2 instance a finding is about.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Instance {
    /// The instance id; never empty.
    pub id: String,
    /// The value of the instance's `Name` tag.
    pub name: Option<String>,
    /// The instance type, e.g. `m5.large`.
    pub instance_type: Option<String>,
    /// The availability zone.
    pub availability_zone: Option<String>,
    /// The AMI it was launched from.
    pub image_id: Option<String>,
    /// The VPC of its first network interface.
    pub vpc_id: Option<String>,
    /// The first private address of its first network interface.
    pub private_ip: Option<String>,
    /// The first public address among its network interfaces.
    pub public_ip: Option<String>,
}

/// What kind of thing an indicator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    /// A domain name the instance looked up.
    Domain,
    /// A remote IPv4 or IPv6 address (possibly redacted text, kept as found).
    Ip,
}

impl IndicatorKind {
    /// The word used in CSV and the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::Domain => "domain",
            IndicatorKind::Ip => "ip",
        }
    }
}

/// A domain or address a finding says the instance communicated with.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
pub struct Indicator {
    /// Domain or IP.
    pub kind: IndicatorKind,
    /// The value as written in the finding, never defanged, without port.
    pub value: String,
    /// The remote port, when the finding gives one.
    pub port: Option<u16>,
}

/// GuardDuty's severity bands, plus `Unknown` for a finding without a severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
pub enum SeverityLabel {
    /// No severity in the finding.
    Unknown,
    /// Below 4.0.
    Low,
    /// 4.0 to below 7.0.
    Medium,
    /// 7.0 to below 9.0.
    High,
    /// 9.0 and above.
    Critical,
}

impl SeverityLabel {
    /// The band of a severity number.
    pub fn of(severity: Option<f64>) -> Self {
        match severity {
            None => SeverityLabel::Unknown,
            Some(s) if s < 4.0 => SeverityLabel::Low,
            Some(s) if s < 7.0 => SeverityLabel::Medium,
            Some(s) if s < 9.0 => SeverityLabel::High,
            Some(_) => SeverityLabel::Critical,
        }
    }

    /// The label as written in CSV and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SeverityLabel::Unknown => "Unknown",
            SeverityLabel::Low => "Low",
            SeverityLabel::Medium => "Medium",
            SeverityLabel::High => "High",
            SeverityLabel::Critical => "Critical",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_severities_by_guardduty_bands() {
        let cases = [
            (None, "Unknown"),
            (Some(0.0), "Low"),
            (Some(3.9), "Low"),
            (Some(4.0), "Medium"),
            (Some(6.9), "Medium"),
            (Some(7.0), "High"),
            (Some(8.9), "High"),
            (Some(9.0), "Critical"),
            (Some(10.0), "Critical"),
        ];
        for (severity, label) in cases {
            assert_eq!(SeverityLabel::of(severity).as_str(), label, "{severity:?}");
        }
    }
}
