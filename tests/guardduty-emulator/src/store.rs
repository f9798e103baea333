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

    /// The detector id of a region: the one set for it, else the id derived from its name;
    /// `None` when the region was said to have no detector.
    pub fn detector_id(&self, region: &str) -> Option<String> {
        match self.detectors.get(region) {
            Some(DetectorSetting::Id(id)) => Some(id.clone()),
            Some(DetectorSetting::None) => None,
            None => Some(detector_id_for_region(region)),
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
