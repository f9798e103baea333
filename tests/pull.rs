//! `threat-review pull` end to end: the real binary, the real AWS SDK, a real `~/.aws` in a
//! temp HOME, and the GuardDuty emulator on loopback.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::{finding_ids, fixture, json, run, threat_review};
use guardduty_emulator::{
    Emulator, EmulatorHandle, Fault, FaultRule, Operation, generate_findings,
};
use serde_json::Value;

const KEY: &str = "AKIDTESTAUDIT0000001";

/// A HOME whose `~/.aws` has the profile `audit` (region us-east-1) with static keys.
fn home_with_profile() -> tempfile::TempDir {
    common::aws_home(
        "[profile audit]\nregion = us-east-1\n\n[profile noregion]\n",
        &format!(
            "[audit]\naws_access_key_id = {KEY}\naws_secret_access_key = test-secret-not-real\n\n\
             [noregion]\naws_access_key_id = AKIDTESTNOREGION0001\naws_secret_access_key = x\n"
        ),
    )
}

async fn output(mut command: Command) -> (i32, String, String) {
    tokio::task::spawn_blocking(move || run(&mut command))
        .await
        .unwrap()
}

fn pull(home: &Path, emulator: &EmulatorHandle, args: &[&str]) -> Command {
    let mut command = threat_review(home);
    command
        .arg("pull")
        .args(["--endpoint-url", &emulator.endpoint_url()])
        .args(args);
    command
}

