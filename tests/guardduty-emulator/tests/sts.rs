//! The real `aws-sdk-sts` client against the emulator's STS: AssumeRole with and without a
//! required MFA code, GetCallerIdentity, and GuardDuty calls signed with the assumed key.

mod common;

use aws_sdk_sts::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sts::error::ProvideErrorMetadata;
use guardduty_emulator::{Emulator, Fault, FaultRule, Operation};

use common::{SECRET, raw_request};

const REGION: &str = "us-east-1";
const SOURCE_KEY: &str = "AKIDTESTSTSSOURCE001";
const ROLE: &str = "arn:aws:iam::444455556666:role/guardduty-audit";
const MFA: &str = "arn:aws:iam::111122223333:mfa/analyst";

/// An STS client that signs as `access_key_id` (with `session_token`, if any) and talks to
/// `endpoint`, without retries so every refusal is seen once.
fn sts(endpoint: &str, access_key_id: &str, session_token: Option<&str>) -> aws_sdk_sts::Client {
    let credentials = Credentials::new(
        access_key_id,
        SECRET,
        session_token.map(str::to_owned),
        None,
        "emulator-test",
    );
    let config = aws_sdk_sts::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .credentials_provider(credentials)
        .endpoint_url(endpoint)
        .retry_config(aws_sdk_sts::config::retry::RetryConfig::disabled())
        .build();
    aws_sdk_sts::Client::from_conf(config)
}

/// A GuardDuty client signing with temporary credentials.
fn guardduty(
    endpoint: &str,
    credentials: &aws_sdk_sts::types::Credentials,
) -> aws_sdk_guardduty::Client {
    let credentials = aws_sdk_guardduty::config::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        Some(credentials.session_token().to_owned()),
        None,
        "assumed",
    );
    let config = aws_sdk_guardduty::Config::builder()
        .behavior_version(aws_sdk_guardduty::config::BehaviorVersion::latest())
        .region(aws_sdk_guardduty::config::Region::new(REGION))
        .credentials_provider(credentials)
        .endpoint_url(endpoint)
        .build();
    aws_sdk_guardduty::Client::from_conf(config)
}

#[tokio::test]
async fn assume_role_without_mfa_hands_out_credentials_that_guardduty_accepts() -> anyhow::Result<()>
{
    let server = Emulator::builder().generate(REGION, 20, 1).start().await?;
    let endpoint = server.endpoint_url();
    let assumed = sts(&endpoint, SOURCE_KEY, None)
        .assume_role()
        .role_arn(ROLE)
        .role_session_name("threat-review")
        .duration_seconds(900)
        .send()
        .await?;
    let credentials = assumed.credentials().expect("credentials");
    assert_eq!(credentials.access_key_id(), "ASIAEMULATOR00000001");
    assert!(!credentials.session_token().is_empty());
    let user = assumed.assumed_role_user().expect("assumed role user");
    assert_eq!(
        user.arn(),
        "arn:aws:sts::444455556666:assumed-role/guardduty-audit/threat-review"
    );
    assert!(user.assumed_role_id().ends_with(":threat-review"));

    let detectors = guardduty(&endpoint, credentials)
        .list_detectors()
        .send()
        .await?;
    assert_eq!(detectors.detector_ids().len(), 1);

    let calls = server.calls();
    assert_eq!(calls.sts.len(), 1);
    let call = &calls.sts[0];
    assert_eq!(call.operation, Some(Operation::AssumeRole));
    assert_eq!(call.access_key_id, SOURCE_KEY);
    assert_eq!(call.role_arn.as_deref(), Some(ROLE));
    assert_eq!(call.role_session_name.as_deref(), Some("threat-review"));
    assert_eq!(call.duration_seconds.as_deref(), Some("900"));
    assert_eq!(
        (call.serial_number.as_deref(), call.token_code.as_deref()),
        (None, None)
    );
    assert_eq!(
        call.issued_access_key_id.as_deref(),
        Some("ASIAEMULATOR00000001")
    );
    assert_eq!(call.status, 200);

    assert_eq!(
        calls.records.len(),
        1,
        "the STS call is not in the GuardDuty log"
    );
    let record = &calls.records[0];
    assert_eq!(record.operation, Operation::ListDetectors);
    assert_eq!(record.access_key_id, "ASIAEMULATOR00000001");
    assert_eq!(
        record.session_token.as_deref(),
        Some(credentials.session_token())
    );
    assert_eq!(record.status, 200);

    let issued = server.assumed_credentials();
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0].source_access_key_id, SOURCE_KEY);
    assert_eq!(issued[0].session_token, credentials.session_token());
    Ok(())
}

