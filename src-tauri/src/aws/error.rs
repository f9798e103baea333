//! What a failed AWS call means for the analyst, and what to do about it.
//!
//! GuardDuty answers a region the account has not enabled with `UnrecognizedClientException`
//! and expired session credentials with `ExpiredTokenException`; both are 403s that must not
//! abort a pull of several regions, and each has its own fix.

use std::error::Error;

use aws_sdk_guardduty::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use serde::Serialize;
use ts_rs::TS;

/// How the pull of one region ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum RegionStatus {
    /// Every page was read.
    Ok,
    /// GuardDuty is not enabled in the region (no detector).
    NoDetector,
    /// An opt-in region the account has not enabled.
    NotEnabled,
    /// The credentials may not call GuardDuty there.
    Denied,
    /// The credentials expired.
    Expired,
    /// Anything else: network, throttling past retries, a server error.
    Error,
}

impl RegionStatus {
    /// Whether the region failed (as opposed to being read, or being a state like GuardDuty off).
    pub fn is_failure(self) -> bool {
        !matches!(self, RegionStatus::Ok | RegionStatus::NoDetector)
    }
}

/// Why a region's pull failed, in the analyst's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionFailure {
    /// The status to report.
    pub status: RegionStatus,
    /// What went wrong and what to do.
    pub message: String,
}

/// Classifies a failed GuardDuty call made with `profile` in `region`.
pub fn classify<E>(
    error: &SdkError<E, aws_smithy_runtime_api::http::Response>,
    operation: &str,
    profile: Option<&str>,
    region: &str,
) -> RegionFailure
where
    E: ProvideErrorMetadata + Error + 'static,
{
    let named = profile.map_or_else(
        || "the default credentials".to_owned(),
        |p| format!("profile {p}"),
    );
    let code = error.code().unwrap_or_default();
    let (status, message) = match code {
        "UnrecognizedClientException" => (
            RegionStatus::NotEnabled,
            format!(
                "{region} is not enabled for this account (an opt-in region): enable it in the \
                 account's Regions settings, or leave it out of the pull"
            ),
        ),
        "ExpiredTokenException" | "ExpiredToken" | "RequestExpired" | "TokenRefreshRequired" => (
            RegionStatus::Expired,
            format!(
                "the credentials of {named} have expired: refresh them (for an SSO profile, \
                 `aws sso login{}`) and pull again",
                profile
                    .map(|p| format!(" --profile {p}"))
                    .unwrap_or_default()
            ),
        ),
        "AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation" => (
            RegionStatus::Denied,
            format!(
                "{named} may not call guardduty:{operation} in {region}: it needs \
                 guardduty:ListDetectors, guardduty:ListFindings and guardduty:GetFindings"
            ),
        ),
        _ => {
            let detail = match error {
                SdkError::TimeoutError(_) => "the call timed out".to_owned(),
                SdkError::DispatchFailure(failure) if failure.is_timeout() => {
                    "the connection timed out".to_owned()
                }
                SdkError::ServiceError(_) => format!(
                    "{}: {}",
                    if code.is_empty() {
                        "service error"
                    } else {
                        code
                    },
                    error.message().unwrap_or("no message")
                ),
                other => DisplayErrorContext(other).to_string(),
            };
            (
                RegionStatus::Error,
                format!("{operation} failed in {region}: {detail}"),
            )
        }
    };
    RegionFailure { status, message }
}
