//! The analyst's view of a set of findings: one finding per id, the ten types kept, grouped by
//! the instance that did the talking, worst first.
//!
//! A [`Review`] is built once per pull or import and then only read: the UI pages through its
//! groups and asks for one group's findings at a time.

pub mod view;

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};

use crate::catalog;
use crate::finding::{Finding, Skipped};

pub use view::{FindingView, GroupPage, GroupQuery, GroupSummary, GroupView};

/// Which finding types a review keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only the ten catalog types (the default).
    Catalog,
    /// Every type (`--all-types`).
    AllTypes,
}

/// The findings of one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The account the instance lives in.
    pub account_id: Option<String>,
    /// The region the instance lives in.
    pub region: Option<String>,
    /// The instance id.
    pub instance_id: String,
    /// Indexes into [`Review::findings`], newest first.
    findings: Vec<usize>,
    /// The highest severity among the findings (0 when none has one).
    pub max_severity: f64,
    /// The earliest first-seen time.
    pub first_seen: Option<DateTime<Utc>>,
    /// The latest last-seen time.
    pub last_seen: Option<DateTime<Utc>>,
    /// The sum of the findings' event counts.
    pub event_count: u64,
    /// The distinct finding types, in catalog order.
    pub types: Vec<String>,
    /// The distinct indicator values, sorted.
    pub indicators: Vec<String>,
    /// Lower-cased text the filter box searches.
    haystack: String,
}

impl Group {
    /// The key the UI uses to ask for this group.
    pub fn key(&self) -> String {
        group_key(
            self.account_id.as_deref(),
            self.region.as_deref(),
            &self.instance_id,
        )
    }
}

fn group_key(account: Option<&str>, region: Option<&str>, instance: &str) -> String {
    format!(
        "{}/{}/{}",
        account.unwrap_or_default(),
        region.unwrap_or_default(),
        instance
    )
}

/// Findings grouped by instance, and what was left out on the way.
#[derive(Debug, Clone, Default)]
pub struct Review {
    findings: Vec<Finding>,
    groups: Vec<Group>,
    by_key: HashMap<String, usize>,
    without_instance: Vec<usize>,
    /// How many findings were left out because of their type; `None` when not known (a pull
    /// filters on the server and never sees them).
    pub out_of_scope: Option<usize>,
    /// The records and files that could not be read.
    pub skipped: Vec<Skipped>,
}

impl Review {
    /// Builds the review of `findings`: duplicates of one id keep the copy updated last, the
    /// scope decides which types stay, and the rest is grouped by (account, region, instance).
    pub fn build(findings: Vec<Finding>, scope: Scope, skipped: Vec<Skipped>) -> Review {
        let findings = latest_per_id(findings);
        let total = findings.len();
        let findings: Vec<Finding> = match scope {
            Scope::AllTypes => findings,
            Scope::Catalog => findings
                .into_iter()
                .filter(|f| catalog::in_scope(&f.finding_type))
                .collect(),
        };
        let out_of_scope = Some(total - findings.len());
        let mut review = Review {
            findings,
            out_of_scope,
            skipped,
            ..Review::default()
        };
        review.group();
        review
    }

    fn group(&mut self) {
        let mut order: Vec<usize> = (0..self.findings.len()).collect();
        order.sort_by(|&a, &b| newest_first(&self.findings[a], &self.findings[b]));

        let mut index: HashMap<String, usize> = HashMap::new();
        for i in order {
            let finding = &self.findings[i];
            let Some(instance) = finding.instance_id() else {
                self.without_instance.push(i);
                continue;
            };
            let key = group_key(
                finding.account_id.as_deref(),
                finding.region.as_deref(),
                instance,
            );
            let slot = *index.entry(key).or_insert_with(|| {
                self.groups.push(Group {
                    account_id: finding.account_id.clone(),
                    region: finding.region.clone(),
                    instance_id: instance.to_owned(),
                    findings: Vec::new(),
                    max_severity: 0.0,
                    first_seen: None,
                    last_seen: None,
                    event_count: 0,
                    types: Vec::new(),
                    indicators: Vec::new(),
                    haystack: String::new(),
                });
                self.groups.len() - 1
            });
            self.groups[slot].findings.push(i);
        }
        for group in &mut self.groups {
            summarise(group, &self.findings);
        }
        self.groups.sort_by(|a, b| {
            b.max_severity
                .total_cmp(&a.max_severity)
                .then_with(|| b.last_seen.cmp(&a.last_seen))
                .then_with(|| a.instance_id.cmp(&b.instance_id))
                .then_with(|| a.account_id.cmp(&b.account_id))
                .then_with(|| a.region.cmp(&b.region))
        });
        self.by_key = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.key(), i))
            .collect();
    }

    /// Every finding kept, in no particular order.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The groups, worst first.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// A group by its [`Group::key`].
    pub fn group_by_key(&self, key: &str) -> Option<&Group> {
        self.by_key.get(key).map(|&i| &self.groups[i])
    }

    /// A group's findings, newest first.
    pub fn findings_of<'a>(&'a self, group: &'a Group) -> impl Iterator<Item = &'a Finding> {
        group.findings.iter().map(|&i| &self.findings[i])
    }

    /// The findings that name no instance, newest first.
    pub fn without_instance(&self) -> impl Iterator<Item = &Finding> {
        self.without_instance.iter().map(|&i| &self.findings[i])
    }

    /// How many findings name no instance.
    pub fn without_instance_count(&self) -> usize {
        self.without_instance.len()
    }

    /// Every finding in export order: the groups worst first, each newest first, then the
    /// findings without an instance.
    pub fn findings_in_order(&self) -> impl Iterator<Item = &Finding> {
        self.groups
            .iter()
            .flat_map(|g| self.findings_of(g))
            .chain(self.without_instance())
    }

    /// The groups whose instance, name, account, region, type or indicator contains `filter`
    /// (case-insensitive); all groups for an empty filter.
    pub fn filtered<'a>(&'a self, filter: &str) -> impl Iterator<Item = &'a Group> {
        let needle = filter.trim().to_lowercase();
        self.groups
            .iter()
            .filter(move |g| needle.is_empty() || g.haystack.contains(&needle))
    }

    /// Whether every finding is a sample.
    pub fn all_samples(&self) -> bool {
        !self.findings.is_empty() && self.findings.iter().all(|f| f.sample)
    }
}

