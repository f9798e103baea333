//! Injected failures: the ways the real service misbehaves that the product must survive.
//!
//! A multi-region pull has to keep going when one region is not enabled, ride out throttling,
//! server errors and dropped connections through the SDK's retries, keep what it had when the
//! credentials expire half-way, and show progress while calls are slow. Tests prove that by
//! configuring faults here, scoped to a region and/or an operation, before or while the
//! emulator runs.
//!
//! A client's calls interleave differently from run to run, so a rule that fires on "every
//! third call" could, by bad luck, hit the same request on each of its retries. A rule limited
//! with [`FaultRule::first_attempts_only`] never touches a retry (the SDK numbers its attempts
//! in the `amz-sdk-request` header), which makes every such test deterministic: each request
//! meets the fault at most once, and the number of faults depends only on the number of
//! requests.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::calls::Operation;
use crate::error::ApiError;

/// One kind of misbehaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Wait this long before answering each matching call.
    Latency(Duration),
    /// Answer every `every`-th matching call (the `every`-th, `2 * every`-th, ...) with HTTP 429
    /// `TooManyRequestsException`; `every: 1` throttles every call (0 counts as 1).
    Throttle {
        /// The period, counted in matching calls.
        every: u32,
    },
    /// Answer every `every`-th matching call with HTTP 500 `InternalServerErrorException`
    /// (0 counts as 1).
    ServerError {
        /// The period, counted in matching calls.
        every: u32,
    },
    /// Answer every matching call with HTTP 403 `UnrecognizedClientException`, as AWS does in an
    /// opt-in region the account has not enabled.
    RegionDisabled,
    /// Answer every matching call with HTTP 403 `ExpiredTokenException`.
    ExpiredToken,
    /// Cut the connection of every `every`-th matching call half-way through the answer: the
    /// operation runs, the status line, the headers (with the full `Content-Length`) and the
    /// first half of the body are sent, then the connection is closed. The client receives
    /// nothing usable, as when a proxy or a flaky network drops a page (0 counts as 1).
    DropConnection {
        /// The period, counted in matching calls.
        every: u32,
    },
    /// Close the connection of every `every`-th matching call without a byte of answer, as a
    /// server or proxy that goes away while the request is in flight (0 counts as 1). The
    /// operation runs and the call is logged as dropped.
    HangUp {
        /// The period, counted in matching calls.
        every: u32,
    },
}

/// Where a connection is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cut {
    /// Before any byte of the answer.
    BeforeAnswer,
    /// After the headers and half the body.
    MidAnswer,
}

/// A fault and the calls it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    /// What goes wrong.
    pub fault: Fault,
    /// Only calls signed for this region (`None`: every region).
    pub region: Option<String>,
    /// Only calls of this operation (`None`: every operation).
    pub operation: Option<Operation>,
    /// How many matching calls pass untouched before the rule starts to act.
    pub after: u64,
    /// Whether retries (attempt 2 and up) escape the rule and are not counted.
    pub first_attempts_only: bool,
}

impl FaultRule {
    /// `fault` on every call.
    pub fn new(fault: Fault) -> Self {
        Self {
            fault,
            region: None,
            operation: None,
            after: 0,
            first_attempts_only: false,
        }
    }

    /// Limits the rule to calls signed for `region`.
    pub fn in_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Limits the rule to calls of `operation`.
    pub fn for_operation(mut self, operation: Operation) -> Self {
        self.operation = Some(operation);
        self
    }

    /// Lets the first `calls` matching calls through untouched; the rule acts from the next
    /// one on, and its period (`every`) counts from there. `ExpiredToken` after 2 models
    /// credentials that expire in the middle of a pull.
    pub fn after(mut self, calls: u64) -> Self {
        self.after = calls;
        self
    }

    /// Limits the rule to first attempts: a retry (`amz-sdk-request: attempt=N` with N > 1)
    /// passes untouched and is not counted, so no request meets the fault twice. A request
    /// without that header counts as a first attempt.
    pub fn first_attempts_only(mut self) -> Self {
        self.first_attempts_only = true;
        self
    }

    fn applies_to(&self, call: &CallInfo<'_>) -> bool {
        self.region
            .as_deref()
            .is_none_or(|wanted| wanted == call.region)
            && self.operation.is_none_or(|wanted| wanted == call.operation)
            && !(self.first_attempts_only && call.attempt > 1)
    }
}

impl From<Fault> for FaultRule {
    fn from(fault: Fault) -> Self {
        Self::new(fault)
    }
}

