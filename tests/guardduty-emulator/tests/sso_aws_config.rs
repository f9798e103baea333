//! aws-config's own SSO credentials provider (an `sso_session` profile with a cached token)
//! against the emulator: which endpoint its SSO OIDC and SSO portal clients use.
//!
//! The provider builds its clients from the environment and the profile files, not from the
//! `SdkConfig` being loaded: `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_SSO[_OIDC]`, or
//! `endpoint_url` in the profile) reaches them, `ConfigLoader::endpoint_url` does not. This
//! test proves both with two emulators: "env" named by `AWS_ENDPOINT_URL` and "code" given to
//! the loader. It sets process environment variables, so it is the only test in this binary.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_config::BehaviorVersion;
use aws_credential_types::provider::ProvideCredentials;
use guardduty_emulator::time::format_iso_millis;
use guardduty_emulator::{Emulator, Operation};
use sha1::{Digest, Sha1};

const REGION: &str = "us-east-1";
const START_URL: &str = "https://emulator.awsapps.com/start";
const SESSION: &str = "emulator";
const PROFILE: &str = "emulator-sso";

/// A free loopback port, found by binding port 0 and letting it go.
fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, `from_now` ahead.
fn iso_in(from_now: Duration) -> anyhow::Result<String> {
    let at = (SystemTime::now() + from_now).duration_since(UNIX_EPOCH)?;
    Ok(format_iso_millis(i64::try_from(at.as_millis())?))
}

/// Writes the profile file and returns its path.
fn write_profile(home: &Path) -> std::io::Result<PathBuf> {
    let config = home.join("config");
    std::fs::write(
        &config,
        format!(
            "[profile {PROFILE}]\nsso_session = {SESSION}\nsso_account_id = 111122223333\n\
             sso_role_name = GuardDutyReader\nregion = {REGION}\n\n\
             [sso-session {SESSION}]\nsso_start_url = {START_URL}\nsso_region = {REGION}\n\
             sso_registration_scopes = sso:account:access\n"
        ),
    )?;
    Ok(config)
}