/// Newest first by last seen, then by id so the order never depends on input order.
fn newest_first(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    b.last_seen()
        .cmp(&a.last_seen())
        .then_with(|| a.id.cmp(&b.id))
}

/// The same finding id seen twice (an export holds every update) keeps the copy updated last.
fn latest_per_id(findings: Vec<Finding>) -> Vec<Finding> {
    let mut position: HashMap<String, usize> = HashMap::with_capacity(findings.len());
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings {
        match position.get(&finding.id) {
            Some(&at) => {
                if finding.updated_at > kept[at].updated_at {
                    kept[at] = finding;
                }
            }
            None => {
                position.insert(finding.id.clone(), kept.len());
                kept.push(finding);
            }
        }
    }
    kept
}

fn summarise(group: &mut Group, findings: &[Finding]) {
    let mut types = BTreeSet::new();
    let mut indicators = BTreeSet::new();
    let mut names = BTreeSet::new();
    for &i in &group.findings {
        let f = &findings[i];
        group.max_severity = group.max_severity.max(f.severity_or_zero());
        group.first_seen = min_some(group.first_seen, f.first_seen());
        group.last_seen = group.last_seen.max(f.last_seen());
        group.event_count = group.event_count.saturating_add(f.event_count.unwrap_or(0));
        types.insert((catalog::rank(&f.finding_type), f.finding_type.as_str()));
        indicators.extend(f.indicators.iter().map(|i| i.value.as_str()));
        if let Some(name) = f.instance.as_ref().and_then(|i| i.name.as_deref()) {
            names.insert(name);
        }
    }
    group.types = types.into_iter().map(|(_, t)| t.to_owned()).collect();
    group.indicators = indicators.into_iter().map(str::to_owned).collect();
    let mut haystack = vec![group.instance_id.as_str()];
    haystack.extend(group.account_id.as_deref());
    haystack.extend(group.region.as_deref());
    haystack.extend(names);
    haystack.extend(group.types.iter().map(String::as_str));
    haystack.extend(group.indicators.iter().map(String::as_str));
    group.haystack = haystack.join("\n").to_lowercase();
}

