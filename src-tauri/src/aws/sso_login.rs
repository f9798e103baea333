//! Signing in to IAM Identity Center (SSO) with a device code, as `aws sso login` does.
//!
//! The token lands in the AWS CLI's cache (`~/.aws/sso/cache/<sha1>.json`, in its format), so
//! the AWS CLI, aws-config and Threat Review share one session. The token file is written
//! atomically and readable only by the user; the token is never logged or shown.

use std::path::PathBuf;
use std::time::Duration;

use aws_runtime::env_config::file::EnvConfigFileKind;
use aws_sdk_ssooidc::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_types::os_shim_internal::{Env, Fs};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha1::{Digest, Sha1};
use ts_rs::TS;

use super::profile_files;
use crate::export::write_atomically;

/// The device-code grant of OAuth 2.0.
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Where a profile signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSettings {
    /// The profile.
    pub profile: String,
    /// The `sso-session` section it uses; `None` for a legacy profile with `sso_start_url`.
    pub session: Option<String>,
    /// The start URL of the organisation's portal.
    pub start_url: String,
    /// The region of IAM Identity Center.
    pub region: String,
}

impl SsoSettings {
    /// The cache file the AWS CLI uses for this session.
    fn cache_path(&self, home: &std::path::Path) -> PathBuf {
        let key = self.session.as_deref().unwrap_or(&self.start_url);
        let digest: String = Sha1::digest(key.as_bytes())
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        home.join(".aws")
            .join("sso")
            .join("cache")
            .join(format!("{digest}.json"))
    }
}

/// What the analyst must do to approve the sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeviceCode {
    /// The code to confirm in the browser.
    pub user_code: String,
    /// The page to open (with the code filled in, when AWS gives one).
    pub verification_uri: String,
    /// When the code expires (ISO-8601 UTC).
    pub expires_at: String,
}

/// A sign-in waiting for the analyst's approval.
#[derive(Debug)]
pub struct PendingSignIn {
    settings: SsoSettings,
    client: aws_sdk_ssooidc::Client,
    client_id: String,
    client_secret: String,
    registration_expires: i64,
    device_code: String,
    interval: Duration,
    deadline: std::time::Instant,
    /// What to show the analyst.
    pub code: DeviceCode,
}

/// The SSO settings of `profile`, when it signs in with SSO.
pub async fn settings_of(profile: &str) -> Option<SsoSettings> {
    let kinds = [EnvConfigFileKind::Config, EnvConfigFileKind::Credentials];
    let files = profile_files::load(&Fs::real(), &Env::real(), &kinds).await;
    let set = aws_config::profile::load(&Fs::real(), &Env::real(), &files, None)
        .await
        .ok()?;
    let section = set.get_profile(&profile_files::encode(profile))?;
    if let Some(session) = section.get("sso_session") {
        let session_section = set.sso_session(session)?;
        return Some(SsoSettings {
            profile: profile.to_owned(),
            session: Some(profile_files::decode(session)),
            start_url: session_section.get("sso_start_url")?.to_owned(),
            region: session_section.get("sso_region")?.to_owned(),
        });
    }
    Some(SsoSettings {
        profile: profile.to_owned(),
        session: None,
        start_url: section.get("sso_start_url")?.to_owned(),
        region: section.get("sso_region")?.to_owned(),
    })
}

/// Registers this app with IAM Identity Center and asks for a device code.
///
/// # Errors
///
/// What IAM Identity Center said.
pub async fn start(
    settings: SsoSettings,
    endpoint_url: Option<&str>,
) -> Result<PendingSignIn, String> {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(settings.region.clone()))
        .no_credentials();
    if let Some(url) = endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let client = aws_sdk_ssooidc::Client::new(&loader.load().await);
    let failed = |step: &str, error: &dyn std::fmt::Display| {
        format!(
            "signing in to {} failed at {step}: {error}",
            settings.start_url
        )
    };
    let registered = client
        .register_client()
        .client_name("threat-review")
        .client_type("public")
        .send()
        .await
        .map_err(|e| failed("registration", &DisplayErrorContext(e)))?;
    let (Some(client_id), Some(client_secret)) =
        (registered.client_id(), registered.client_secret())
    else {
        return Err("IAM Identity Center registered no client".into());
    };
    let device = client
        .start_device_authorization()
        .client_id(client_id)
        .client_secret(client_secret)
        .start_url(&settings.start_url)
        .send()
        .await
        .map_err(|e| failed("device authorization", &DisplayErrorContext(e)))?;
    let (Some(device_code), Some(user_code)) = (device.device_code(), device.user_code()) else {
        return Err("IAM Identity Center gave no device code".into());
    };
    let verification_uri = device
        .verification_uri_complete()
        .or(device.verification_uri())
        .ok_or("IAM Identity Center gave no page to approve the sign-in on")?
        .to_owned();
    let lifetime = Duration::from_secs(u64::try_from(device.expires_in()).unwrap_or(600).max(1));
    let expires_at = Utc::now() + chrono::Duration::from_std(lifetime).unwrap_or_default();
    Ok(PendingSignIn {
        client_id: client_id.to_owned(),
        client_secret: client_secret.to_owned(),
        registration_expires: registered.client_secret_expires_at(),
        device_code: device_code.to_owned(),
        interval: Duration::from_secs(u64::try_from(device.interval()).unwrap_or(5).max(1)),
        deadline: std::time::Instant::now() + lifetime,
        code: DeviceCode {
            user_code: user_code.to_owned(),
            verification_uri,
            expires_at: expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        },
        settings,
        client,
    })
}

