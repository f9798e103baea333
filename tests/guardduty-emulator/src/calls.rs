//! The record of what clients asked, so tests can assert on behaviour rather than output.
//!
//! "Filtering happens on the server", "one failing region never hides the rest", "regions run
//! concurrently": these are claims about calls, not about results. The emulator logs every call
//! (operation, region and access key from the signature, status, request body, finding ids in
//! the answer) and the peak number of requests in flight, and hands tests a snapshot. STS calls
//! are logged apart ([`StsCall`]), so the GuardDuty log keeps its meaning when a test assumes a
//! role first. The SSO sign-in calls (SSO OIDC and the SSO portal, both unsigned) are logged
//! apart too ([`SsoCall`]).

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// An operation the emulator serves: three of GuardDuty, two of STS, three of SSO OIDC and one
/// of the SSO portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    /// GuardDuty `GET /detector`.
    ListDetectors,
    /// GuardDuty `POST /detector/{detectorId}/findings`.
    ListFindings,
    /// GuardDuty `POST /detector/{detectorId}/findings/get`.
    GetFindings,
    /// STS `POST /` with `Action=AssumeRole`.
    AssumeRole,
    /// STS `POST /` with `Action=GetCallerIdentity`.
    GetCallerIdentity,
    /// SSO OIDC `POST /client/register`.
    RegisterClient,
    /// SSO OIDC `POST /device_authorization`.
    StartDeviceAuthorization,
    /// SSO OIDC `POST /token`.
    CreateToken,
    /// SSO portal `GET /federation/credentials`.
    GetRoleCredentials,
}

impl Operation {
    /// The operation's name as AWS spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::ListDetectors => "ListDetectors",
            Self::ListFindings => "ListFindings",
            Self::GetFindings => "GetFindings",
            Self::AssumeRole => "AssumeRole",
            Self::GetCallerIdentity => "GetCallerIdentity",
            Self::RegisterClient => "RegisterClient",
            Self::StartDeviceAuthorization => "StartDeviceAuthorization",
            Self::CreateToken => "CreateToken",
            Self::GetRoleCredentials => "GetRoleCredentials",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One signed call of a GuardDuty operation, as the emulator saw and answered it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    /// Which operation was called.
    pub operation: Operation,
    /// The region from the signature's credential scope.
    pub region: String,
    /// The access key id from the signature's credential scope.
    pub access_key_id: String,
    /// The `x-amz-security-token` header, present with temporary credentials.
    pub session_token: Option<String>,
    /// The detector id in the path (ListFindings, GetFindings).
    pub detector_id: Option<String>,
    /// The HTTP status of the answer.
    pub status: u16,
    /// The JSON request body (ListFindings, GetFindings), when it was JSON.
    pub body: Option<Value>,
    /// The finding ids in a complete answer: listed (ListFindings) or returned (GetFindings).
    /// Empty when the connection was dropped, since the client received none of them.
    pub finding_ids: Vec<String>,
    /// The SDK's attempt number from the `amz-sdk-request` header (1 for a first try, 2 and up
    /// for retries), when the client sent one.
    pub attempt: Option<u32>,
    /// Whether the connection was cut half-way through the answer
    /// ([`Fault::DropConnection`](crate::Fault::DropConnection)).
    pub dropped: bool,
}

/// One signed STS call, as the emulator saw and answered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StsCall {
    /// [`Operation::AssumeRole`] or [`Operation::GetCallerIdentity`]; `None` for an `Action`
    /// the emulator does not serve.
    pub operation: Option<Operation>,
    /// The region from the signature's credential scope.
    pub region: String,
    /// The caller's access key id, from the signature.
    pub access_key_id: String,
    /// The caller's `x-amz-security-token` header, present with temporary credentials.
    pub session_token: Option<String>,
    /// The HTTP status of the answer.
    pub status: u16,
    /// `RoleArn` (AssumeRole).
    pub role_arn: Option<String>,
    /// `RoleSessionName` (AssumeRole).
    pub role_session_name: Option<String>,
    /// `SerialNumber`, the MFA device (AssumeRole).
    pub serial_number: Option<String>,
    /// `TokenCode`, the MFA code (AssumeRole).
    pub token_code: Option<String>,
    /// `DurationSeconds` as sent (AssumeRole).
    pub duration_seconds: Option<String>,
    /// The access key id of the credentials handed out, when AssumeRole succeeded.
    pub issued_access_key_id: Option<String>,
}