fn min_some(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Indicator, IndicatorKind, Instance};

    fn at(text: &str) -> Option<DateTime<Utc>> {
        crate::time::parse_text(text)
    }

    fn finding(id: &str, kind: &str, instance: Option<&str>, severity: f64, seen: &str) -> Finding {
        Finding {
            id: id.into(),
            finding_type: kind.into(),
            account_id: Some("123456789012".into()),
            region: Some("us-east-1".into()),
            title: None,
            severity: Some(severity),
            created_at: at(seen),
            updated_at: at(seen),
            event_first_seen: None,
            event_last_seen: None,
            event_count: Some(2),
            archived: false,
            sample: false,
            instance: instance.map(|id| Instance {
                id: id.into(),
                ..Instance::default()
            }),
            indicators: vec![Indicator {
                kind: IndicatorKind::Domain,
                value: format!("{id}.example"),
                port: None,
            }],
            threat_lists: vec![],
        }
    }

    const DNS: &str = "Trojan:EC2/DropPoint!DNS";
    const C2: &str = "Backdoor:EC2/C&CActivity.B!DNS";

    #[test]
    fn groups_findings_of_one_instance_across_types() {
        let review = Review::build(
            vec![
                finding("a", DNS, Some("i-1"), 5.0, "2026-12-01T00:00:00Z"),
                finding("b", C2, Some("i-1"), 8.0, "2026-12-02T00:00:00Z"),
                finding("c", DNS, Some("i-2"), 5.0, "2026-12-03T00:00:00Z"),
            ],
            Scope::Catalog,
            vec![],
        );
        let groups = review.groups();
        assert_eq!(groups.len(), 2);
        let first = &groups[0];
        assert_eq!(first.instance_id, "i-1");
        assert_eq!(first.max_severity, 8.0);
        assert_eq!(first.types, [C2, DNS]);
        assert_eq!(first.indicators, ["a.example", "b.example"]);
        assert_eq!(first.event_count, 4);
        assert_eq!(first.first_seen, at("2026-12-01T00:00:00Z"));
        assert_eq!(first.last_seen, at("2026-12-02T00:00:00Z"));
        let ids: Vec<&str> = review.findings_of(first).map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["b", "a"]);
    }

    #[test]
    fn orders_groups_by_severity_then_recency_then_instance_id() {
        let review = Review::build(
            vec![
                finding("a", DNS, Some("i-b"), 5.0, "2026-12-01T00:00:00Z"),
                finding("b", DNS, Some("i-a"), 5.0, "2026-12-01T00:00:00Z"),
                finding("c", DNS, Some("i-c"), 5.0, "2026-12-02T00:00:00Z"),
                finding("d", C2, Some("i-d"), 8.0, "2026-11-01T00:00:00Z"),
            ],
            Scope::Catalog,
            vec![],
        );
        let order: Vec<&str> = review
            .groups()
            .iter()
            .map(|g| g.instance_id.as_str())
            .collect();
        assert_eq!(order, ["i-d", "i-c", "i-a", "i-b"]);
    }

    #[test]
    fn keeps_findings_without_an_instance_apart_and_counts_them() {
        let review = Review::build(
            vec![
                finding("a", DNS, None, 5.0, "2026-12-01T00:00:00Z"),
                finding("b", DNS, Some("i-1"), 5.0, "2026-12-01T00:00:00Z"),
            ],
            Scope::Catalog,
            vec![],
        );
        assert_eq!(review.without_instance_count(), 1);
        assert_eq!(review.without_instance().next().unwrap().id, "a");
        let all: Vec<&str> = review.findings_in_order().map(|f| f.id.as_str()).collect();
        assert_eq!(all, ["b", "a"]);
    }

    #[test]
    fn counts_out_of_scope_types_unless_all_types_are_asked_for() {
        let input = vec![
            finding(
                "a",
                "Recon:EC2/PortProbeUnprotectedPort",
                Some("i-1"),
                2.0,
                "2026-12-01T00:00:00Z",
            ),
            finding(
                "b",
                "Backdoor:EC2/C&CActivity.B",
                Some("i-1"),
                8.0,
                "2026-12-01T00:00:00Z",
            ),
            finding("c", DNS, Some("i-1"), 5.0, "2026-12-01T00:00:00Z"),
        ];
        let catalog = Review::build(input.clone(), Scope::Catalog, vec![]);
        assert_eq!(catalog.out_of_scope, Some(2));
        assert_eq!(catalog.findings().len(), 1);
        let all = Review::build(input, Scope::AllTypes, vec![]);
        assert_eq!(all.out_of_scope, Some(0));
        assert_eq!(all.findings().len(), 3);
    }

    #[test]
    fn keeps_the_latest_update_of_a_finding_seen_twice() {
        let mut old = finding("a", DNS, Some("i-1"), 5.0, "2026-12-01T00:00:00Z");
        old.event_count = Some(1);
        let mut new = finding("a", DNS, Some("i-1"), 5.0, "2026-12-02T00:00:00Z");
        new.event_count = Some(9);
        for input in [vec![old.clone(), new.clone()], vec![new, old]] {
            let review = Review::build(input, Scope::Catalog, vec![]);
            assert_eq!(review.findings().len(), 1);
            assert_eq!(review.findings()[0].event_count, Some(9));
        }
    }

    #[test]
    fn filters_groups_by_indicator_instance_or_type_ignoring_case() {
        let review = Review::build(
            vec![
                finding("alpha", DNS, Some("i-1"), 5.0, "2026-12-01T00:00:00Z"),
                finding("beta", C2, Some("i-2"), 8.0, "2026-12-01T00:00:00Z"),
            ],
            Scope::Catalog,
            vec![],
        );
        let ids = |filter: &str| -> Vec<String> {
            review
                .filtered(filter)
                .map(|g| g.instance_id.clone())
                .collect()
        };
        assert_eq!(ids("ALPHA.example"), ["i-1"]);
        assert_eq!(ids("c&cactivity"), ["i-2"]);
        assert_eq!(ids("i-2"), ["i-2"]);
        assert_eq!(ids(""), ["i-2", "i-1"]);
        assert!(ids("nothing-matches").is_empty());
        assert_eq!(
            review
                .group_by_key("123456789012/us-east-1/i-1")
                .unwrap()
                .instance_id,
            "i-1"
        );
    }
}
