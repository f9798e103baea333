//! The real `aws-sdk-ssooidc` and `aws-sdk-sso` clients against the emulator's SSO sign-in:
//! the device flow, the errors that steer its polling, role credentials, and GuardDuty calls
//! signed with them.

mod common;

use std::time::Duration;

use aws_sdk_ssooidc::error::ProvideErrorMetadata;
use aws_sdk_ssooidc::operation::create_token::CreateTokenError;
use guardduty_emulator::{Emulator, EmulatorHandle, Operation};

use common::raw_request;

const REGION: &str = "us-east-1";
const START_URL: &str = "https://emulator.awsapps.com/start";
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
const ACCOUNT: &str = "111122223333";
const ROLE: &str = "GuardDutyReader";

/// An SSO OIDC client for the emulator, without retries so every answer is seen once.
fn oidc(endpoint: &str) -> aws_sdk_ssooidc::Client {
    let config = aws_sdk_ssooidc::Config::builder()
        .behavior_version(aws_sdk_ssooidc::config::BehaviorVersion::latest())
        .region(aws_sdk_ssooidc::config::Region::new(REGION))
        .endpoint_url(endpoint)
        .retry_config(aws_sdk_ssooidc::config::retry::RetryConfig::disabled())
        .build();
    aws_sdk_ssooidc::Client::from_conf(config)
}

/// An SSO portal client for the emulator, without retries.
fn portal(endpoint: &str) -> aws_sdk_sso::Client {
    let config = aws_sdk_sso::Config::builder()
        .behavior_version(aws_sdk_sso::config::BehaviorVersion::latest())
        .region(aws_sdk_sso::config::Region::new(REGION))
        .endpoint_url(endpoint)
        .retry_config(aws_sdk_sso::config::retry::RetryConfig::disabled())
        .build();
    aws_sdk_sso::Client::from_conf(config)
}

/// A registered client and a started device authorization.
struct Started {
    client: aws_sdk_ssooidc::Client,
    client_id: String,
    client_secret: String,
    device_code: String,
    user_code: String,
    verification_uri_complete: String,
    expires_in: i32,
}

impl Started {
    async fn begin(server: &EmulatorHandle) -> anyhow::Result<Self> {
        let client = oidc(&server.endpoint_url());
        let registered = client
            .register_client()
            .client_name("threat-review")
            .client_type("public")
            .scopes("sso:account:access")
            .send()
            .await?;
        let client_id = registered.client_id().unwrap_or_default().to_owned();
        let client_secret = registered.client_secret().unwrap_or_default().to_owned();
        assert!(registered.client_secret_expires_at() > registered.client_id_issued_at());
        let device = client
            .start_device_authorization()
            .client_id(&client_id)
            .client_secret(&client_secret)
            .start_url(START_URL)
            .send()
            .await?;
        assert_eq!(device.interval(), 1);
        let endpoint = server.endpoint_url();
        assert_eq!(
            device.verification_uri(),
            Some(&*format!("{endpoint}/device"))
        );
        Ok(Self {
            expires_in: device.expires_in(),
            device_code: device.device_code().unwrap_or_default().to_owned(),
            user_code: device.user_code().unwrap_or_default().to_owned(),
            verification_uri_complete: device
                .verification_uri_complete()
                .unwrap_or_default()
                .to_owned(),
            client,
            client_id,
            client_secret,
        })
    }

    async fn poll(
        &self,
    ) -> Result<aws_sdk_ssooidc::operation::create_token::CreateTokenOutput, CreateTokenError> {
        self.client
            .create_token()
            .client_id(&self.client_id)
            .client_secret(&self.client_secret)
            .grant_type(DEVICE_GRANT)
            .device_code(&self.device_code)
            .send()
            .await
            .map_err(aws_sdk_ssooidc::error::SdkError::into_service_error)
    }
}