/// Points the process at the temporary home, profile and "env" emulator.
fn set_environment(home: &Path, config: &Path, env_endpoint: &str) {
    let no_credentials = home.join("no-credentials");
    let set = [
        ("HOME", home.as_os_str()),
        ("AWS_CONFIG_FILE", config.as_os_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", no_credentials.as_os_str()),
        ("AWS_PROFILE", PROFILE.as_ref()),
        ("AWS_ENDPOINT_URL", env_endpoint.as_ref()),
        ("AWS_EC2_METADATA_DISABLED", "true".as_ref()),
    ];
    let unset = [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    ];
    // SAFETY: this runs before the test starts any thread or runtime, and it is the only test
    // in this binary, so nothing reads the environment concurrently.
    unsafe {
        for (name, value) in set {
            std::env::set_var(name, value);
        }
        for name in unset {
            std::env::remove_var(name);
        }
    }
}

#[test]
fn the_sso_provider_follows_aws_endpoint_url_and_ignores_the_loaders_endpoint_url()
-> anyhow::Result<()> {
    let home = std::env::temp_dir().join(format!("gd-emulator-sso-home-{}", std::process::id()));
    std::fs::create_dir_all(home.join(".aws/sso/cache"))?;
    let config = write_profile(&home)?;
    let (env_port, code_port) = (free_port()?, free_port()?);
    set_environment(&home, &config, &format!("http://127.0.0.1:{env_port}"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(run(&home, env_port, code_port));
    std::fs::remove_dir_all(&home)?;
    result
}

async fn run(home: &Path, env_port: u16, code_port: u16) -> anyhow::Result<()> {
    let by_env = Emulator::builder()
        .sso_approve_after(0)
        .port(env_port)
        .start()
        .await?;
    let by_code = Emulator::builder().port(code_port).start().await?;
    write_cached_token(home, &by_env.endpoint_url()).await?;

    let sdk_config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(by_code.endpoint_url())
        .load()
        .await;
    let provider = sdk_config
        .credentials_provider()
        .expect("a credentials chain");
    let credentials = provider.provide_credentials().await?;
    assert_eq!(credentials.access_key_id(), "ASIASSOEMULATOR00001");
    assert_eq!(
        credentials.session_token(),
        Some("sso-emulator-session-token-00001")
    );

    // The token was close to expiry, so the provider refreshed it first: both SSO clients
    // went to the emulator named by AWS_ENDPOINT_URL, none to the one given in code.
    let env_calls = by_env.calls();
    let refresh = env_calls
        .sso
        .iter()
        .rfind(|c| c.operation == Some(Operation::CreateToken));
    assert_eq!(
        refresh.and_then(|c| c.grant_type.as_deref()),
        Some("refresh_token")
    );
    let role_call = env_calls.sso.last().expect("GetRoleCredentials");
    assert_eq!(role_call.operation, Some(Operation::GetRoleCredentials));
    assert_eq!(
        role_call.access_token.as_deref(),
        Some("emulator-sso-access-token-0002")
    );
    assert_eq!(role_call.account_id.as_deref(), Some("111122223333"));
    assert_eq!(role_call.role_name.as_deref(), Some("GuardDutyReader"));
    assert!(by_code.calls().sso.is_empty());

    // GuardDuty itself takes the loader's endpoint_url. Its identity cache asks the provider
    // again (the call above bypassed that cache), so it signs with the second credentials.
    let guardduty = aws_sdk_guardduty::Client::new(&sdk_config);
    guardduty.list_detectors().send().await?;
    let code_calls = by_code.calls();
    assert_eq!(code_calls.count(Operation::ListDetectors), 1);
    let issued = by_env.sso_role_credentials();
    assert_eq!(issued.len(), 2);
    assert_eq!(code_calls.records[0].access_key_id, issued[1].access_key_id);
    let session_token = code_calls.records[0].session_token.as_deref();
    assert_eq!(session_token, Some(issued[1].session_token.as_str()));
    assert!(by_env.calls().records.is_empty());
    Ok(())
}

/// Runs the device flow against `endpoint` with the SDK and caches its token where aws-config
/// looks for the session's, as `aws sso login` would, with one minute left so it refreshes.
async fn write_cached_token(home: &Path, endpoint: &str) -> anyhow::Result<()> {
    let oidc = aws_sdk_ssooidc::Client::from_conf(
        aws_sdk_ssooidc::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(aws_sdk_ssooidc::config::Region::new(REGION))
            .endpoint_url(endpoint)
            .build(),
    );
    let client = oidc
        .register_client()
        .client_name("threat-review")
        .client_type("public")
        .send()
        .await?;
    let (id, secret) = (
        client.client_id().unwrap_or_default(),
        client.client_secret(),
    );
    let device = oidc
        .start_device_authorization()
        .client_id(id)
        .set_client_secret(secret.map(str::to_owned))
        .start_url(START_URL)
        .send()
        .await?;
    let token = oidc
        .create_token()
        .client_id(id)
        .set_client_secret(secret.map(str::to_owned))
        .grant_type("urn:ietf:params:oauth:grant-type:device_code")
        .set_device_code(device.device_code().map(str::to_owned))
        .send()
        .await?;
    let cached = serde_json::json!({
        "accessToken": token.access_token(),
        "expiresAt": iso_in(Duration::from_secs(60))?,
        "refreshToken": token.refresh_token(),
        "clientId": id,
        "clientSecret": secret,
        "registrationExpiresAt": iso_in(Duration::from_secs(86_400))?,
        "region": REGION,
        "startUrl": START_URL,
    });
    let name: String = Sha1::digest(SESSION.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let path = home.join(".aws/sso/cache").join(format!("{name}.json"));
    std::fs::write(path, cached.to_string())?;
    Ok(())
}
