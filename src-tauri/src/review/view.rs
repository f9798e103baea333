//! The shapes the UI and the JSON output read: plain, camelCase, ready to show.
//!
//! Times are ISO-8601 UTC strings; links are built here, from the catalog, so no output has to
//! build a URL out of a string an attacker wrote.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Group, Review};
use crate::catalog;
use crate::finding::{Finding, Indicator, SeverityLabel};
use crate::time;

/// One finding as the UI and the JSON output show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindingView {
    /// GuardDuty's finding id.
    pub id: String,
    /// The exact finding type.
    #[serde(rename = "type")]
    pub finding_type: String,
    /// The catalog's short title of the type; `None` outside the catalog.
    pub type_title: Option<String>,
    /// GuardDuty's one-line summary.
    pub title: Option<String>,
    /// The account.
    pub account_id: Option<String>,
    /// The region.
    pub region: Option<String>,
    /// The instance id, when the finding names one.
    pub instance_id: Option<String>,
    /// The instance's `Name` tag.
    pub instance_name: Option<String>,
    /// The severity number; 0 when the finding has none.
    pub severity: f64,
    /// The severity band.
    pub severity_label: SeverityLabel,
    /// Plain indicator values, without port.
    pub indicators: Vec<String>,
    /// The indicators with their kind and port.
    pub indicator_details: Vec<Indicator>,
    /// The threat lists that matched.
    pub threat_lists: Vec<String>,
    /// How many times the activity was seen.
    #[ts(type = "number | null")]
    pub event_count: Option<u64>,
    /// First seen (ISO-8601 UTC).
    pub first_seen: Option<String>,
    /// Last seen (ISO-8601 UTC).
    pub last_seen: Option<String>,
    /// Last updated by GuardDuty (ISO-8601 UTC).
    pub updated_at: Option<String>,
    /// Whether the finding is archived.
    pub archived: bool,
    /// Whether the finding is a sample.
    pub sample: bool,
    /// The type's GuardDuty documentation; `None` outside the catalog.
    pub doc_url: Option<String>,
    /// AWS's guide to remediating a compromised EC2 instance.
    pub remediation_url: String,
    /// The finding in the GuardDuty console.
    pub console_url: Option<String>,
}

impl FindingView {
    /// The view of one finding.
    pub fn of(finding: &Finding) -> FindingView {
        let entry = catalog::lookup(&finding.finding_type);
        let instance = finding.instance.as_ref();
        FindingView {
            id: finding.id.clone(),
            finding_type: finding.finding_type.clone(),
            type_title: entry.map(|t| t.title.to_owned()),
            title: finding.title.clone(),
            account_id: finding.account_id.clone(),
            region: finding.region.clone(),
            instance_id: instance.map(|i| i.id.clone()),
            instance_name: instance.and_then(|i| i.name.clone()),
            severity: finding.severity_or_zero(),
            severity_label: finding.severity_label(),
            indicators: finding.indicators.iter().map(|i| i.value.clone()).collect(),
            indicator_details: finding.indicators.clone(),
            threat_lists: finding.threat_lists.clone(),
            event_count: finding.event_count,
            first_seen: finding.first_seen().as_ref().map(time::format),
            last_seen: finding.last_seen().as_ref().map(time::format),
            updated_at: finding.updated_at.as_ref().map(time::format),
            archived: finding.archived,
            sample: finding.sample,
            doc_url: entry.map(|t| t.doc_url_in(finding.region.as_deref())),
            remediation_url: catalog::remediation_url_in(finding.region.as_deref()),
            console_url: finding
                .region
                .as_deref()
                .and_then(|region| catalog::console_url(region, &finding.id)),
        }
    }
}