/// The ids the server should return: in-scope types, not archived.
fn expected_ids(findings: &[Value]) -> BTreeSet<String> {
    findings
        .iter()
        .filter(|f| threat_review::catalog::in_scope(f["type"].as_str().unwrap()))
        .filter(|f| f["service"]["archived"] != true)
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn pulls_two_regions_with_a_profile_and_fetches_only_in_scope_findings() {
    let east = generate_findings("us-east-1", 230, 7);
    let west = generate_findings("eu-west-1", 120, 8);
    let emulator = Emulator::builder()
        .add_findings("us-east-1", east.clone())
        .add_findings("eu-west-1", west.clone())
        .build()
        .start()
        .await
        .unwrap();
    let home = home_with_profile();
    let args = [
        "--profile",
        "audit",
        "--region",
        "us-east-1",
        "--region",
        "eu-west-1",
        "--json",
    ];
    let (code, stdout, stderr) = output(pull(home.path(), &emulator, &args)).await;
    assert_eq!(code, 0, "{stderr}");
    let out = json(&stdout);

    let mut expected = expected_ids(&east);
    expected.extend(expected_ids(&west));
    let got: BTreeSet<String> = finding_ids(&out).into_iter().collect();
    assert_eq!(got, expected);
    assert_eq!(finding_ids(&out).len(), expected.len(), "no finding twice");

    let regions = out["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 2);
    assert_eq!(regions[0]["region"], "us-east-1");
    assert_eq!(regions[0]["profile"], "audit");
    assert_eq!(regions[0]["status"], "ok");
    assert_eq!(regions[0]["findings"], expected_ids(&east).len());
    assert_eq!(regions[1]["status"], "ok");
    assert_eq!(
        out["outOfScope"],
        Value::Null,
        "the server filtered; nothing was seen"
    );

    let calls = emulator.calls();
    let fetched: BTreeSet<String> = calls.fetched_finding_ids().into_iter().collect();
    assert_eq!(
        fetched, expected,
        "GetFindings asked for exactly the in-scope findings"
    );
    assert_eq!(calls.access_key_ids(), BTreeSet::from([KEY.to_owned()]));
    assert_eq!(
        calls.regions(),
        BTreeSet::from(["eu-west-1".to_owned(), "us-east-1".to_owned()])
    );
    for record in calls
        .records
        .iter()
        .filter(|r| r.operation == Operation::GetFindings)
    {
        assert!(record.finding_ids.len() <= 50, "at most 50 ids a call");
    }
    let list = calls
        .records
        .iter()
        .find(|r| r.operation == Operation::ListFindings)
        .unwrap();
    let criterion = &list.body.as_ref().unwrap()["findingCriteria"]["criterion"];
    assert_eq!(
        criterion["service.archived"]["equals"],
        serde_json::json!(["false"])
    );
    assert_eq!(criterion["type"]["equals"].as_array().unwrap().len(), 10);
}

#[tokio::test(flavor = "multi_thread")]
async fn takes_the_region_of_the_profile_and_the_endpoint_from_the_environment() {
    let emulator = Emulator::builder()
        .add_findings("us-east-1", generate_findings("us-east-1", 40, 1))
        .build()
        .start()
        .await
        .unwrap();
    let home = home_with_profile();
    let mut command = threat_review(home.path());
    command
        .args(["pull", "--profile", "audit", "--json"])
        .env("AWS_ENDPOINT_URL", emulator.endpoint_url());
    let (code, stdout, stderr) = output(command).await;
    assert_eq!(code, 0, "{stderr}");
    let out = json(&stdout);
    assert_eq!(out["regions"][0]["region"], "us-east-1");
    assert!(emulator.calls().count(Operation::GetFindings) > 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn names_the_flag_when_there_is_no_region_and_refuses_unknown_profiles() {
    let emulator = Emulator::builder().build().start().await.unwrap();
    let home = home_with_profile();
    let (code, _, stderr) = output(pull(home.path(), &emulator, &["--profile", "noregion"])).await;
    assert_eq!(code, 2);
    assert!(stderr.contains("--region"), "{stderr}");
    let (code, _, stderr) = output(pull(home.path(), &emulator, &["--profile", "nobody"])).await;
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown profile \"nobody\""), "{stderr}");
    assert_eq!(emulator.calls().records.len(), 0, "nothing was called");
}

#[tokio::test(flavor = "multi_thread")]
async fn reports_each_region_and_keeps_the_ones_that_worked() {
    let emulator = Emulator::builder()
        .add_findings("us-east-1", generate_findings("us-east-1", 60, 2))
        .add_findings("eu-west-1", generate_findings("eu-west-1", 30, 3))
        .no_detector("ap-south-1")
        .disable_region("ap-east-1")
        .build()
        .start()
        .await
        .unwrap();
    let home = home_with_profile();
    let args = [
        "--profile",
        "audit",
        "--region",
        "us-east-1",
        "--region",
        "eu-west-1",
        "--region",
        "ap-south-1",
        "--region",
        "ap-east-1",
        "--json",
    ];
    let (code, stdout, stderr) = output(pull(home.path(), &emulator, &args)).await;
    assert_eq!(
        code, 3,
        "a named region that is not enabled has failed: {stderr}"
    );
    let out = json(&stdout);
    let statuses: Vec<(&str, &str)> = out["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["region"].as_str().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("us-east-1", "ok"),
            ("eu-west-1", "ok"),
            ("ap-south-1", "no-detector"),
            ("ap-east-1", "not-enabled")
        ]
    );
    let message = out["regions"][3]["error"].as_str().unwrap();
    assert!(message.contains("ap-east-1 is not enabled"), "{message}");
    assert!(stderr.contains("ap-east-1 is not enabled"), "{stderr}");
    assert!(!finding_ids(&out).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn exits_1_with_the_fix_when_every_region_has_expired_credentials() {
    let emulator = Emulator::builder()
        .add_findings("us-east-1", generate_findings("us-east-1", 10, 4))
        .fault(FaultRule::new(Fault::ExpiredToken))
        .build()
        .start()
        .await
        .unwrap();
    let home = home_with_profile();
    let (code, stdout, stderr) = output(pull(
        home.path(),
        &emulator,
        &["--profile", "audit", "--json"],
    ))
    .await;
    assert_eq!(code, 1, "{stderr}");
    let out = json(&stdout);
    assert_eq!(out["regions"][0]["status"], "expired");
    let message = out["regions"][0]["error"].as_str().unwrap();
    assert!(
        message.contains("aws sso login --profile audit"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_on_the_server_by_update_time_and_archive_state_as_asked() {
    let findings = generate_findings("us-east-1", 200, 5);
    let emulator = Emulator::builder()
        .add_findings("us-east-1", findings.clone())
        .build()
        .start()
        .await
        .unwrap();
    let home = home_with_profile();
    let since = "2025-05-20T00:00:00Z";
    let args = [
        "--profile",
        "audit",
        "--since",
        since,
        "--include-archived",
        "--json",
    ];
    let (code, stdout, stderr) = output(pull(home.path(), &emulator, &args)).await;
    assert_eq!(code, 0, "{stderr}");
    let since_ms = chrono::DateTime::parse_from_rfc3339(since)
        .unwrap()
        .timestamp_millis();
    let expected: BTreeSet<String> = findings
        .iter()
        .filter(|f| threat_review::catalog::in_scope(f["type"].as_str().unwrap()))
        .filter(|f| {
            let updated = f["updatedAt"].as_str().unwrap();
            chrono::DateTime::parse_from_rfc3339(updated)
                .unwrap()
                .timestamp_millis()
                >= since_ms
        })
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!expected.is_empty() && expected.len() < 200);
    let got: BTreeSet<String> = finding_ids(&json(&stdout)).into_iter().collect();
    assert_eq!(got, expected);
    let archived = findings
        .iter()
        .any(|f| f["service"]["archived"] == true && expected.contains(f["id"].as_str().unwrap()));
    assert!(
        archived,
        "the window holds archived findings, and they were pulled"
    );
    let calls = emulator.calls();
    let list = calls
        .records
        .iter()
        .find(|r| r.operation == Operation::ListFindings)
        .unwrap();
    let criterion = &list.body.as_ref().unwrap()["findingCriteria"]["criterion"];
    assert_eq!(criterion["updatedAt"]["greaterThanOrEqual"], since_ms);
    assert!(criterion.get("service.archived").is_none());
}

/// Both doors, one result: a fixture imported from its file and the same fixture pulled from
/// the emulator that serves it give equal groups and findings.
#[tokio::test(flavor = "multi_thread")]
async fn a_finding_pulled_equals_the_same_finding_imported() {
    let mut files = vec![fixture("findings/api-get-findings-response.json")];
    let public = common::root().join("../shared/fixtures/public-findings");
    // The API-shaped public samples; the others are not what GetFindings returns.
    for name in [
        "Trojan-EC2-BlackholeTraffic_DNS__elastic-integrations__api-finding.json",
        "Trojan-EC2-BlackholeTraffic__elastic-integrations__api-finding.json",
        "Trojan-EC2-DropPoint_DNS__elastic-integrations__api-finding.json",
        "Trojan-EC2-DGADomainRequest.B__terraform-aws-guardduty-s3__per-finding-s3-object.json",
        "other_Backdoor-EC2-CandCActivity.B__elastic-integrations__api-finding.json",
    ] {
        if public.join(name).exists() {
            files.push(public.join(name));
        }
    }
    for file in files {
        let mut builder = Emulator::builder();
        builder = builder.load_file(&file, Some("eu-west-1")).unwrap();
        let emulator = builder.build();
        let regions = emulator.regions();
        let emulator = emulator.start().await.unwrap();
        let home = home_with_profile();

        let mut import = threat_review(home.path());
        import
            .arg("import")
            .arg(&file)
            .args(["--all-types", "--json"]);
        let (code, imported, stderr) = output(import).await;
        assert_eq!(code, 0, "{stderr}");

        let mut args = vec![
            "--profile",
            "audit",
            "--all-types",
            "--include-archived",
            "--json",
        ];
        for region in &regions {
            args.extend(["--region", region]);
        }
        let (code, pulled, stderr) = output(pull(home.path(), &emulator, &args)).await;
        assert_eq!(code, 0, "{}: {stderr}", file.display());
        let (imported, pulled) = (json(&imported), json(&pulled));
        assert!(!finding_ids(&imported).is_empty(), "{}", file.display());
        assert_eq!(imported["groups"], pulled["groups"], "{}", file.display());
        assert_eq!(
            imported["withoutInstance"],
            pulled["withoutInstance"],
            "{}",
            file.display()
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn signs_with_a_profile_whose_name_has_spaces() {
    let emulator = Emulator::builder()
        .add_findings("eu-west-1", generate_findings("eu-west-1", 30, 6))
        .build()
        .start()
        .await
        .unwrap();
    let home = common::aws_home(
        "[profile lab keys]\nregion = eu-west-1\n",
        "[lab keys]\naws_access_key_id = AKIDTESTSPACES000001\naws_secret_access_key = x\n",
    );
    let (code, stdout, stderr) = output(pull(
        home.path(),
        &emulator,
        &["--profile", "lab keys", "--json"],
    ))
    .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["regions"][0]["profile"], "lab keys");
    assert_eq!(
        emulator.calls().access_key_ids(),
        BTreeSet::from(["AKIDTESTSPACES000001".to_owned()])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn signs_with_the_keys_a_credential_process_prints() {
    let emulator = Emulator::builder()
        .add_findings("us-east-1", generate_findings("us-east-1", 30, 9))
        .build()
        .start()
        .await
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let script = home.path().join("print-keys.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDTESTPROCESS00001\", \
         \"SecretAccessKey\": \"process-secret\"}'\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::create_dir_all(home.path().join(".aws")).unwrap();
    std::fs::write(
        home.path().join(".aws/config"),
        format!(
            "[profile tool]\nregion = us-east-1\ncredential_process = {}\n",
            script.display()
        ),
    )
    .unwrap();
    let (code, stdout, stderr) = output(pull(
        home.path(),
        &emulator,
        &["--profile", "tool", "--json"],
    ))
    .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["regions"][0]["status"], "ok");
    assert_eq!(
        emulator.calls().access_key_ids(),
        BTreeSet::from(["AKIDTESTPROCESS00001".to_owned()])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_sso_session_names_the_command_that_fixes_it() {
    let emulator = Emulator::builder().build().start().await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(aws.join("sso/cache")).unwrap();
    std::fs::write(
        aws.join("config"),
        "[profile corp]\nsso_session = corp\nsso_account_id = 111122223333\n\
         sso_role_name = Audit\nregion = us-east-1\n\n[sso-session corp]\n\
         sso_start_url = https://corp.example/start\nsso_region = us-east-1\n",
    )
    .unwrap();
    // The token cache of the AWS CLI, keyed by the SHA-1 of the session name, long expired.
    std::fs::write(
        aws.join("sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json"),
        "{\"accessToken\": \"expired-token\", \"expiresAt\": \"2020-01-01T00:00:00Z\", \
         \"region\": \"us-east-1\", \"startUrl\": \"https://corp.example/start\"}",
    )
    .unwrap();
    let (code, _, stderr) = output(pull(home.path(), &emulator, &["--profile", "corp"])).await;
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("the SSO session of profile corp has expired or was never started: run `aws sso login --profile corp`, then pull again"),
        "{stderr}"
    );
    assert_eq!(
        emulator.calls().records.len(),
        0,
        "GuardDuty was never called"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_pull_exits_130_and_writes_no_file() {
    let emulator = Emulator::builder()
        .add_findings("us-east-1", generate_findings("us-east-1", 20, 10))
        .fault(Fault::Latency(std::time::Duration::from_secs(600)))
        .build()
        .start()
        .await
        .unwrap();
    let home = home_with_profile();
    let target = home.path().join("findings.csv");
    let mut command = pull(home.path(), &emulator, &["--profile", "audit", "--csv"]);
    command
        .arg(&target)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = command.spawn().unwrap();
    // Interrupt once the first call is waiting at the emulator.
    while emulator.calls().peak_in_flight == 0 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    assert!(!target.exists(), "no file was written");
    let left: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        left.iter()
            .all(|name| !name.to_string_lossy().ends_with(".part")),
        "{left:?}"
    );
}
