//! The real `aws-sdk-guardduty` client against the emulator: the wire format, paging,
//! filtering, errors and the call log, checked end to end.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use aws_sdk_guardduty::error::ProvideErrorMetadata;
use aws_sdk_guardduty::operation::get_findings::GetFindingsError;
use aws_sdk_guardduty::operation::list_findings::ListFindingsError;
use aws_sdk_guardduty::types::{Condition, FindingCriteria, SortCriteria};
use guardduty_emulator::{
    Emulator, Fault, FaultRule, IN_SCOPE_TYPES, OUT_OF_SCOPE_TYPES, Operation,
};
use serde_json::Value;

use common::client;

const EAST: &str = "us-east-1";
const WEST: &str = "eu-west-1";
const OFF: &str = "ap-southeast-2";
const EAST_KEY: &str = "AKIDEMULATORTEST";
const WEST_KEY: &str = "AKIDEMULATORWEST";

/// The criteria the product sends: the ten types, not archived.
fn in_scope_active() -> FindingCriteria {
    let types = Condition::builder()
        .set_equals(Some(
            IN_SCOPE_TYPES.iter().map(|t| (*t).to_owned()).collect(),
        ))
        .build();
    let active = Condition::builder().equals("false").build();
    FindingCriteria::builder()
        .criterion("type", types)
        .criterion("service.archived", active)
        .build()
}

/// The ids the emulator should list for [`in_scope_active`].
fn expected_ids(findings: &[Value]) -> BTreeSet<String> {
    findings
        .iter()
        .filter(|f| {
            f["type"]
                .as_str()
                .is_some_and(|t| IN_SCOPE_TYPES.contains(&t))
        })
        .filter(|f| f["service"]["archived"] == false)
        .filter_map(|f| f["id"].as_str().map(str::to_owned))
        .collect()
}

/// Lists every page (50 ids each) and fetches each page with GetFindings, as the product does.
/// Returns the listed ids, the fetched findings' ids, and how many pages there were.
async fn pull(
    client: &aws_sdk_guardduty::Client,
    detector_id: &str,
) -> anyhow::Result<(Vec<String>, Vec<String>, usize)> {
    let (mut listed, mut fetched, mut pages) = (Vec::new(), Vec::new(), 0);
    let mut next_token: Option<String> = None;
    loop {
        let page = client
            .list_findings()
            .detector_id(detector_id)
            .finding_criteria(in_scope_active())
            .sort_criteria(
                SortCriteria::builder()
                    .attribute_name("updatedAt")
                    .order_by("DESC".into())
                    .build(),
            )
            .max_results(50)
            .set_next_token(next_token.clone())
            .send()
            .await?;
        pages += 1;
        let ids = page.finding_ids().to_vec();
        assert!(ids.len() <= 50, "a page of {} ids", ids.len());
        if !ids.is_empty() {
            let found = client
                .get_findings()
                .detector_id(detector_id)
                .set_finding_ids(Some(ids.clone()))
                .send()
                .await?;
            for finding in found.findings() {
                let kind = finding.r#type().unwrap_or_default();
                assert!(IN_SCOPE_TYPES.contains(&kind), "fetched a {kind} finding");
                let archived = finding.service().and_then(|s| s.archived());
                assert_eq!(archived, Some(false));
                fetched.push(finding.id().unwrap_or_default().to_owned());
            }
        }
        listed.extend(ids);
        match page.next_token() {
            Some(token) if !token.is_empty() => next_token = Some(token.to_owned()),
            _ => break,
        }
    }
    Ok((listed, fetched, pages))
}

