//! The findings and detectors the emulator serves, per region.
//!
//! GuardDuty is regional: a detector and its findings live in one region, and a detector id
//! from another region is refused. The store keeps that shape, so that the server can answer
//! each call from the region named in its signature.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::ids::detector_id_for_region;

/// The findings of one region, in the order they were added, with an index by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct RegionFindings {
    findings: Vec<Value>,
    by_id: HashMap<String, usize>,
}

impl RegionFindings {
    /// Adds a finding; one whose id is already there replaces the earlier copy in place.
    pub fn insert(&mut self, finding: Value) {
        let id = finding
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        match self.by_id.get(&id) {
            Some(&index) => self.findings[index] = finding,
            None => {
                self.by_id.insert(id, self.findings.len());
                self.findings.push(finding);
            }
        }
    }

    /// All findings, in the order they were added.
    pub fn all(&self) -> &[Value] {
        &self.findings
    }

    /// The position of the finding with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
}

/// What ListDetectors says about a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DetectorSetting {
    /// The region has this detector.
    Id(String),
    /// GuardDuty is off in the region: ListDetectors answers an empty list.
    None,
    /// ListDetectors answers this id, but the region does not own it: every call naming it is
    /// refused, as GuardDuty refuses a detector of another region or account.
    Foreign(String),
}

/// Findings and detectors of every region.
#[derive(Debug, Clone, Default)]
pub(crate) struct Store {
    regions: BTreeMap<String, RegionFindings>,
    detectors: BTreeMap<String, DetectorSetting>,
}

impl Store {
    /// Adds findings to a region.
    pub fn add(&mut self, region: &str, findings: impl IntoIterator<Item = Value>) {
        let entry = self.regions.entry(region.to_owned()).or_default();
        findings
            .into_iter()
            .for_each(|finding| entry.insert(finding));
    }

    /// Sets what ListDetectors answers for a region.
    pub fn set_detector(&mut self, region: &str, setting: DetectorSetting) {
        self.detectors.insert(region.to_owned(), setting);
    }

    /// The detector id ListDetectors answers in a region: the one set for it, else the id
    /// derived from its name; `None` when the region was said to have no detector.
    pub fn detector_id(&self, region: &str) -> Option<String> {
        match self.detectors.get(region) {
            Some(DetectorSetting::Id(id) | DetectorSetting::Foreign(id)) => Some(id.clone()),
            Some(DetectorSetting::None) => None,
            None => Some(detector_id_for_region(region)),
        }
    }

    /// Whether `detector_id` is the region's own detector (a foreign one is listed, not owned).
    pub fn owns_detector(&self, region: &str, detector_id: &str) -> bool {
        match self.detectors.get(region) {
            Some(DetectorSetting::Foreign(_)) => false,
            _ => self.detector_id(region).as_deref() == Some(detector_id),
        }
    }

    /// The findings of a region (empty for a region never mentioned).
    pub fn region(&self, region: &str) -> Option<&RegionFindings> {
        self.regions.get(region)
    }

    /// Every region that has findings, in name order.
    pub fn regions(&self) -> impl Iterator<Item = &str> {
        self.regions.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_region_has_a_derived_detector_unless_told_otherwise() {
        let mut store = Store::default();
        assert_eq!(
            store.detector_id("sa-east-1"),
            Some(detector_id_for_region("sa-east-1"))
        );
        store.set_detector("sa-east-1", DetectorSetting::None);
        store.set_detector("eu-north-1", DetectorSetting::Id("d-1".into()));
        assert_eq!(store.detector_id("sa-east-1"), None);
        assert_eq!(store.detector_id("eu-north-1").as_deref(), Some("d-1"));
        assert!(store.owns_detector("eu-north-1", "d-1"));
    }

    #[test]
    fn a_foreign_detector_is_listed_but_not_owned() {
        let mut store = Store::default();
        let east = detector_id_for_region("us-east-1");
        store.set_detector("us-west-2", DetectorSetting::Foreign(east.clone()));
        assert_eq!(store.detector_id("us-west-2"), Some(east.clone()));
        assert!(!store.owns_detector("us-west-2", &east));
        assert!(store.owns_detector("us-east-1", &east));
    }

    #[test]
    fn a_finding_added_twice_replaces_the_first_copy_in_place() {
        let mut store = Store::default();
        store.add(
            "us-east-1",
            [json!({"id": "a", "v": 1}), json!({"id": "b"})],
        );
        store.add("us-east-1", [json!({"id": "a", "v": 2})]);
        let region = store.region("us-east-1").expect("region");
        assert_eq!(region.all().len(), 2);
        assert_eq!(region.all()[0]["v"], 2);
        assert_eq!(region.position("b"), Some(1));
    }
}
