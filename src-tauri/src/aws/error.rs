//! What a failed AWS call means for the analyst, and what to do about it.
//!
//! GuardDuty answers a region the account has not enabled with `UnrecognizedClientException`
//! and expired session credentials with `ExpiredTokenException`; both are 403s that must not
//! abort a pull of several regions, and each has its own fix. Throttling, server errors, cut
//! connections and timeouts reach this module only once the SDK's retries are spent, so their
//! messages say so and point at what the analyst can change: the network, the proxy, the
//! number of regions, or the time of the next attempt. Every message names the region and the
//! operation, and says what to do.

use std::error::Error;

use aws_sdk_guardduty::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use serde::Serialize;
use ts_rs::TS;

use super::credentials::{Source, shell_word};
use super::profiles::ProfileKind;

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

/// The error codes AWS uses for throttling (the SDK retries them before giving up).
const THROTTLING: &[&str] = &[
    "TooManyRequestsException",
    "ThrottlingException",
    "Throttling",
    "ThrottledException",
    "RequestThrottledException",
    "RequestLimitExceeded",
    "LimitExceededException",
    "SlowDown",
];

/// The error codes of expired credentials.
const EXPIRED: &[&str] = &[
    "ExpiredTokenException",
    "ExpiredToken",
    "RequestExpired",
    "TokenRefreshRequired",
];

/// The error codes of credentials that may not make the call.
const DENIED: &[&str] = &[
    "AccessDeniedException",
    "AccessDenied",
    "UnauthorizedOperation",
];

/// The error codes of a request GuardDuty found invalid (the header and body names differ).
const INVALID_INPUT: &[&str] = &["BadRequestException", "InvalidInputException"];

/// Classifies a failed GuardDuty call made with the credentials of `source` in `region`.
pub fn classify<E>(
    error: &SdkError<E, aws_smithy_runtime_api::http::Response>,
    operation: &str,
    source: &Source,
    region: &str,
) -> RegionFailure
where
    E: ProvideErrorMetadata + Error + 'static,
{
    let named = source.describe();
    let code = error.code().unwrap_or_default();
    let message = error.message().unwrap_or("no message");
    let failure = |status, message| RegionFailure { status, message };
    if code == "UnrecognizedClientException" {
        return failure(
            RegionStatus::NotEnabled,
            format!(
                "{region} is not enabled for this account (an opt-in region): enable it in the \
                 account's Regions settings, or leave it out of the pull (if every region says \
                 this, the keys of {named} are not valid)"
            ),
        );
    }
    if EXPIRED.contains(&code) {
        return failure(RegionStatus::Expired, expired(source));
    }
    if DENIED.contains(&code) {
        return failure(
            RegionStatus::Denied,
            format!(
                "{named} may not call guardduty:{operation} in {region}: it needs \
                 guardduty:ListDetectors, guardduty:ListFindings and guardduty:GetFindings"
            ),
        );
    }
    let message = match error {
        SdkError::ServiceError(_) if THROTTLING.contains(&code) => format!(
            "{operation} in {region}: GuardDuty throttled the pull ({code}) even after retries; \
             try again in a minute or pull fewer regions at once"
        ),
        SdkError::ServiceError(_) if INVALID_INPUT.contains(&code) => {
            invalid_input(operation, region, code, message)
        }
        SdkError::ServiceError(service) if service.raw().status().is_server_error() => format!(
            "{operation} in {region}: GuardDuty answered with a server error ({}: {message}) \
             even after retries; the fault is on AWS's side: try again in a few minutes, and \
             check the AWS Health Dashboard if it lasts",
            if code.is_empty() { "no code" } else { code }
        ),
        SdkError::ServiceError(_) => format!(
            "{operation} in {region}: GuardDuty refused the call ({}: {message}); pull again, \
             and report it with the log if it persists",
            if code.is_empty() { "no code" } else { code }
        ),
        // A timed-out attempt (TimeoutError) and a connect or read timeout (a dispatch
        // failure) mean the same to the analyst.
        SdkError::TimeoutError(_) => timed_out(operation, region),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => timed_out(operation, region),
        SdkError::DispatchFailure(_) => format!(
            "{operation} in {region}: could not reach GuardDuty in {region}: check the network \
             or proxy ({})",
            DisplayErrorContext(error)
        ),
        SdkError::ResponseError(_) => format!(
            "{operation} in {region}: the connection to GuardDuty broke before the answer was \
             complete, even after retries; check the network or proxy, then pull again"
        ),
        other => format!(
            "{operation} in {region}: the request could not be made ({}); this is a fault in \
             Threat Review: please report it with the log",
            DisplayErrorContext(other)
        ),
    };
    failure(RegionStatus::Error, message)
}