#[tokio::test]
async fn the_sdk_lists_filters_pages_and_fetches_in_two_regions() -> anyhow::Result<()> {
    let emulator = Emulator::builder()
        .generate(EAST, 700, 1)
        .generate(WEST, 130, 2)
        .no_detector(OFF)
        .build();
    let expected_east = expected_ids(emulator.findings(EAST));
    let expected_west = expected_ids(emulator.findings(WEST));
    let every_east: BTreeSet<String> = emulator
        .findings(EAST)
        .iter()
        .filter_map(|f| f["id"].as_str().map(String::from))
        .collect();
    assert!(expected_east.len() > 500 && expected_east.len() < every_east.len());
    assert!(expected_west.len() > 50);
    let server = emulator.start().await?;
    let endpoint = server.endpoint_url();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");

    let mut pages_by_region = Vec::new();
    for (region, key, expected) in [
        (EAST, EAST_KEY, &expected_east),
        (WEST, WEST_KEY, &expected_west),
    ] {
        let client = client(&endpoint, region, key);
        let detectors = client.list_detectors().max_results(50).send().await?;
        assert_eq!(
            detectors.detector_ids(),
            [server.detector_id(region).unwrap_or_default()]
        );
        assert_eq!(detectors.detector_ids()[0].len(), 32);
        let (listed, fetched, pages) = pull(&client, &detectors.detector_ids()[0]).await?;
        assert_eq!(
            listed.len(),
            expected.len(),
            "{region}: no id listed twice or missed"
        );
        assert_eq!(listed.iter().cloned().collect::<BTreeSet<_>>(), *expected);
        assert_eq!(fetched.len(), expected.len());
        assert_eq!(fetched.iter().cloned().collect::<BTreeSet<_>>(), *expected);
        assert_eq!(pages, expected.len().div_ceil(50));
        pages_by_region.push((region, pages));
    }

    let off = client(&endpoint, OFF, EAST_KEY)
        .list_detectors()
        .send()
        .await?;
    assert!(off.detector_ids().is_empty(), "GuardDuty is off in {OFF}");

    let calls = server.calls();
    assert_eq!(calls.count(Operation::ListDetectors), 3);
    for (region, pages) in pages_by_region {
        assert_eq!(calls.count_in(Operation::ListDetectors, region), 1);
        assert_eq!(calls.count_in(Operation::ListFindings, region), pages);
        assert_eq!(calls.count_in(Operation::GetFindings, region), pages);
    }
    assert_eq!(calls.count_in(Operation::ListDetectors, OFF), 1);
    assert_eq!(calls.count_region(OFF), 1);
    assert!(calls.records.iter().all(|r| r.status == 200));
    let keys: Vec<String> = calls.access_key_ids().into_iter().collect();
    assert_eq!(keys, [EAST_KEY, WEST_KEY]);
    assert!(
        calls
            .records
            .iter()
            .filter(|r| r.region == WEST)
            .all(|r| r.access_key_id == WEST_KEY)
    );
    assert_eq!(
        calls.regions(),
        [EAST, WEST, OFF].map(String::from).into_iter().collect()
    );
    let fetched: BTreeSet<String> = calls.fetched_finding_ids().into_iter().collect();
    let allowed: BTreeSet<String> = expected_east.union(&expected_west).cloned().collect();
    assert_eq!(
        fetched, allowed,
        "only in-scope, active findings were ever fetched"
    );
    assert_eq!(calls.unauthenticated, 0);
    assert!(calls.peak_in_flight >= 1);

    let first_list = calls
        .records
        .iter()
        .find(|r| r.operation == Operation::ListFindings);
    let body = first_list.and_then(|r| r.body.clone()).unwrap_or_default();
    assert_eq!(body["maxResults"], 50);
    assert_eq!(
        body["findingCriteria"]["criterion"]["service.archived"]["equals"][0],
        "false"
    );
    assert_eq!(body["sortCriteria"]["orderBy"], "DESC");
    server.shutdown().await?;
    Ok(())
}

#[tokio::test]
async fn the_sdk_paginator_stops_at_the_last_page_and_sees_every_match() -> anyhow::Result<()> {
    let emulator = Emulator::builder().generate(EAST, 260, 5).build();
    let expected = expected_ids(emulator.findings(EAST));
    let server = emulator.start().await?;
    let client = client(&server.endpoint_url(), EAST, EAST_KEY);
    let detector = server.detector_id(EAST).unwrap_or_default();
    let pages: Vec<_> = client
        .list_findings()
        .detector_id(&detector)
        .finding_criteria(in_scope_active())
        .max_results(50)
        .into_paginator()
        .send()
        .collect::<Vec<_>>()
        .await;
    let mut listed = BTreeSet::new();
    for page in &pages {
        let page = page.as_ref().map_err(|e| anyhow::anyhow!("{e:?}"))?;
        listed.extend(page.finding_ids().iter().cloned());
    }
    assert_eq!(listed, expected);
    assert_eq!(pages.len(), expected.len().div_ceil(50));
    Ok(())
}