/// A rule with its own count of the calls it matched.
#[derive(Debug)]
pub(crate) struct ActiveRule {
    rule: FaultRule,
    matched: AtomicU64,
}

impl ActiveRule {
    /// Starts counting for `rule`.
    pub fn new(rule: FaultRule) -> Self {
        Self {
            rule,
            matched: AtomicU64::new(0),
        }
    }
}

/// What the fault rules need to know about one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CallInfo<'a> {
    /// The region of the signature.
    pub region: &'a str,
    /// The operation.
    pub operation: Operation,
    /// The SDK's attempt number (1 when the client did not say).
    pub attempt: u32,
}

/// What the faults decided for one call.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct FaultPlan {
    /// How long to wait before answering (the sum of all matching latencies).
    pub delay: Duration,
    /// The error to answer with instead of the operation's result (the first rule that fired).
    pub error: Option<ApiError>,
    /// Where to cut the connection, if anywhere (only when no error fired; the first rule that
    /// fires decides).
    pub cut: Option<Cut>,
}

/// Decides the faults for one call. Every matching rule counts the call, whether or not an
/// earlier rule already fired.
pub(crate) fn plan(rules: &[ActiveRule], call: &CallInfo<'_>) -> FaultPlan {
    let mut plan = FaultPlan::default();
    for active in rules.iter().filter(|active| active.rule.applies_to(call)) {
        let nth = active.matched.fetch_add(1, Ordering::SeqCst) + 1;
        let Some(nth) = nth.checked_sub(active.rule.after).filter(|&n| n > 0) else {
            continue;
        };
        let fires_every = |every: u32| nth.is_multiple_of(u64::from(every.max(1)));
        let error = match &active.rule.fault {
            Fault::Latency(delay) => {
                plan.delay += *delay;
                None
            }
            Fault::Throttle { every } => fires_every(*every).then(ApiError::too_many_requests),
            Fault::ServerError { every } => {
                fires_every(*every).then(ApiError::internal_server_error)
            }
            Fault::RegionDisabled => Some(ApiError::unrecognized_client()),
            Fault::ExpiredToken => Some(ApiError::expired_token()),
            Fault::DropConnection { every } => {
                if fires_every(*every) {
                    plan.cut.get_or_insert(Cut::MidAnswer);
                }
                None
            }
            Fault::HangUp { every } => {
                if fires_every(*every) {
                    plan.cut.get_or_insert(Cut::BeforeAnswer);
                }
                None
            }
        };
        if plan.error.is_none() {
            plan.error = error;
        }
    }
    if plan.error.is_some() {
        plan.cut = None;
    }
    plan
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;

    fn on(region: &str, operation: Operation) -> CallInfo<'_> {
        CallInfo {
            region,
            operation,
            attempt: 1,
        }
    }

    fn rules(rules: Vec<FaultRule>) -> Vec<ActiveRule> {
        rules.into_iter().map(ActiveRule::new).collect()
    }

    fn statuses(
        rules: &[ActiveRule],
        region: &str,
        operation: Operation,
        calls: usize,
    ) -> Vec<u16> {
        (0..calls)
            .map(|_| {
                plan(rules, &on(region, operation))
                    .error
                    .map_or(200, |e| e.status.as_u16())
            })
            .collect()
    }

    #[test]
    fn a_disabled_region_refuses_every_call_as_unrecognized_client() {
        let active = rules(vec![
            FaultRule::new(Fault::RegionDisabled).in_region("ap-east-1"),
        ]);
        let error = plan(&active, &on("ap-east-1", Operation::ListDetectors)).error;
        let error = error.expect("refused");
        assert_eq!(error.status, StatusCode::FORBIDDEN);
        assert_eq!(error.header_type, "UnrecognizedClientException");
        assert_eq!(
            statuses(&active, "ap-east-1", Operation::ListFindings, 3),
            [403, 403, 403]
        );
        assert_eq!(
            statuses(&active, "us-east-1", Operation::ListDetectors, 3),
            [200, 200, 200]
        );
    }

    #[test]
    fn throttling_every_third_call_answers_429_too_many_requests() {
        let active = rules(vec![Fault::Throttle { every: 3 }.into()]);
        let seen = statuses(&active, "us-east-1", Operation::ListFindings, 7);
        assert_eq!(seen, [200, 200, 429, 200, 200, 429, 200]);
        let error = rules(vec![Fault::Throttle { every: 1 }.into()]);
        let error = plan(&error, &on("x", Operation::GetFindings))
            .error
            .expect("throttled");
        assert_eq!(error.header_type, "TooManyRequestsException");
    }

    #[test]
    fn throttling_counts_only_calls_of_its_operation() {
        let active = rules(vec![
            FaultRule::new(Fault::Throttle { every: 2 }).for_operation(Operation::GetFindings),
        ]);
        assert_eq!(
            statuses(&active, "r", Operation::ListFindings, 3),
            [200, 200, 200]
        );
        assert_eq!(
            statuses(&active, "r", Operation::GetFindings, 4),
            [200, 429, 200, 429]
        );
    }

    #[test]
    fn latency_adds_up_and_does_not_fail_the_call() {
        let active = rules(vec![
            Fault::Latency(Duration::from_millis(30)).into(),
            FaultRule::new(Fault::Latency(Duration::from_millis(20))).in_region("eu-west-1"),
        ]);
        let slow = plan(&active, &on("eu-west-1", Operation::ListDetectors));
        assert_eq!(
            slow,
            FaultPlan {
                delay: Duration::from_millis(50),
                error: None,
                cut: None,
            }
        );
        assert_eq!(
            plan(&active, &on("us-east-1", Operation::ListDetectors))
                .delay
                .as_millis(),
            30
        );
    }

    #[test]
    fn server_errors_and_expired_tokens_have_their_aws_names() {
        let active = rules(vec![Fault::ServerError { every: 0 }.into()]);
        let error = plan(&active, &on("r", Operation::ListFindings))
            .error
            .expect("500");
        assert_eq!(
            (error.status.as_u16(), error.header_type),
            (500, "InternalServerErrorException")
        );
        let active = rules(vec![Fault::ExpiredToken.into()]);
        let error = plan(&active, &on("r", Operation::ListFindings))
            .error
            .expect("403");
        assert_eq!(
            (error.status.as_u16(), error.header_type),
            (403, "ExpiredTokenException")
        );
    }

    #[test]
    fn the_first_rule_that_fires_decides_the_error() {
        let active = rules(vec![
            Fault::ExpiredToken.into(),
            Fault::RegionDisabled.into(),
        ]);
        let error = plan(&active, &on("r", Operation::ListFindings))
            .error
            .expect("error");
        assert_eq!(error.header_type, "ExpiredTokenException");
    }

    #[test]
    fn a_rule_with_after_lets_the_first_calls_through_and_counts_its_period_from_there() {
        let expired = rules(vec![FaultRule::new(Fault::ExpiredToken).after(2)]);
        assert_eq!(
            statuses(&expired, "r", Operation::GetFindings, 4),
            [200, 200, 403, 403]
        );
        let throttled = rules(vec![FaultRule::new(Fault::Throttle { every: 2 }).after(1)]);
        assert_eq!(
            statuses(&throttled, "r", Operation::GetFindings, 5),
            [200, 200, 429, 200, 429]
        );
    }

    #[test]
    fn a_first_attempts_only_rule_never_touches_a_retry_nor_counts_it() {
        let active = rules(vec![
            FaultRule::new(Fault::Throttle { every: 1 }).first_attempts_only(),
        ]);
        let retry = CallInfo {
            attempt: 2,
            ..on("r", Operation::ListFindings)
        };
        assert_eq!(plan(&active, &retry).error, None);
        assert_eq!(active[0].matched.load(Ordering::SeqCst), 0);
        let first = plan(&active, &on("r", Operation::ListFindings)).error;
        assert_eq!(first.map(|e| e.status.as_u16()), Some(429));
    }

    #[test]
    fn cutting_the_connection_fires_on_its_period_and_yields_to_an_error() {
        let active = rules(vec![
            Fault::DropConnection { every: 2 }.into(),
            Fault::HangUp { every: 3 }.into(),
        ]);
        let cuts: Vec<Option<Cut>> = (0..4)
            .map(|_| plan(&active, &on("r", Operation::GetFindings)).cut)
            .collect();
        let (mid, before) = (Some(Cut::MidAnswer), Some(Cut::BeforeAnswer));
        assert_eq!(cuts, [None, mid, before, mid]);
        let both = rules(vec![
            Fault::DropConnection { every: 1 }.into(),
            Fault::ExpiredToken.into(),
        ]);
        let decided = plan(&both, &on("r", Operation::GetFindings));
        assert_eq!(decided.cut, None);
        assert_eq!(decided.error.map(|e| e.status.as_u16()), Some(403));
    }
}