/// One instance and what it did, without its findings.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupSummary {
    /// The key to ask for this group's findings with.
    pub key: String,
    /// The account.
    pub account_id: Option<String>,
    /// The region.
    pub region: Option<String>,
    /// The instance id.
    pub instance_id: String,
    /// The instance's `Name` tag, from its newest finding that has one.
    pub instance_name: Option<String>,
    /// The instance type.
    pub instance_type: Option<String>,
    /// The VPC.
    pub vpc_id: Option<String>,
    /// The first private address.
    pub private_ip: Option<String>,
    /// How many findings.
    pub finding_count: u32,
    /// The sum of the findings' event counts.
    #[ts(type = "number")]
    pub event_count: u64,
    /// The highest severity.
    pub max_severity: f64,
    /// The band of the highest severity.
    pub severity_label: SeverityLabel,
    /// The earliest first-seen (ISO-8601 UTC).
    pub first_seen: Option<String>,
    /// The latest last-seen (ISO-8601 UTC).
    pub last_seen: Option<String>,
    /// The types, in catalog order.
    pub types: Vec<String>,
    /// The distinct indicator values, sorted.
    pub indicators: Vec<String>,
    /// Whether every finding of the group is a sample.
    pub sample: bool,
}

impl GroupSummary {
    /// The summary of `group` in `review`.
    pub fn of(review: &Review, group: &Group) -> GroupSummary {
        let findings: Vec<&Finding> = review.findings_of(group).collect();
        // Findings are newest first, so the first one that knows a detail has the latest.
        let latest =
            |pick: fn(&Finding) -> Option<&String>| findings.iter().find_map(|f| pick(f)).cloned();
        let label = if findings.iter().any(|f| f.severity.is_some()) {
            SeverityLabel::of(Some(group.max_severity))
        } else {
            SeverityLabel::Unknown
        };
        GroupSummary {
            key: group.key(),
            account_id: group.account_id.clone(),
            region: group.region.clone(),
            instance_id: group.instance_id.clone(),
            instance_name: latest(|f| f.instance.as_ref()?.name.as_ref()),
            instance_type: latest(|f| f.instance.as_ref()?.instance_type.as_ref()),
            vpc_id: latest(|f| f.instance.as_ref()?.vpc_id.as_ref()),
            private_ip: latest(|f| f.instance.as_ref()?.private_ip.as_ref()),
            finding_count: u32::try_from(findings.len()).unwrap_or(u32::MAX),
            event_count: group.event_count,
            max_severity: group.max_severity,
            severity_label: label,
            first_seen: group.first_seen.as_ref().map(time::format),
            last_seen: group.last_seen.as_ref().map(time::format),
            types: group.types.clone(),
            indicators: group.indicators.clone(),
            sample: findings.iter().all(|f| f.sample),
        }
    }
}

/// A group with its findings, as `--json` writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupView {
    /// Everything about the instance.
    #[serde(flatten)]
    pub summary: GroupSummary,
    /// Its findings, newest first.
    pub findings: Vec<FindingView>,
}

impl GroupView {
    /// The full view of `group` in `review`.
    pub fn of(review: &Review, group: &Group) -> GroupView {
        GroupView {
            summary: GroupSummary::of(review, group),
            findings: review.findings_of(group).map(FindingView::of).collect(),
        }
    }
}

/// Which groups the UI wants: those matching `filter`, from `offset`, at most `limit`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupQuery {
    /// Text to look for in instance, name, account, region, type and indicators.
    pub filter: String,
    /// How many matching groups to pass over.
    pub offset: u32,
    /// How many groups to return at most.
    pub limit: u32,
}

/// One page of groups.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupPage {
    /// How many groups match the filter in all.
    pub total: u32,
    /// The offset this page starts at.
    pub offset: u32,
    /// The groups of this page.
    pub groups: Vec<GroupSummary>,
}

impl GroupPage {
    /// The page of `review` that `query` asks for; `limit` is capped at 1,000.
    pub fn of(review: &Review, query: &GroupQuery) -> GroupPage {
        let matching: Vec<&Group> = review.filtered(&query.filter).collect();
        let groups = matching
            .iter()
            .skip(query.offset as usize)
            .take(query.limit.min(1000) as usize)
            .map(|group| GroupSummary::of(review, group))
            .collect();
        GroupPage {
            total: u32::try_from(matching.len()).unwrap_or(u32::MAX),
            offset: query.offset,
            groups,
        }
    }
}
