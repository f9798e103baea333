//! Network faults during a pull: the real `threat-review pull` binary, the real AWS SDK with the
//! app's own retry and timeout settings, a real `~/.aws` in a temp HOME, and the GuardDuty
//! emulator on loopback misbehaving on purpose.
//!
//! Each test pins one promise of issue 4: nothing crashes, nothing is lost or doubled, and every
//! failure says what went wrong and what to do. Faults that the SDK retries are limited to first
//! attempts, so however the calls interleave no request meets a fault twice and the outcome is
//! the same in every run.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use common::{finding_ids, json, run, threat_review};
use guardduty_emulator::{
    Emulator, EmulatorHandle, Fault, FaultRule, Operation, detector_id_for_region,
    generate_findings,
};
use serde_json::Value;
use threat_review::aws::credentials::Source;
use threat_review::aws::error::{RegionStatus, classify};
use threat_review::desktop::error::ErrorCode;
use threat_review::desktop::state::{AppState, Loaded, ReviewOrigin};
use threat_review::review::{Review, Scope};

const KEY: &str = "AKIDTESTFAULTS000001";

/// A HOME whose `~/.aws` has the profile `audit` (static keys, region us-east-1).
fn home_with_profile() -> tempfile::TempDir {
    common::aws_home(
        "[profile audit]\nregion = us-east-1\n",
        &format!("[audit]\naws_access_key_id = {KEY}\naws_secret_access_key = not-a-real-secret\n"),
    )
}

/// `count` findings of the ten types, none archived: exactly what a default pull fetches.
fn active_in_scope(region: &str, count: usize, seed: u64) -> Vec<Value> {
    let findings: Vec<Value> = generate_findings(region, count * 3, seed)
        .into_iter()
        .filter(|f| threat_review::catalog::in_scope(f["type"].as_str().unwrap_or_default()))
        .filter(|f| f["service"]["archived"] != true)
        .take(count)
        .collect();
    assert_eq!(findings.len(), count, "the generator gave enough findings");
    findings
}

fn ids(findings: &[Value]) -> BTreeSet<String> {
    findings
        .iter()
        .map(|f| f["id"].as_str().expect("an id").to_owned())
        .collect()
}

/// `threat-review pull --profile audit --json` against `emulator`, for `regions`.
fn pull(home: &Path, endpoint: &str, regions: &[&str]) -> Command {
    let mut command = threat_review(home);
    command
        .args([
            "pull",
            "--profile",
            "audit",
            "--json",
            "--endpoint-url",
            endpoint,
        ])
        .args(regions.iter().flat_map(|r| ["--region", r]));
    command
}

/// Runs the binary off the async runtime, so the emulator keeps serving meanwhile.
async fn output(mut command: Command) -> (i32, Value, String) {
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || run(&mut command))
        .await
        .expect("the binary ran");
    (code, json(&stdout), stderr)
}