/// A call that got no answer in time, even after retries.
fn timed_out(operation: &str, region: &str) -> String {
    format!(
        "{operation} in {region}: GuardDuty did not answer in time, even after retries; check \
         the network or proxy, then pull again (fewer regions at once if it lasts)"
    )
}

/// What to do when the credentials of `source` have expired, by where they come from.
fn expired(source: &Source) -> String {
    let Some(name) = source.name() else {
        return "the default credentials have expired: refresh them (new AWS_ACCESS_KEY_ID, \
                AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or `aws sso login` for an SSO \
                profile) and pull again"
            .to_owned();
    };
    let word = shell_word(name);
    match source {
        Source::Keychain { .. } => format!(
            "the keys of keychain profile {name} have expired: store fresh ones with \
             `threat-review profiles add {word} --keychain --force`, then pull again"
        ),
        Source::Profile {
            kind: ProfileKind::Sso,
            ..
        } => format!(
            "the SSO session of profile {name} has expired: run `aws sso login --profile \
             {word}`, then pull again"
        ),
        Source::Profile {
            kind: ProfileKind::AssumeRole,
            ..
        } => format!(
            "the role session of profile {name} has expired: pull again to assume the role \
             anew; if that fails, refresh the credentials of its source profile (for SSO, `aws \
             sso login --profile SOURCE`)"
        ),
        Source::Profile {
            kind: ProfileKind::Process,
            ..
        } => format!(
            "the credentials from the credential_process of profile {name} have expired: check \
             that the process hands out fresh ones, then pull again"
        ),
        Source::Profile {
            kind: ProfileKind::WebIdentity,
            ..
        } => format!(
            "the web identity token of profile {name} has expired: refresh the token file, \
             then pull again"
        ),
        _ => format!(
            "the credentials of profile {name} have expired: refresh them (for an SSO profile, \
             `aws sso login --profile {word}`; for keys with a session token, put fresh ones in \
             ~/.aws/credentials) and pull again"
        ),
    }
}

