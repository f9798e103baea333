//! Profiles that assume a role from a `source_profile`.
//!
//! They are resolved here rather than by aws-config, for two reasons: aws-config does not ask
//! for MFA codes (aws-sdk-rust issue 527), and its STS calls ignore `--endpoint-url`. The
//! source profile's credentials (itself resolved the same way, so chains work) call STS
//! AssumeRole, with the `mfa_serial` of the role or of its source and the code the analyst
//! typed when there is one. The session is kept in memory, never on disk, until shortly before
//! it expires.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_runtime::env_config::file::EnvConfigFileKind;
use aws_sdk_sts::error::DisplayErrorContext;
use aws_types::os_shim_internal::{Env, Fs};

use super::profile_files;

/// A role profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// The role profile's name.
    pub profile: String,
    /// The role to assume.
    pub role_arn: String,
    /// The profile whose credentials assume it.
    pub source_profile: String,
    /// The MFA device's serial (ARN), when the role needs a code.
    pub serial: Option<String>,
    /// How long the session lasts, when the profile says.
    pub duration_seconds: Option<i32>,
    /// The external id, when the role wants one.
    pub external_id: Option<String>,
    /// The region of the role profile, else of its source.
    pub region: Option<String>,
}

/// Sessions of assumed roles, by profile; only in this process's memory.
static SESSIONS: Mutex<BTreeMap<String, Credentials>> = Mutex::new(BTreeMap::new());

/// A session is reused until five minutes before it expires.
const MARGIN: Duration = Duration::from_secs(300);

/// The role behind `profile`, when it assumes one from a source profile.
pub async fn role_of(profile: &str) -> Option<Role> {
    let kinds = [EnvConfigFileKind::Config, EnvConfigFileKind::Credentials];
    let files = profile_files::load(&Fs::real(), &Env::real(), &kinds).await;
    let set = aws_config::profile::load(&Fs::real(), &Env::real(), &files, None)
        .await
        .ok()?;
    let role = set.get_profile(&profile_files::encode(profile))?;
    let source_encoded = role.get("source_profile")?;
    let source = set.get_profile(source_encoded);
    let serial = role
        .get("mfa_serial")
        .or_else(|| source.and_then(|s| s.get("mfa_serial")));
    Some(Role {
        profile: profile.to_owned(),
        role_arn: role.get("role_arn")?.to_owned(),
        source_profile: profile_files::decode(source_encoded),
        serial: serial.map(str::to_owned),
        duration_seconds: role.get("duration_seconds").and_then(|d| d.parse().ok()),
        external_id: role.get("external_id").map(str::to_owned),
        region: role
            .get("region")
            .or_else(|| source.and_then(|s| s.get("region")))
            .map(str::to_owned),
    })
}

/// The live session of `profile`, when one was started and has not nearly expired.
pub fn session(profile: &str) -> Option<Credentials> {
    let sessions = SESSIONS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let credentials = sessions.get(profile)?;
    let fresh = credentials
        .expiry()
        .is_none_or(|at| at > SystemTime::now() + MARGIN);
    fresh.then(|| credentials.clone())
}

/// Assumes `role` with the credentials of its source profile (`source`, already loaded) and
/// the MFA `code` when the role needs one, and keeps the session for [`session`].
///
/// # Errors
///
/// What STS said, with what to do (for MFA, a wrong or used code is the usual cause).
pub async fn assume(
    role: &Role,
    source: &SdkConfig,
    code: Option<&str>,
) -> Result<Credentials, String> {
    let session_name = format!("threat-review-{}", chrono::Utc::now().timestamp());
    let answer = aws_sdk_sts::Client::new(source)
        .assume_role()
        .role_arn(&role.role_arn)
        .role_session_name(session_name)
        .set_serial_number(role.serial.clone())
        .set_token_code(code.map(|c| c.trim().to_owned()))
        .set_duration_seconds(role.duration_seconds)
        .set_external_id(role.external_id.clone())
        .send()
        .await
        .map_err(|error| {
            let hint = if role.serial.is_some() {
                " with the MFA code (a wrong or already used code is the usual cause; wait for the \
                 next code and try again)"
            } else {
                ""
            };
            format!(
                "STS refused to assume {}{hint}: {}",
                role.role_arn,
                DisplayErrorContext(&error)
            )
        })?;
    let issued = answer
        .credentials()
        .ok_or("STS answered without credentials")?;
    let expiry = SystemTime::try_from(*issued.expiration()).ok();
    let credentials = Credentials::new(
        issued.access_key_id(),
        issued.secret_access_key(),
        Some(issued.session_token().to_owned()),
        expiry,
        "threat-review-assume-role",
    );
    SESSIONS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(role.profile.clone(), credentials.clone());
    Ok(credentials)
}