/// The `regions` report: (region, status, findings, error).
fn reports(out: &Value) -> Vec<(String, String, u64, Option<String>)> {
    out["regions"]
        .as_array()
        .expect("regions")
        .iter()
        .map(|r| {
            (
                r["region"].as_str().expect("region").to_owned(),
                r["status"].as_str().expect("status").to_owned(),
                r["findings"].as_u64().expect("findings"),
                r["error"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// Asserts the output holds exactly `expected`, each once.
fn assert_exactly(out: &Value, expected: &BTreeSet<String>) {
    let got = finding_ids(out);
    assert_eq!(got.len(), expected.len(), "no finding twice, none missing");
    assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), *expected);
}

/// Asserts GetFindings delivered every expected finding exactly once, whatever was retried.
fn assert_delivered_once(emulator: &EmulatorHandle, expected: &BTreeSet<String>) {
    let delivered = emulator.calls().fetched_finding_ids();
    assert_eq!(delivered.len(), expected.len(), "each page delivered once");
    assert_eq!(delivered.into_iter().collect::<BTreeSet<_>>(), *expected);
}

/// Two regions: 120 findings in us-east-1 (pages of 50, 50, 20) and 60 in eu-west-1 (50, 10).
/// A pull makes 12 first attempts: per region one ListDetectors and one ListFindings and one
/// GetFindings a page.
fn two_regions() -> (Emulator, BTreeSet<String>) {
    let east = active_in_scope("us-east-1", 120, 11);
    let west = active_in_scope("eu-west-1", 60, 12);
    let mut expected = ids(&east);
    expected.extend(ids(&west));
    let emulator = Emulator::builder()
        .add_findings("us-east-1", east)
        .add_findings("eu-west-1", west)
        .build();
    (emulator, expected)
}

const FIRST_ATTEMPTS: usize = 12;

#[tokio::test(flavor = "multi_thread")]
async fn throttling_on_every_third_call_is_retried_and_every_finding_arrives_once() {
    let (emulator, expected) = two_regions();
    let rule = FaultRule::new(Fault::Throttle { every: 3 }).first_attempts_only();
    let emulator = emulator.start().await.expect("emulator");
    emulator.add_fault(rule);
    let home = home_with_profile();
    let command = pull(
        home.path(),
        &emulator.endpoint_url(),
        &["us-east-1", "eu-west-1"],
    );
    let (code, out, stderr) = output(command).await;

    assert_eq!(code, 0, "{stderr}");
    assert_exactly(&out, &expected);
    assert_delivered_once(&emulator, &expected);
    let statuses: Vec<(String, String, u64)> = reports(&out)
        .into_iter()
        .map(|(r, s, n, _)| (r, s, n))
        .collect();
    assert_eq!(
        statuses,
        [
            ("us-east-1".to_owned(), "ok".to_owned(), 120),
            ("eu-west-1".to_owned(), "ok".to_owned(), 60)
        ]
    );
    let calls = emulator.calls();
    let throttled = FIRST_ATTEMPTS / 3;
    assert_eq!(calls.count_status(429), throttled);
    assert_eq!(
        calls.records.len(),
        FIRST_ATTEMPTS + throttled,
        "one retry per 429"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_on_every_fourth_call_are_retried_and_every_finding_arrives_once() {
    let (emulator, expected) = two_regions();
    let emulator = emulator.start().await.expect("emulator");
    emulator.add_fault(FaultRule::new(Fault::ServerError { every: 4 }).first_attempts_only());
    let home = home_with_profile();
    let command = pull(
        home.path(),
        &emulator.endpoint_url(),
        &["us-east-1", "eu-west-1"],
    );
    let (code, out, stderr) = output(command).await;

    assert_eq!(code, 0, "{stderr}");
    assert_exactly(&out, &expected);
    assert_delivered_once(&emulator, &expected);
    let calls = emulator.calls();
    assert_eq!(calls.count_status(500), FIRST_ATTEMPTS / 4);
    assert_eq!(calls.records.len(), FIRST_ATTEMPTS + FIRST_ATTEMPTS / 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_cut_mid_page_or_before_the_answer_lose_and_double_nothing() {
    let (emulator, expected) = two_regions();
    let emulator = emulator.start().await.expect("emulator");
    // Every second page of findings is cut half-way through its body; every second page of
    // ids is hung up on before a byte of answer.
    emulator.add_fault(
        FaultRule::new(Fault::DropConnection { every: 2 })
            .for_operation(Operation::GetFindings)
            .first_attempts_only(),
    );
    emulator.add_fault(
        FaultRule::new(Fault::HangUp { every: 2 })
            .for_operation(Operation::ListFindings)
            .first_attempts_only(),
    );
    let home = home_with_profile();
    let command = pull(
        home.path(),
        &emulator.endpoint_url(),
        &["us-east-1", "eu-west-1"],
    );
    let (code, out, stderr) = output(command).await;

    assert_eq!(code, 0, "{stderr}");
    assert_exactly(&out, &expected);
    assert_delivered_once(&emulator, &expected);
    let calls = emulator.calls();
    // Five pages in all: two GetFindings and two ListFindings calls were cut, and retried.
    assert_eq!(calls.count_dropped(), 4);
    assert!(
        calls
            .records
            .iter()
            .filter(|r| r.dropped)
            .all(|r| r.attempt == Some(1))
    );
    assert_eq!(calls.records.len(), FIRST_ATTEMPTS + 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_answers_within_the_timeouts_complete_the_pull() {
    let east = active_in_scope("us-east-1", 30, 21);
    let west = active_in_scope("eu-west-1", 20, 22);
    let mut expected = ids(&east);
    expected.extend(ids(&west));
    let emulator = Emulator::builder()
        .add_findings("us-east-1", east)
        .add_findings("eu-west-1", west)
        .fault(Fault::Latency(Duration::from_secs(2)))
        .start()
        .await
        .expect("emulator");
    let home = home_with_profile();
    let command = pull(
        home.path(),
        &emulator.endpoint_url(),
        &["us-east-1", "eu-west-1"],
    );
    let (code, out, stderr) = output(command).await;

    assert_eq!(code, 0, "{stderr}");
    assert_exactly(&out, &expected);
    let calls = emulator.calls();
    assert_eq!(
        calls.records.len(),
        6,
        "three slow calls a region, none retried"
    );
    assert!(calls.peak_in_flight >= 2, "the regions waited side by side");
}

/// The app's timeouts (5 s connect, 30 s a read and an attempt, 120 s a call) are too long to
/// wait for in a test, and a switch to shorten them would be a test hook in the product. So
/// this test builds a GuardDuty client the same way with short timeouts, lets it time out for
/// real against a stalled emulator, and checks that the app's classification of that real
/// error names the operation and region and says what to do. The unit tests in
/// `aws::error` cover the other shapes a timeout can take.
#[tokio::test(flavor = "multi_thread")]
async fn a_call_slower_than_the_timeouts_is_reported_as_a_timeout_naming_operation_and_region() {
    let emulator = Emulator::builder()
        .add_findings("eu-west-1", active_in_scope("eu-west-1", 5, 31))
        .fault(
            FaultRule::new(Fault::Latency(Duration::from_secs(600)))
                .for_operation(Operation::ListFindings),
        )
        .start()
        .await
        .expect("emulator");
    let timeouts = aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(1))
        .read_timeout(Duration::from_millis(500))
        .operation_attempt_timeout(Duration::from_millis(500))
        .operation_timeout(Duration::from_secs(2))
        .build();
    let retry = aws_config::retry::RetryConfig::standard()
        .with_max_attempts(2)
        .with_initial_backoff(Duration::from_millis(10));
    let config = aws_sdk_guardduty::Config::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("eu-west-1"))
        .credentials_provider(aws_sdk_guardduty::config::Credentials::new(
            KEY,
            "not-a-real-secret",
            None,
            None,
            "test",
        ))
        .endpoint_url(emulator.endpoint_url())
        .timeout_config(timeouts)
        .retry_config(retry)
        .build();
    let client = aws_sdk_guardduty::Client::from_conf(config);

    let detector = detector_id_for_region("eu-west-1");
    assert_eq!(
        client
            .list_detectors()
            .send()
            .await
            .map(|d| d.detector_ids().len())
            .ok(),
        Some(1)
    );
    let error = client
        .list_findings()
        .detector_id(&detector)
        .send()
        .await
        .expect_err("the stalled call times out");
    let failure = classify(&error, "ListFindings", &Source::DefaultChain, "eu-west-1");
    assert_eq!(failure.status, RegionStatus::Error);
    assert_eq!(
        failure.message,
        "ListFindings in eu-west-1: GuardDuty did not answer in time, even after retries; check \
         the network or proxy, then pull again (fewer regions at once if it lasts)"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_that_expire_mid_pull_keep_the_findings_so_far_and_name_the_fix() {
    // 200 findings are four full pages; the token expires after two pages were fetched.
    let findings = active_in_scope("us-east-1", 200, 41);
    let all = ids(&findings);
    let emulator = Emulator::builder()
        .add_findings("us-east-1", findings)
        .fault(
            FaultRule::new(Fault::ExpiredToken)
                .for_operation(Operation::GetFindings)
                .after(2),
        )
        .start()
        .await
        .expect("emulator");
    let home = home_with_profile();
    let (code, out, stderr) = output(pull(home.path(), &emulator.endpoint_url(), &[])).await;

    assert_eq!(code, 1, "every region failed: {stderr}");
    let got = finding_ids(&out);
    assert_eq!(
        got.len(),
        100,
        "the two pages fetched before the expiry are kept"
    );
    let got: BTreeSet<String> = got.into_iter().collect();
    assert!(got.is_subset(&all));
    let delivered: BTreeSet<String> = emulator.calls().fetched_finding_ids().into_iter().collect();
    assert_eq!(got, delivered, "everything delivered was kept");

    let (region, status, count, error) = reports(&out).remove(0);
    assert_eq!(
        (region.as_str(), status.as_str(), count),
        ("us-east-1", "expired", 100)
    );
    let error = error.expect("a message");
    assert_eq!(
        error,
        "the credentials of profile audit have expired: refresh them (for an SSO profile, `aws \
         sso login --profile audit`; for keys with a session token, put fresh ones in \
         ~/.aws/credentials) and pull again"
    );
    assert!(stderr.contains(&error), "{stderr}");
    let refused = emulator.calls().count_status(403);
    assert_eq!(
        refused, 2,
        "the two later pages were refused once each, not retried"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_disabled_region_among_four_leaves_the_other_three_complete() {
    let regions = ["us-east-1", "eu-west-1", "ap-south-1", "ap-east-1"];
    let mut builder = Emulator::builder();
    let mut expected = Vec::new();
    for (seed, region) in regions.iter().take(3).enumerate() {
        let findings = active_in_scope(region, 40 + 30 * seed, 50 + seed as u64);
        expected.push(ids(&findings));
        builder = builder.add_findings(region, findings);
    }
    let emulator = builder
        .add_findings("ap-east-1", active_in_scope("ap-east-1", 10, 59))
        .disable_region("ap-east-1")
        .start()
        .await
        .expect("emulator");
    let home = home_with_profile();
    let (code, out, stderr) = output(pull(home.path(), &emulator.endpoint_url(), &regions)).await;

    assert_eq!(
        code, 3,
        "a named region that is not enabled has failed: {stderr}"
    );
    let all: BTreeSet<String> = expected.iter().flatten().cloned().collect();
    assert_exactly(&out, &all);
    let reports = reports(&out);
    for (index, region) in regions.iter().take(3).enumerate() {
        let (name, status, count, error) = &reports[index];
        assert_eq!((name.as_str(), status.as_str()), (*region, "ok"));
        assert_eq!(*count as usize, expected[index].len());
        assert_eq!(*error, None);
    }
    let (name, status, count, error) = &reports[3];
    assert_eq!(
        (name.as_str(), status.as_str(), *count),
        ("ap-east-1", "not-enabled", 0)
    );
    let error = error.as_deref().expect("a message");
    assert!(
        error.starts_with("ap-east-1 is not enabled for this account"),
        "{error}"
    );
    assert!(error.contains("leave it out of the pull"), "{error}");
    assert_eq!(
        emulator.calls().count_region("ap-east-1"),
        1,
        "the refusal is not retried and nothing else is asked there"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_region_without_a_detector_is_guardduty_off_there_and_exits_0() {
    let east = active_in_scope("us-east-1", 25, 61);
    let expected = ids(&east);
    let emulator = Emulator::builder()
        .add_findings("us-east-1", east)
        .no_detector("eu-north-1")
        .start()
        .await
        .expect("emulator");
    let home = home_with_profile();
    let regions = ["us-east-1", "eu-north-1"];
    let (code, out, stderr) = output(pull(home.path(), &emulator.endpoint_url(), &regions)).await;

    assert_eq!(code, 0, "GuardDuty off is a state, not a failure: {stderr}");
    assert_exactly(&out, &expected);
    assert_eq!(
        reports(&out)[1],
        ("eu-north-1".to_owned(), "no-detector".to_owned(), 0, None)
    );
    assert!(
        !stderr.contains("eu-north-1"),
        "no warning for a state: {stderr}"
    );
    let calls = emulator.calls();
    assert_eq!(calls.count_region("eu-north-1"), 1);
    assert_eq!(calls.count_in(Operation::ListDetectors, "eu-north-1"), 1);

    let mut summary = threat_review(home.path());
    summary.args([
        "pull",
        "--profile",
        "audit",
        "--endpoint-url",
        &emulator.endpoint_url(),
    ]);
    summary.args(regions.iter().flat_map(|r| ["--region", r]));
    let (code, stdout, _) = tokio::task::spawn_blocking(move || run(&mut summary))
        .await
        .expect("the binary ran");
    assert_eq!(code, 0);
    assert!(
        stdout.contains("audit eu-north-1: GuardDuty is not enabled (no detector)"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_detector_of_another_region_fails_that_region_with_what_to_check() {
    let east = active_in_scope("us-east-1", 30, 71);
    let expected = ids(&east);
    let emulator = Emulator::builder()
        .add_findings("us-east-1", east)
        .foreign_detector("us-west-2", detector_id_for_region("us-east-1"))
        .start()
        .await
        .expect("emulator");
    let home = home_with_profile();
    let regions = ["us-east-1", "us-west-2"];
    let (code, out, stderr) = output(pull(home.path(), &emulator.endpoint_url(), &regions)).await;

    assert_eq!(code, 3, "{stderr}");
    assert_exactly(&out, &expected);
    let (region, status, count, error) = reports(&out).remove(1);
    assert_eq!(
        (region.as_str(), status.as_str(), count),
        ("us-west-2", "error", 0)
    );
    let error = error.expect("a message");
    assert!(
        error.starts_with("ListFindings in us-west-2: GuardDuty refused the detector it listed"),
        "{error}"
    );
    assert!(
        error.contains("the detector belongs to another region or account"),
        "{error}"
    );
    assert!(error.contains("--endpoint-url"), "{error}");
    assert_eq!(
        emulator
            .calls()
            .count_in(Operation::ListFindings, "us-west-2"),
        1,
        "a 400 is not retried"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_past_five_attempts_fails_only_that_region_and_says_to_wait() {
    let east = active_in_scope("us-east-1", 10, 81);
    let expected = ids(&east);
    let emulator = Emulator::builder()
        .add_findings("us-east-1", east)
        .fault(FaultRule::new(Fault::Throttle { every: 1 }).in_region("eu-west-1"))
        .start()
        .await
        .expect("emulator");
    let home = home_with_profile();
    let regions = ["us-east-1", "eu-west-1"];
    let (code, out, stderr) = output(pull(home.path(), &emulator.endpoint_url(), &regions)).await;

    assert_eq!(code, 3, "{stderr}");
    assert_exactly(&out, &expected);
    let (region, status, _, error) = reports(&out).remove(1);
    assert_eq!((region.as_str(), status.as_str()), ("eu-west-1", "error"));
    assert_eq!(
        error.as_deref(),
        Some(
            "ListDetectors in eu-west-1: GuardDuty throttled the pull (TooManyRequestsException) \
             even after retries; try again in a minute or pull fewer regions at once"
        )
    );
    assert_eq!(
        emulator
            .calls()
            .count_in(Operation::ListDetectors, "eu-west-1"),
        5,
        "the SDK's standard retry makes five attempts"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endpoint_that_refuses_connections_says_to_check_the_network_or_proxy() {
    // A port that was just free on loopback, and is closed again.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port");
    let home = home_with_profile();
    let endpoint = format!("http://{closed}");
    let (code, out, stderr) = output(pull(home.path(), &endpoint, &["us-east-1"])).await;

    assert_eq!(code, 1, "nothing could be done: {stderr}");
    assert!(finding_ids(&out).is_empty());
    let (_, status, _, error) = reports(&out).remove(0);
    assert_eq!(status, "error");
    let error = error.expect("a message");
    assert!(
        error.starts_with(
            "ListDetectors in us-east-1: could not reach GuardDuty in us-east-1: check the \
             network or proxy"
        ),
        "{error}"
    );
}

/// The desktop command `pull` races the pull against the cancel signal of [`AppState`] and, when
/// cancelled, drops the pull and leaves the state alone. The command needs a Tauri app handle,
/// so this test runs the same race on the same state with a pull that is really in flight (a
/// stalled GuardDuty call), and checks what the analyst keeps.
#[tokio::test(flavor = "multi_thread")]
async fn cancelling_a_pull_keeps_the_previous_results() {
    let emulator = Emulator::builder()
        .add_findings("us-east-1", active_in_scope("us-east-1", 5, 91))
        .fault(Fault::Latency(Duration::from_secs(600)))
        .start()
        .await
        .expect("emulator");
    let sample = threat_review::sample::findings();
    let state = Arc::new(AppState::default());
    let before = state.replace(Loaded::new(
        Review::build(sample.findings, Scope::Catalog, sample.skipped),
        ReviewOrigin::Sample,
        Vec::new(),
    ));
    let review_before = state.review();
    assert!(before.finding_count > 0);

    let config = aws_sdk_guardduty::Config::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_guardduty::config::Credentials::new(
            KEY,
            "not-a-real-secret",
            None,
            None,
            "test",
        ))
        .endpoint_url(emulator.endpoint_url())
        .build();
    let client = aws_sdk_guardduty::Client::from_conf(config);
    let canceller = {
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            // Cancel only once the call is in flight at the emulator.
            while emulator.calls().peak_in_flight == 0 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            assert!(state.begin_pull().is_err(), "one pull at a time");
            assert!(state.cancel_pull(), "a pull was running");
            emulator
        })
    };
    let outcome = state.cancellable(client.list_detectors().send()).await;
    let emulator = canceller.await.expect("the canceller ran");

    let error = outcome.expect_err("the cancel signal won the race");
    assert_eq!(error.code, ErrorCode::Cancelled);
    assert_eq!(
        state.summary(),
        before,
        "the previous results are still shown"
    );
    assert!(Arc::ptr_eq(&state.review(), &review_before));
    assert_eq!(
        emulator.calls().records.len(),
        0,
        "the stalled call never completed"
    );
    assert!(!state.cancel_pull(), "nothing is running after the cancel");
    assert!(state.begin_pull().is_ok(), "a new pull may start");
}