#[tokio::test]
async fn a_required_mfa_code_is_checked_before_the_role_is_assumed() -> anyhow::Result<()> {
    let server = Emulator::builder()
        .require_mfa(MFA, "123456")
        .start()
        .await?;
    let client = sts(&server.endpoint_url(), SOURCE_KEY, None);
    let assume = || {
        client
            .assume_role()
            .role_arn(ROLE)
            .role_session_name("triage")
    };

    let without = assume().send().await.expect_err("MFA is required");
    assert_eq!(without.code(), Some("AccessDenied"));
    assert!(
        without
            .message()
            .is_some_and(|m| m.contains("not authorized to perform: sts:AssumeRole")),
        "{without:?}"
    );
    let wrong = assume()
        .serial_number(MFA)
        .token_code("654321")
        .send()
        .await
        .expect_err("wrong code");
    assert_eq!(wrong.code(), Some("AccessDenied"));
    assert!(
        wrong
            .message()
            .is_some_and(|m| m.contains("MultiFactorAuthentication failed")),
        "{wrong:?}"
    );
    let right = assume()
        .serial_number(MFA)
        .token_code("123456")
        .send()
        .await?;
    assert_eq!(
        right.credentials().map(|c| c.access_key_id()),
        Some("ASIAEMULATOR00000001"),
        "refused calls hand out nothing"
    );

    let calls = server.calls();
    let statuses: Vec<u16> = calls.sts.iter().map(|c| c.status).collect();
    assert_eq!(statuses, [403, 403, 200]);
    let codes: Vec<Option<&str>> = calls.sts.iter().map(|c| c.token_code.as_deref()).collect();
    assert_eq!(codes, [None, Some("654321"), Some("123456")]);
    assert_eq!(calls.sts[2].serial_number.as_deref(), Some(MFA));
    Ok(())
}

#[tokio::test]
async fn get_caller_identity_names_the_user_or_the_assumed_role() -> anyhow::Result<()> {
    let server = Emulator::builder().start().await?;
    let endpoint = server.endpoint_url();
    let source = sts(&endpoint, SOURCE_KEY, None);
    let me = source.get_caller_identity().send().await?;
    assert_eq!(me.account(), Some("111122223333"));
    assert_eq!(me.arn(), Some("arn:aws:iam::111122223333:user/emulator"));
    assert!(me.user_id().is_some_and(|id| id.starts_with("AIDA")));

    let assumed = source
        .assume_role()
        .role_arn(ROLE)
        .role_session_name("whoami")
        .send()
        .await?;
    let credentials = assumed.credentials().expect("credentials");
    let role = sts(
        &endpoint,
        credentials.access_key_id(),
        Some(credentials.session_token()),
    );
    let who = role.get_caller_identity().send().await?;
    assert_eq!(who.account(), Some("444455556666"));
    assert_eq!(
        who.arn(),
        Some("arn:aws:sts::444455556666:assumed-role/guardduty-audit/whoami")
    );
    let operations: Vec<Option<Operation>> =
        server.calls().sts.iter().map(|c| c.operation).collect();
    assert_eq!(
        operations,
        [
            Some(Operation::GetCallerIdentity),
            Some(Operation::AssumeRole),
            Some(Operation::GetCallerIdentity)
        ]
    );
    Ok(())
}

#[tokio::test]
async fn an_assumed_key_without_its_session_token_is_refused() -> anyhow::Result<()> {
    let server = Emulator::builder().start().await?;
    let endpoint = server.endpoint_url();
    let assumed = sts(&endpoint, SOURCE_KEY, None)
        .assume_role()
        .role_arn(ROLE)
        .role_session_name("triage")
        .send()
        .await?;
    let key = assumed.credentials().expect("credentials").access_key_id();
    let forged = aws_sdk_sts::types::Credentials::builder()
        .access_key_id(key)
        .secret_access_key(SECRET)
        .session_token("not-the-token")
        .expiration(aws_sdk_sts::primitives::DateTime::from_secs(0))
        .build()?;
    let refused = guardduty(&endpoint, &forged).list_detectors().send().await;
    assert_eq!(
        refused.expect_err("wrong token").code(),
        Some("UnrecognizedClientException")
    );
    let refused = sts(&endpoint, key, Some("not-the-token"))
        .get_caller_identity()
        .send()
        .await;
    assert_eq!(
        refused.expect_err("wrong token").code(),
        Some("InvalidClientTokenId")
    );
    Ok(())
}

#[tokio::test]
async fn faults_reach_sts_calls_and_are_answered_in_xml() -> anyhow::Result<()> {
    let server = Emulator::builder()
        .fault(FaultRule::new(Fault::ExpiredToken).for_operation(Operation::AssumeRole))
        .start()
        .await?;
    let client = sts(&server.endpoint_url(), SOURCE_KEY, None);
    let expired = client
        .assume_role()
        .role_arn(ROLE)
        .role_session_name("triage")
        .send()
        .await
        .expect_err("source credentials expired");
    assert_eq!(expired.code(), Some("ExpiredToken"));
    client.get_caller_identity().send().await?;
    Ok(())
}

#[tokio::test]
async fn a_post_to_the_root_signed_for_guardduty_is_still_no_operation() -> anyhow::Result<()> {
    let server = Emulator::builder().start().await?;
    let guardduty = "Authorization: AWS4-HMAC-SHA256 Credential=AK/20250601/us-east-1/guardduty/\
                     aws4_request, SignedHeaders=host, Signature=00\r\n";
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let response = raw_request(server.local_addr(), "POST", "/", guardduty, body).await?;
    assert_eq!(response.status, 404);
    let sts = guardduty.replace("/guardduty/", "/sts/");
    let response = raw_request(server.local_addr(), "POST", "/", &sts, "Action=Nope").await?;
    assert_eq!(response.status, 400);
    assert!(
        response.body.contains("<Code>InvalidAction</Code>"),
        "{}",
        response.body
    );
    assert!(response.headers.contains("content-type: text/xml"));
    Ok(())
}