/// One SSO OIDC or SSO portal call (unsigned), as the emulator saw and answered it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SsoCall {
    /// [`Operation::RegisterClient`], [`Operation::StartDeviceAuthorization`],
    /// [`Operation::CreateToken`] or [`Operation::GetRoleCredentials`].
    pub operation: Option<Operation>,
    /// The HTTP status of the answer.
    pub status: u16,
    /// The error name sent in `x-amzn-ErrorType` (`AuthorizationPendingException`, ...), if any.
    pub error: Option<String>,
    /// `clientId` (StartDeviceAuthorization, CreateToken) or the id handed out (RegisterClient).
    pub client_id: Option<String>,
    /// `grantType` (CreateToken).
    pub grant_type: Option<String>,
    /// `startUrl` (StartDeviceAuthorization).
    pub start_url: Option<String>,
    /// The access token handed out (CreateToken) or presented as bearer (GetRoleCredentials).
    pub access_token: Option<String>,
    /// `account_id` (GetRoleCredentials).
    pub account_id: Option<String>,
    /// `role_name` (GetRoleCredentials).
    pub role_name: Option<String>,
    /// The access key id handed out, when GetRoleCredentials succeeded.
    pub issued_access_key_id: Option<String>,
}

/// A snapshot of the call log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calls {
    /// Every signed GuardDuty call, in the order the emulator finished answering them.
    pub records: Vec<CallRecord>,
    /// Every signed STS call, in the order the emulator finished answering them.
    pub sts: Vec<StsCall>,
    /// Every SSO OIDC and SSO portal call, in the order the emulator finished answering them.
    pub sso: Vec<SsoCall>,
    /// Requests turned away before any operation because their `Authorization` header was
    /// missing or not SigV4.
    pub unauthenticated: usize,
    /// The most requests that were being handled at the same time.
    pub peak_in_flight: usize,
}

impl Calls {
    /// How many calls of `operation` there were, in any region.
    pub fn count(&self, operation: Operation) -> usize {
        self.records
            .iter()
            .filter(|r| r.operation == operation)
            .count()
    }

    /// How many calls of `operation` there were in `region`.
    pub fn count_in(&self, operation: Operation, region: &str) -> usize {
        self.records
            .iter()
            .filter(|r| r.operation == operation && r.region == region)
            .count()
    }

    /// How many calls of any operation there were in `region`.
    pub fn count_region(&self, region: &str) -> usize {
        self.records.iter().filter(|r| r.region == region).count()
    }

    /// Every access key id that signed a call.
    pub fn access_key_ids(&self) -> BTreeSet<String> {
        self.records
            .iter()
            .map(|r| r.access_key_id.clone())
            .collect()
    }

    /// Every region a call was signed for.
    pub fn regions(&self) -> BTreeSet<String> {
        self.records.iter().map(|r| r.region.clone()).collect()
    }

    /// How many SSO calls of `operation` there were.
    pub fn count_sso(&self, operation: Operation) -> usize {
        self.sso
            .iter()
            .filter(|call| call.operation == Some(operation))
            .count()
    }

    /// How many GuardDuty calls were answered with `status`.
    pub fn count_status(&self, status: u16) -> usize {
        self.records.iter().filter(|r| r.status == status).count()
    }

    /// How many GuardDuty calls had their connection dropped.
    pub fn count_dropped(&self) -> usize {
        self.records.iter().filter(|r| r.dropped).count()
    }

    /// Every finding id that GetFindings returned, in answer order (repeats kept).
    pub fn fetched_finding_ids(&self) -> Vec<String> {
        self.ids_of(Operation::GetFindings)
    }

    /// Every finding id that ListFindings listed, in answer order (repeats kept).
    pub fn listed_finding_ids(&self) -> Vec<String> {
        self.ids_of(Operation::ListFindings)
    }

    fn ids_of(&self, operation: Operation) -> Vec<String> {
        self.records
            .iter()
            .filter(|r| r.operation == operation)
            .flat_map(|r| r.finding_ids.iter().cloned())
            .collect()
    }
}