#[tokio::test]
async fn the_device_flow_yields_role_credentials_that_guardduty_accepts() -> anyhow::Result<()> {
    let server = Emulator::builder().generate(REGION, 5, 1).start().await?;
    let started = Started::begin(&server).await?;
    assert_eq!(started.expires_in, 600);
    let code = &started.user_code;
    assert!(code.len() == 9 && code.as_bytes()[4] == b'-', "{code}");
    assert!(
        started
            .verification_uri_complete
            .ends_with(&format!("/device?user_code={code}"))
    );
    for _ in 0..2 {
        let pending = started.poll().await.expect_err("still pending");
        assert!(pending.is_authorization_pending_exception(), "{pending:?}");
        assert_eq!(pending.code(), Some("AuthorizationPendingException"));
    }
    let token = started.poll().await?;
    assert_eq!(token.access_token(), Some("emulator-sso-access-token-0001"));
    assert_eq!(token.token_type(), Some("Bearer"));
    assert_eq!(token.expires_in(), 8 * 3600);
    assert!(token.refresh_token().is_some());
    let access_token = token.access_token().unwrap_or_default();

    let role = portal(&server.endpoint_url())
        .get_role_credentials()
        .access_token(access_token)
        .account_id(ACCOUNT)
        .role_name(ROLE)
        .send()
        .await?;
    let credentials = role.role_credentials().expect("role credentials");
    assert_eq!(credentials.access_key_id(), Some("ASIASSOEMULATOR00001"));
    let session_token = credentials.session_token().unwrap_or_default();
    assert!(!session_token.is_empty());
    let hour_millis = 3_600_000;
    let now_millis = i64::try_from(std::time::UNIX_EPOCH.elapsed()?.as_millis())?;
    assert!((credentials.expiration() - now_millis - hour_millis).abs() < 60_000);

    let guardduty = |token: Option<&str>| {
        let credentials = aws_sdk_guardduty::config::Credentials::new(
            credentials.access_key_id().unwrap_or_default(),
            credentials.secret_access_key().unwrap_or_default(),
            token.map(str::to_owned),
            None,
            "sso",
        );
        let config = aws_sdk_guardduty::Config::builder()
            .behavior_version(aws_sdk_guardduty::config::BehaviorVersion::latest())
            .region(aws_sdk_guardduty::config::Region::new(REGION))
            .credentials_provider(credentials)
            .endpoint_url(server.endpoint_url())
            .build();
        aws_sdk_guardduty::Client::from_conf(config)
    };
    let detectors = guardduty(Some(session_token))
        .list_detectors()
        .send()
        .await?;
    assert_eq!(detectors.detector_ids().len(), 1);
    let refused = guardduty(None).list_detectors().send().await;
    let refused = refused
        .expect_err("the session token is required")
        .into_service_error();
    assert_eq!(refused.code(), Some("UnrecognizedClientException"));

    let calls = server.calls();
    let accepted: Vec<_> = calls.records.iter().filter(|r| r.status == 200).collect();
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0].access_key_id, "ASIASSOEMULATOR00001");
    assert_eq!(accepted[0].session_token.as_deref(), Some(session_token));
    assert_eq!(calls.count_sso(Operation::RegisterClient), 1);
    assert_eq!(calls.count_sso(Operation::StartDeviceAuthorization), 1);
    assert_eq!(calls.count_sso(Operation::CreateToken), 3);
    assert_eq!(calls.count_sso(Operation::GetRoleCredentials), 1);
    let role_call = calls.sso.last().expect("the portal call");
    assert_eq!(role_call.account_id.as_deref(), Some(ACCOUNT));
    assert_eq!(role_call.role_name.as_deref(), Some(ROLE));
    assert_eq!(
        role_call.issued_access_key_id.as_deref(),
        Some("ASIASSOEMULATOR00001")
    );
    assert_eq!(server.sso_access_tokens()[0].access_token, access_token);
    assert_eq!(
        server.sso_role_credentials()[0].session_token,
        session_token
    );
    assert_eq!(server.sso_device_authorizations()[0].pending_answers, 2);
    Ok(())
}

#[tokio::test]
async fn manual_approval_comes_from_the_handle_or_the_verification_page() -> anyhow::Result<()> {
    let server = Emulator::builder().sso_approve_manually().start().await?;
    let first = Started::begin(&server).await?;
    let second = Started::begin(&server).await?;
    for _ in 0..4 {
        let pending = first.poll().await.expect_err("pending until approved");
        assert!(pending.is_authorization_pending_exception());
    }
    assert!(server.approve_device(&first.user_code));
    assert!(!server.approve_device("ZZZZ-ZZZZ"));
    assert!(first.poll().await?.access_token().is_some());
    let spent = first.poll().await.expect_err("a device code is used once");
    assert!(spent.is_invalid_grant_exception(), "{spent:?}");

    let path = second
        .verification_uri_complete
        .trim_start_matches(&server.endpoint_url());
    let page = raw_request(server.local_addr(), "GET", path, "", "").await?;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("approved"));
    assert!(second.poll().await?.access_token().is_some());
    Ok(())
}

