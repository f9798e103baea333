//! Assume-role profiles through the emulator's loopback STS: plain `source_profile` roles
//! and roles that need an MFA code, both resolved by Threat Review so `--endpoint-url` reaches STS,
//! and the GuardDuty calls carrying the assumed key.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{json, run, threat_review};
use guardduty_emulator::{Emulator, EmulatorHandle, generate_findings};

const SOURCE_KEY: &str = "AKIDTESTSOURCE000001";
const SOURCE_SECRET: &str = "source-secret-0b7e41c9";
const SERIAL: &str = "arn:aws:iam::111122223333:mfa/analyst";

fn home_with_roles() -> tempfile::TempDir {
    common::aws_home(
        &format!(
            "[profile base keys]\nregion = us-east-1\nmfa_serial = {SERIAL}\n\n\
             [profile member audit]\nrole_arn = arn:aws:iam::444455556666:role/Audit\n\
             source_profile = base keys\n\n\
             [profile plain role]\nrole_arn = arn:aws:iam::444455556666:role/ReadOnly\n\
             source_profile = no mfa\nregion = us-east-1\n\n[profile no mfa]\nregion = us-east-1\n"
        ),
        &format!(
            "[base keys]\naws_access_key_id = {SOURCE_KEY}\naws_secret_access_key = {SOURCE_SECRET}\n\n\
             [no mfa]\naws_access_key_id = AKIDTESTNOMFA0000001\naws_secret_access_key = s\n"
        ),
    )
}

async fn pull(home: &Path, emulator: &EmulatorHandle, args: &[&str]) -> (i32, String, String) {
    let mut command = threat_review(home);
    command
        .arg("pull")
        .args(["--endpoint-url", &emulator.endpoint_url()])
        .args(args);
    tokio::task::spawn_blocking(move || run(&mut command))
        .await
        .unwrap()
}

async fn emulator(mfa: bool) -> EmulatorHandle {
    let mut builder =
        Emulator::builder().add_findings("us-east-1", generate_findings("us-east-1", 40, 12));
    if mfa {
        builder = builder.require_mfa(SERIAL, "123456");
    }
    builder.build().start().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_with_mfa_on_its_source_profile_is_assumed_with_the_code_given() {
    let emulator = emulator(true).await;
    let home = home_with_roles();
    let args = [
        "--profile",
        "member audit",
        "--mfa-code",
        "123456",
        "--json",
    ];
    let (code, stdout, stderr) = pull(home.path(), &emulator, &args).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["regions"][0]["status"], "ok");

    let assumed = emulator.assumed_credentials();
    assert_eq!(assumed.len(), 1);
    assert_eq!(assumed[0].role_arn, "arn:aws:iam::444455556666:role/Audit");
    assert_eq!(assumed[0].source_access_key_id, SOURCE_KEY);
    let calls = emulator.calls();
    assert_eq!(
        calls.access_key_ids(),
        BTreeSet::from([assumed[0].access_key_id.clone()])
    );
    assert!(
        calls
            .records
            .iter()
            .all(|r| r.session_token.as_deref() == Some(assumed[0].session_token.as_str())),
        "every GuardDuty call carries the session token"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_that_needs_mfa_says_which_flag_without_a_code_and_refuses_a_wrong_one() {
    let emulator = emulator(true).await;
    let home = home_with_roles();
    let (code, _, stderr) = pull(home.path(), &emulator, &["--profile", "member audit"]).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "profile member audit needs an MFA code from {SERIAL}: pass --mfa-code"
        )),
        "{stderr}"
    );

    let args = ["--profile", "member audit", "--mfa-code", "000000"];
    let (code, _, stderr) = pull(home.path(), &emulator, &args).await;
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("a wrong or already used code is the usual cause"),
        "{stderr}"
    );
    assert!(
        emulator.calls().records.is_empty(),
        "GuardDuty was not called without a session"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_without_mfa_is_assumed_through_the_same_endpoint() {
    let emulator = emulator(false).await;
    let home = home_with_roles();
    let (code, stdout, stderr) = pull(
        home.path(),
        &emulator,
        &["--profile", "plain role", "--json"],
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["regions"][0]["status"], "ok");
    let assumed = emulator.assumed_credentials();
    assert_eq!(assumed.len(), 1, "STS was asked once");
    assert_eq!(assumed[0].source_access_key_id, "AKIDTESTNOMFA0000001");
    assert_eq!(
        emulator.calls().access_key_ids(),
        BTreeSet::from([assumed[0].access_key_id.clone()])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_with_sso_writes_the_aws_cli_token_cache_and_the_pull_uses_it() {
    let emulator = Emulator::builder()
        .add_findings("us-east-1", generate_findings("us-east-1", 40, 13))
        .sso_approve_after(2)
        .build()
        .start()
        .await
        .unwrap();
    let home = common::aws_home(
        "[profile corp]\nsso_session = corp\nsso_account_id = 111122223333\n\
         sso_role_name = Audit\nregion = us-east-1\n\n[sso-session corp]\n\
         sso_start_url = https://corp.example/start\nsso_region = us-east-1\n",
        "",
    );
    let aws = home.path().join(".aws");
    let url = emulator.endpoint_url();
    let mut login = threat_review(home.path());
    login
        .env("AWS_ENDPOINT_URL", &url)
        .env("RUST_LOG", "trace")
        .args(["profiles", "login", "corp"]);
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || run(&mut login))
        .await
        .unwrap();
    assert_eq!(code, 0, "{stderr}");
    let code_shown = emulator.sso_device_authorizations()[0].user_code.clone();
    assert!(
        stderr.contains(&format!("and confirm the code {code_shown} (before ")),
        "{stderr}"
    );
    assert!(
        stdout.starts_with("Signed in with profile corp; the session lasts until "),
        "{stdout}"
    );

    let tokens = emulator.sso_access_tokens();
    assert_eq!(tokens.len(), 1);
    let cache = aws.join("sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json");
    let cached: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
    assert_eq!(cached["accessToken"], tokens[0].access_token.as_str());
    assert_eq!(cached["startUrl"], "https://corp.example/start");
    assert_eq!(cached["region"], "us-east-1");
    assert_eq!(cached["clientId"], tokens[0].client_id.as_str());
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&cache).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600, "the token file is the user's alone");
    assert!(!stdout.contains(&tokens[0].access_token) && !stderr.contains(&tokens[0].access_token));

    // aws-config's SSO provider reads AWS_ENDPOINT_URL (not --endpoint-url) for the portal.
    let mut pull = threat_review(home.path());
    pull.env("AWS_ENDPOINT_URL", &url)
        .args(["pull", "--profile", "corp", "--json"]);
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || run(&mut pull))
        .await
        .unwrap();
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["regions"][0]["status"], "ok");
    let issued = emulator.sso_role_credentials();
    assert_eq!(issued.len(), 1, "one role-credentials call per pull");
    assert_eq!(
        emulator.calls().access_key_ids(),
        BTreeSet::from([issued[0].access_key_id.clone()])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_with_a_profile_that_is_not_sso_says_so() {
    let emulator = emulator(false).await;
    let home = home_with_roles();
    let mut login = threat_review(home.path());
    login
        .env("AWS_ENDPOINT_URL", emulator.endpoint_url())
        .args(["profiles", "login", "no mfa"]);
    let (code, _, stderr) = tokio::task::spawn_blocking(move || run(&mut login))
        .await
        .unwrap();
    assert_eq!(code, 2);
    assert!(stderr.contains("does not sign in with SSO"), "{stderr}");
}