/// A request GuardDuty found invalid: a detector of another region or account, else a fault
/// in how Threat Review built the request.
fn invalid_input(operation: &str, region: &str, code: &str, message: &str) -> String {
    if message.contains("detectorId") || message.contains("detector") {
        format!(
            "{operation} in {region}: GuardDuty refused the detector it listed ({message}); the \
             detector belongs to another region or account: check that the profile is for the \
             account that owns GuardDuty in {region}, and that --endpoint-url (or \
             AWS_ENDPOINT_URL), if set, serves {region}"
        )
    } else {
        format!(
            "{operation} in {region}: GuardDuty refused the request ({code}: {message}); this \
             is a fault in Threat Review: please report it with the log"
        )
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_guardduty::error::ErrorMetadata;
    use aws_sdk_guardduty::operation::list_findings::ListFindingsError;
    use aws_smithy_runtime_api::client::result::ConnectorError;
    use aws_smithy_runtime_api::http::{Response, StatusCode};
    use aws_smithy_types::body::SdkBody;

    use super::*;

    type Failed = SdkError<ListFindingsError, Response>;

    fn audit(kind: ProfileKind) -> Source {
        Source::Profile {
            name: "audit".into(),
            kind,
        }
    }

    fn service(status: u16, code: &str, message: &str) -> Failed {
        let meta = ErrorMetadata::builder().code(code).message(message).build();
        let status = StatusCode::try_from(status).expect("a status");
        SdkError::service_error(
            ListFindingsError::generic(meta),
            Response::new(status, SdkBody::empty()),
        )
    }

    fn classified(error: &Failed, source: &Source) -> RegionFailure {
        classify(error, "ListFindings", source, "eu-west-1")
    }

    fn refused() -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused")
    }

    #[test]
    fn a_disabled_opt_in_region_is_not_enabled_and_says_how_to_enable_it() {
        let error = service(403, "UnrecognizedClientException", "token invalid");
        let failure = classified(&error, &audit(ProfileKind::Static));
        assert_eq!(failure.status, RegionStatus::NotEnabled);
        assert!(failure.message.starts_with("eu-west-1 is not enabled"));
        assert!(failure.message.contains("leave it out of the pull"));
    }

    #[test]
    fn expired_credentials_name_the_fix_for_each_source() {
        let error = service(403, "ExpiredTokenException", "expired");
        let fix = |source: Source| {
            let failure = classified(&error, &source);
            assert_eq!(failure.status, RegionStatus::Expired);
            failure.message
        };
        let sso = Source::Profile {
            name: "corp dev".into(),
            kind: ProfileKind::Sso,
        };
        assert!(fix(sso).contains("run `aws sso login --profile 'corp dev'`"));
        let keychain = Source::Keychain {
            name: "laptop".into(),
            region: None,
        };
        assert!(fix(keychain).contains("`threat-review profiles add laptop --keychain --force`"));
        assert!(fix(audit(ProfileKind::AssumeRole)).contains("pull again to assume the role"));
        assert!(fix(audit(ProfileKind::Process)).contains("credential_process"));
        let static_keys = fix(audit(ProfileKind::Static));
        assert!(
            static_keys.contains("`aws sso login --profile audit`"),
            "{static_keys}"
        );
        assert!(static_keys.contains("put fresh ones in ~/.aws/credentials"));
        assert!(fix(Source::DefaultChain).contains("AWS_SESSION_TOKEN"));
    }

    #[test]
    fn throttling_past_the_retries_says_to_wait_or_pull_fewer_regions() {
        for code in ["TooManyRequestsException", "ThrottlingException"] {
            let failure = classified(&service(429, code, "Rate exceeded"), &Source::DefaultChain);
            assert_eq!(failure.status, RegionStatus::Error);
            assert_eq!(
                failure.message,
                format!(
                    "ListFindings in eu-west-1: GuardDuty throttled the pull ({code}) even after \
                     retries; try again in a minute or pull fewer regions at once"
                )
            );
        }
    }

    #[test]
    fn a_server_error_past_the_retries_says_it_is_on_aws_side() {
        let error = service(500, "InternalServerErrorException", "internal error");
        let failure = classified(&error, &Source::DefaultChain);
        assert_eq!(failure.status, RegionStatus::Error);
        assert!(
            failure
                .message
                .starts_with("ListFindings in eu-west-1: GuardDuty answered")
        );
        assert!(
            failure
                .message
                .contains("InternalServerErrorException: internal error")
        );
        assert!(failure.message.contains("try again in a few minutes"));
        let unavailable = classified(&service(503, "", "down"), &Source::DefaultChain);
        assert!(
            unavailable.message.contains("(no code: down)"),
            "{}",
            unavailable.message
        );
    }

    #[test]
    fn a_detector_of_another_region_is_an_error_that_says_to_check_account_and_endpoint() {
        let error = service(
            400,
            "BadRequestException",
            "The request is rejected because the input detectorId is not owned by the current \
             account.",
        );
        let failure = classified(&error, &audit(ProfileKind::Static));
        assert_eq!(failure.status, RegionStatus::Error);
        assert!(
            failure
                .message
                .contains("the detector belongs to another region or account")
        );
        assert!(failure.message.contains("--endpoint-url"));
        let other = classified(
            &service(400, "BadRequestException", "bad"),
            &Source::DefaultChain,
        );
        assert!(other.message.contains("please report it with the log"));
    }

    #[test]
    fn access_denied_lists_the_three_permissions() {
        let failure = classified(
            &service(403, "AccessDeniedException", "no"),
            &audit(ProfileKind::Sso),
        );
        assert_eq!(failure.status, RegionStatus::Denied);
        assert!(
            failure
                .message
                .starts_with("profile audit may not call guardduty:ListFindings in eu-west-1")
        );
    }

    #[test]
    fn an_unreachable_endpoint_says_to_check_the_network_or_proxy() {
        let error: Failed = SdkError::dispatch_failure(ConnectorError::io(Box::new(refused())));
        let failure = classified(&error, &Source::DefaultChain);
        assert_eq!(failure.status, RegionStatus::Error);
        assert!(
            failure.message.starts_with(
                "ListFindings in eu-west-1: could not reach GuardDuty in eu-west-1: \
                              check the network or proxy"
            ),
            "{}",
            failure.message
        );
        assert!(failure.message.contains("connection refused"));
    }

    #[test]
    fn timeouts_name_the_operation_and_region_and_say_what_to_check() {
        let attempt: Failed = SdkError::timeout_error(Box::new(refused()));
        let failure = classified(&attempt, &Source::DefaultChain);
        assert_eq!(failure.status, RegionStatus::Error);
        assert!(
            failure
                .message
                .starts_with("ListFindings in eu-west-1: GuardDuty did not answer in time")
        );
        assert!(failure.message.contains("check the network or proxy"));
        let connect: Failed =
            SdkError::dispatch_failure(ConnectorError::timeout(Box::new(refused())));
        assert_eq!(classified(&connect, &Source::DefaultChain), failure);
    }

    #[test]
    fn a_connection_cut_mid_answer_says_to_check_the_network() {
        let error: Failed = SdkError::response_error(
            Box::new(refused()),
            Response::new(
                StatusCode::try_from(200).expect("a status"),
                SdkBody::empty(),
            ),
        );
        let failure = classified(&error, &Source::DefaultChain);
        assert_eq!(failure.status, RegionStatus::Error);
        assert!(
            failure
                .message
                .contains("broke before the answer was complete")
        );
    }

    #[test]
    fn a_request_that_cannot_be_built_asks_for_a_report() {
        let error: Failed = SdkError::construction_failure(Box::new(refused()));
        let failure = classified(&error, &Source::DefaultChain);
        assert!(failure.message.contains("please report it with the log"));
    }
}