#[tokio::test]
async fn denial_slow_polling_and_expiry_give_the_sdk_its_error_kinds() -> anyhow::Result<()> {
    let server = Emulator::builder()
        .sso_approve_after(1)
        .sso_deny()
        .start()
        .await?;
    let started = Started::begin(&server).await?;
    assert!(
        started
            .poll()
            .await
            .expect_err("pending")
            .is_authorization_pending_exception()
    );
    let denied = started.poll().await.expect_err("denied");
    assert!(denied.is_access_denied_exception(), "{denied:?}");

    let server = Emulator::builder().sso_enforce_interval().start().await?;
    let started = Started::begin(&server).await?;
    assert!(
        started
            .poll()
            .await
            .expect_err("pending")
            .is_authorization_pending_exception()
    );
    let early = started.poll().await.expect_err("too early");
    assert!(early.is_slow_down_exception(), "{early:?}");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert!(
        started
            .poll()
            .await
            .expect_err("pending")
            .is_authorization_pending_exception()
    );

    let server = Emulator::builder()
        .sso_device_code_ttl(Duration::ZERO)
        .start()
        .await?;
    let started = Started::begin(&server).await?;
    assert_eq!(started.expires_in, 0);
    let expired = started.poll().await.expect_err("expired");
    assert!(expired.is_expired_token_exception(), "{expired:?}");
    let calls = server.calls();
    assert_eq!(
        calls.sso.last().and_then(|c| c.error.as_deref()),
        Some("ExpiredTokenException")
    );
    assert_eq!(calls.sso.last().map(|c| c.status), Some(400));
    Ok(())
}

#[tokio::test]
async fn an_unknown_client_is_refused_and_a_refresh_token_buys_a_new_token() -> anyhow::Result<()> {
    let server = Emulator::builder().sso_approve_after(0).start().await?;
    let client = oidc(&server.endpoint_url());
    let unknown = client
        .start_device_authorization()
        .client_id("nobody")
        .client_secret("nothing")
        .start_url(START_URL)
        .send()
        .await
        .expect_err("unknown client")
        .into_service_error();
    assert!(unknown.is_invalid_client_exception(), "{unknown:?}");

    let started = Started::begin(&server).await?;
    let first = started.poll().await?;
    let refreshed = started
        .client
        .create_token()
        .client_id(&started.client_id)
        .client_secret(&started.client_secret)
        .grant_type("refresh_token")
        .refresh_token(first.refresh_token().unwrap_or_default())
        .send()
        .await?;
    assert_eq!(
        refreshed.access_token(),
        Some("emulator-sso-access-token-0002")
    );
    assert_eq!(refreshed.refresh_token(), first.refresh_token());
    let tokens = server.sso_access_tokens();
    assert_eq!(tokens.len(), 2);
    assert_eq!(tokens[1].client_id, started.client_id);
    Ok(())
}

#[tokio::test]
async fn the_portal_refuses_unknown_and_expired_bearer_tokens() -> anyhow::Result<()> {
    let server = Emulator::builder().sso_approve_after(0).start().await?;
    let portal = portal(&server.endpoint_url());
    let ask = |token: String| {
        portal
            .get_role_credentials()
            .access_token(token)
            .account_id(ACCOUNT)
            .role_name(ROLE)
            .send()
    };
    let unknown = ask("forged".to_owned()).await.expect_err("unknown token");
    let unknown = unknown.into_service_error();
    assert!(unknown.is_unauthorized_exception(), "{unknown:?}");

    let token = Started::begin(&server).await?.poll().await?;
    let token = token.access_token().unwrap_or_default().to_owned();
    assert!(ask(token.clone()).await.is_ok());
    server.expire_sso_access_tokens();
    let expired = ask(token)
        .await
        .expect_err("expired token")
        .into_service_error();
    assert!(expired.is_unauthorized_exception(), "{expired:?}");
    assert_eq!(server.sso_role_credentials().len(), 1);
    assert_eq!(server.calls().sso.last().map(|c| c.status), Some(401));
    Ok(())
}

#[tokio::test]
async fn unsigned_calls_to_other_paths_are_still_refused() -> anyhow::Result<()> {
    let server = Emulator::builder().start().await?;
    let response = raw_request(server.local_addr(), "GET", "/detector", "", "").await?;
    assert_eq!(response.status, 403);
    assert!(
        response
            .headers
            .contains("missingauthenticationtokenexception")
    );
    let token = raw_request(server.local_addr(), "POST", "/token", "", "[]").await?;
    assert_eq!(token.status, 400);
    assert!(
        token
            .headers
            .contains("x-amzn-errortype: invalidrequestexception")
    );
    assert_eq!(server.calls().unauthenticated, 1);
    Ok(())
}
