//! The public GuardDuty samples beside the repository (`../shared/fixtures/public-findings`),
//! served by the emulator and listed through the real SDK. The folder is there in CI; when it
//! is not, the test says so and passes.

mod common;

use std::path::PathBuf;

use guardduty_emulator::Emulator;

#[tokio::test]
async fn every_public_sample_loads_and_is_listed_in_its_region() -> anyhow::Result<()> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/public-findings");
    if !dir.is_dir() {
        eprintln!(
            "public samples not there ({}): nothing to check",
            dir.display()
        );
        return Ok(());
    }
    let emulator = Emulator::builder()
        .load_dir(&dir, Some("us-east-1"))?
        .build();
    let regions = emulator.regions();
    let total: usize = regions
        .iter()
        .map(|region| emulator.findings(region).len())
        .sum();
    // Samples share ids across files (the same sample in several exports); one copy is kept.
    assert!(total > 0, "no finding loaded from {}", dir.display());
    let expected: Vec<(String, Vec<String>)> = regions
        .iter()
        .map(|region| {
            let mut ids: Vec<String> = emulator
                .findings(region)
                .iter()
                .filter_map(|finding| finding["id"].as_str().map(str::to_owned))
                .collect();
            ids.sort();
            (region.clone(), ids)
        })
        .collect();
    let server = emulator.start().await?;
    for (region, ids) in expected {
        let client = common::client(&server.endpoint_url(), &region, "AKIDEMULATORTEST");
        let detector = server.detector_id(&region).unwrap_or_default();
        let mut listed = client
            .list_findings()
            .detector_id(&detector)
            .max_results(50)
            .send()
            .await?
            .finding_ids()
            .to_vec();
        listed.sort();
        assert_eq!(listed, ids, "{region}");
    }
    Ok(())
}