#[tokio::test]
async fn numeric_and_out_of_scope_filters_work_through_the_sdk() -> anyhow::Result<()> {
    let emulator = Emulator::builder().generate(WEST, 240, 3).build();
    let findings = emulator.findings(WEST).to_vec();
    let server = emulator.start().await?;
    let client = client(&server.endpoint_url(), WEST, WEST_KEY);
    let detector = server.detector_id(WEST).unwrap_or_default();

    let since = 1_748_000_000_000_i64;
    let high = FindingCriteria::builder()
        .criterion(
            "severity",
            Condition::builder().greater_than_or_equal(7).build(),
        )
        .criterion(
            "updatedAt",
            Condition::builder().greater_than_or_equal(since).build(),
        )
        .criterion(
            "type",
            Condition::builder()
                .set_not_equals(Some(vec![OUT_OF_SCOPE_TYPES[1].into()]))
                .build(),
        )
        .build();
    let answer = client
        .list_findings()
        .detector_id(&detector)
        .finding_criteria(high)
        .max_results(50)
        .send()
        .await?;
    let expected = findings
        .iter()
        .filter(|f| f["severity"].as_f64().is_some_and(|s| s >= 7.0))
        .filter(|f| {
            let updated = f["updatedAt"]
                .as_str()
                .and_then(guardduty_emulator::time::parse_iso_millis);
            updated.is_some_and(|millis| millis >= since)
        })
        .filter(|f| f["type"] != OUT_OF_SCOPE_TYPES[1])
        .count();
    assert!(expected > 0);
    assert_eq!(answer.finding_ids().len(), expected.min(50));
    Ok(())
}

#[tokio::test]
async fn the_sdk_sees_service_errors_with_their_aws_names() -> anyhow::Result<()> {
    let server = Emulator::builder()
        .generate(EAST, 60, 1)
        .generate(WEST, 10, 1)
        .start()
        .await?;
    let client = client(&server.endpoint_url(), EAST, EAST_KEY);
    let east_detector = server.detector_id(EAST).unwrap_or_default();
    let west_detector = server.detector_id(WEST).unwrap_or_default();

    let foreign = client
        .list_findings()
        .detector_id(&west_detector)
        .send()
        .await;
    match foreign.map_err(|e| e.into_service_error()) {
        Err(ListFindingsError::BadRequestException(error)) => {
            assert_eq!(error.r#type(), Some("InvalidInputException"));
            assert!(error.message().unwrap_or_default().contains("detectorId"));
        }
        other => panic!("expected BadRequestException, got {other:?}"),
    }

    let too_many = client
        .list_findings()
        .detector_id(&east_detector)
        .max_results(51)
        .send()
        .await;
    let error = too_many
        .map_err(|e| e.into_service_error())
        .expect_err("51 is too many");
    assert!(error.is_bad_request_exception(), "{error:?}");
    assert!(error.message().unwrap_or_default().contains("maxResults"));

    let bad_token = client
        .list_findings()
        .detector_id(&east_detector)
        .next_token("1.0000000000000000")
        .send()
        .await;
    let error = bad_token
        .map_err(|e| e.into_service_error())
        .expect_err("made-up token");
    assert!(error.is_bad_request_exception(), "{error:?}");

    let ids: Vec<String> = (0..51).map(|n| format!("{n:032x}")).collect();
    let fetch = client
        .get_findings()
        .detector_id(&east_detector)
        .set_finding_ids(Some(ids));
    match fetch.send().await.map_err(|e| e.into_service_error()) {
        Err(GetFindingsError::BadRequestException(_)) => {}
        other => panic!("expected BadRequestException for 51 ids, got {other:?}"),
    }

    let unknown = vec!["0".repeat(32), "f".repeat(32)];
    let none = client
        .get_findings()
        .detector_id(&east_detector)
        .set_finding_ids(Some(unknown));
    assert!(
        none.send().await?.findings().is_empty(),
        "unknown ids are left out"
    );

    let calls = server.calls();
    let statuses: Vec<u16> = calls.records.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [400, 400, 400, 400, 200],
        "bad requests are not retried"
    );
    Ok(())
}