/// Waits for the analyst to approve the sign-in, then writes the token where the AWS CLI keeps
/// it. Returns when the session expires.
///
/// # Errors
///
/// The code expired, the analyst denied it, or IAM Identity Center failed.
pub async fn finish(mut pending: PendingSignIn) -> Result<DateTime<Utc>, String> {
    loop {
        tokio::time::sleep(pending.interval).await;
        if std::time::Instant::now() > pending.deadline {
            return Err("the sign-in code expired before it was approved: sign in again".into());
        }
        let answer = pending
            .client
            .create_token()
            .client_id(&pending.client_id)
            .client_secret(&pending.client_secret)
            .grant_type(DEVICE_GRANT)
            .device_code(&pending.device_code)
            .send()
            .await;
        let token = match answer {
            Ok(token) => token,
            Err(error) => match error.code() {
                Some("AuthorizationPendingException") => continue,
                Some("SlowDownException") => {
                    pending.interval += Duration::from_secs(5);
                    continue;
                }
                Some("ExpiredTokenException") => {
                    return Err(
                        "the sign-in code expired before it was approved: sign in again".into(),
                    );
                }
                Some("AccessDeniedException") => {
                    return Err("the sign-in was denied in the browser".into());
                }
                _ => {
                    return Err(format!(
                        "signing in to {} failed: {}",
                        pending.settings.start_url,
                        DisplayErrorContext(error)
                    ));
                }
            },
        };
        let access_token = token
            .access_token()
            .ok_or("IAM Identity Center gave no token")?;
        let lifetime = chrono::Duration::seconds(i64::from(token.expires_in().max(0)));
        let expires_at = Utc::now() + lifetime;
        write_cache(&pending, access_token, token.refresh_token(), &expires_at)?;
        return Ok(expires_at);
    }
}

/// The token file, in the AWS CLI's format.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CachedToken<'a> {
    start_url: &'a str,
    region: &'a str,
    access_token: &'a str,
    expires_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
    client_id: &'a str,
    client_secret: &'a str,
    registration_expires_at: String,
}

fn write_cache(
    pending: &PendingSignIn,
    access_token: &str,
    refresh_token: Option<&str>,
    expires_at: &DateTime<Utc>,
) -> Result<(), String> {
    let home = dirs::home_dir().ok_or("no home folder to keep the SSO token in")?;
    let path = pending.settings.cache_path(&home);
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
    }
    let registration =
        DateTime::<Utc>::from_timestamp(pending.registration_expires, 0).unwrap_or(*expires_at);
    let document = CachedToken {
        start_url: &pending.settings.start_url,
        region: &pending.settings.region,
        access_token,
        expires_at: expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        refresh_token,
        client_id: &pending.client_id,
        client_secret: &pending.client_secret,
        registration_expires_at: registration.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    write_atomically(&path, true, |out| {
        serde_json::to_writer(&mut *out, &document).map_err(Into::into)
    })
    .map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_token_where_the_aws_cli_looks_for_it() {
        let session = SsoSettings {
            profile: "corp".into(),
            session: Some("corp".into()),
            start_url: "https://corp.example/start".into(),
            region: "us-east-1".into(),
        };
        let home = std::path::Path::new("/home/a");
        assert_eq!(
            session.cache_path(home),
            home.join(".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json")
        );
        let legacy = SsoSettings {
            session: None,
            ..session
        };
        let expected: String = Sha1::digest(b"https://corp.example/start")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            legacy.cache_path(home),
            home.join(format!(".aws/sso/cache/{expected}.json"))
        );
    }
}