/// The live call log the server writes to.
#[derive(Debug, Default)]
pub(crate) struct CallLog {
    records: Mutex<Vec<CallRecord>>,
    sts: Mutex<Vec<StsCall>>,
    sso: Mutex<Vec<SsoCall>>,
    unauthenticated: AtomicUsize,
    in_flight: AtomicUsize,
    peak_in_flight: AtomicUsize,
}

impl CallLog {
    /// Adds a finished call.
    pub fn record(&self, record: CallRecord) {
        lock(&self.records).push(record);
    }

    /// Adds a finished STS call.
    pub fn record_sts(&self, call: StsCall) {
        lock(&self.sts).push(call);
    }

    /// Adds a finished SSO call.
    pub fn record_sso(&self, call: SsoCall) {
        lock(&self.sso).push(call);
    }

    /// Counts a request turned away for its `Authorization` header.
    pub fn record_unauthenticated(&self) {
        self.unauthenticated.fetch_add(1, Ordering::SeqCst);
    }

    /// Marks a request as started; the guard marks it finished when dropped, even if the
    /// client went away and the handler was cancelled.
    pub fn enter(&self) -> InFlightGuard<'_> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlightGuard { log: self }
    }

    /// A copy of everything logged so far.
    pub fn snapshot(&self) -> Calls {
        Calls {
            records: lock(&self.records).clone(),
            sts: lock(&self.sts).clone(),
            sso: lock(&self.sso).clone(),
            unauthenticated: self.unauthenticated.load(Ordering::SeqCst),
            peak_in_flight: self.peak_in_flight.load(Ordering::SeqCst),
        }
    }

    /// Forgets everything logged so far (the peak restarts from the requests now in flight).
    pub fn reset(&self) {
        lock(&self.records).clear();
        lock(&self.sts).clear();
        lock(&self.sso).clear();
        self.unauthenticated.store(0, Ordering::SeqCst);
        let now = self.in_flight.load(Ordering::SeqCst);
        self.peak_in_flight.store(now, Ordering::SeqCst);
    }
}

/// Ends one in-flight request when dropped.
pub(crate) struct InFlightGuard<'a> {
    log: &'a CallLog,
}

impl Drop for InFlightGuard<'_> {
    fn drop(&mut self) {
        self.log.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Locks a mutex, carrying on with the data if another thread panicked while holding it (the
/// log stays usable for the test that is reporting the panic).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(operation: Operation, region: &str, akid: &str, ids: &[&str]) -> CallRecord {
        CallRecord {
            operation,
            region: region.into(),
            access_key_id: akid.into(),
            session_token: None,
            detector_id: None,
            status: 200,
            body: None,
            finding_ids: ids.iter().map(|id| (*id).to_owned()).collect(),
            attempt: Some(1),
            dropped: false,
        }
    }

    #[test]
    fn counts_calls_per_operation_and_region() {
        let log = CallLog::default();
        log.record(record(Operation::ListDetectors, "us-east-1", "AK1", &[]));
        log.record(record(
            Operation::ListFindings,
            "us-east-1",
            "AK1",
            &["a", "b"],
        ));
        log.record(record(Operation::GetFindings, "eu-west-1", "AK2", &["b"]));
        let calls = log.snapshot();
        assert_eq!(calls.count(Operation::ListFindings), 1);
        assert_eq!(calls.count_in(Operation::GetFindings, "us-east-1"), 0);
        assert_eq!(calls.count_region("us-east-1"), 2);
        assert_eq!(
            calls.access_key_ids().into_iter().collect::<Vec<_>>(),
            ["AK1", "AK2"]
        );
        assert_eq!(calls.fetched_finding_ids(), ["b"]);
        assert_eq!(calls.listed_finding_ids(), ["a", "b"]);
    }

    #[test]
    fn peak_in_flight_remembers_the_highest_concurrency() {
        let log = CallLog::default();
        let first = log.enter();
        let second = log.enter();
        drop(second);
        drop(first);
        let _third = log.enter();
        assert_eq!(log.snapshot().peak_in_flight, 2);
        log.reset();
        assert_eq!(log.snapshot().peak_in_flight, 1);
    }
}