#[tokio::test]
async fn a_disabled_region_and_expired_credentials_are_refused_with_403() -> anyhow::Result<()> {
    let server = Emulator::builder()
        .generate(EAST, 10, 1)
        .disable_region("me-south-1")
        .fault(FaultRule::new(Fault::ExpiredToken).in_region("ca-central-1"))
        .start()
        .await?;
    let endpoint = server.endpoint_url();
    let disabled = client(&endpoint, "me-south-1", EAST_KEY)
        .list_detectors()
        .send()
        .await;
    let error = disabled.expect_err("region not enabled");
    assert_eq!(error.code(), Some("UnrecognizedClientException"));
    let raw = error.raw_response().map(|r| r.status().as_u16());
    assert_eq!(raw, Some(403));
    let expired = client(&endpoint, "ca-central-1", EAST_KEY)
        .list_detectors()
        .send()
        .await;
    assert_eq!(
        expired.expect_err("expired").code(),
        Some("ExpiredTokenException")
    );
    let fine = client(&endpoint, EAST, EAST_KEY)
        .list_detectors()
        .send()
        .await?;
    assert_eq!(fine.detector_ids().len(), 1);
    assert_eq!(
        server
            .calls()
            .count_in(Operation::ListDetectors, "me-south-1"),
        1
    );
    Ok(())
}

#[tokio::test]
async fn throttled_calls_are_retried_by_the_sdk_and_counted() -> anyhow::Result<()> {
    let server = Emulator::builder()
        .generate(EAST, 30, 1)
        .fault(FaultRule::new(Fault::Throttle { every: 2 }).for_operation(Operation::ListFindings))
        .start()
        .await?;
    let client = client(&server.endpoint_url(), EAST, EAST_KEY);
    let detector = server.detector_id(EAST).unwrap_or_default();
    for _ in 0..3 {
        let page = client.list_findings().detector_id(&detector).send().await?;
        assert_eq!(page.finding_ids().len(), 30);
    }
    let statuses: Vec<u16> = server
        .calls()
        .records
        .iter()
        .filter(|r| r.operation == Operation::ListFindings)
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [200, 429, 200, 429, 200]);
    Ok(())
}

#[tokio::test]
async fn concurrent_slow_calls_raise_the_peak_in_flight() -> anyhow::Result<()> {
    let server = Emulator::builder()
        .fault(Fault::Latency(Duration::from_millis(300)))
        .start()
        .await?;
    let endpoint = server.endpoint_url();
    let regions = ["us-east-1", "us-east-2", "us-west-1", "us-west-2"];
    let calls = regions.map(|region| {
        let client = client(&endpoint, region, EAST_KEY);
        tokio::spawn(async move { client.list_detectors().send().await })
    });
    for call in calls {
        call.await??;
    }
    let log = server.calls();
    assert_eq!(log.count(Operation::ListDetectors), 4);
    assert!(log.peak_in_flight >= 2, "peak {}", log.peak_in_flight);
    Ok(())
}

#[tokio::test]
async fn faults_added_while_running_apply_from_then_on() -> anyhow::Result<()> {
    let server = Emulator::builder().start().await?;
    let client = client(&server.endpoint_url(), EAST, EAST_KEY);
    client.list_detectors().send().await?;
    server.add_fault(FaultRule::new(Fault::RegionDisabled).in_region(EAST));
    let refused = client
        .list_detectors()
        .send()
        .await
        .expect_err("disabled now");
    assert_eq!(refused.code(), Some("UnrecognizedClientException"));
    server.clear_faults();
    client.list_detectors().send().await?;
    server.reset_calls();
    assert!(server.calls().records.is_empty());
    Ok(())
}
