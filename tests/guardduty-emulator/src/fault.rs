//! Injected failures: the ways the real service misbehaves that the product must survive.
//!
//! A multi-region pull has to keep going when one region is not enabled, ride out throttling
//! through the SDK's retries, and show progress while calls are slow. Tests prove that by
//! configuring faults here, scoped to a region and/or an operation, before or while the
//! emulator runs.

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
}

impl FaultRule {
    /// `fault` on every call.
    pub fn new(fault: Fault) -> Self {
        Self {
            fault,
            region: None,
            operation: None,
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

    fn applies_to(&self, region: &str, operation: Operation) -> bool {
        self.region.as_deref().is_none_or(|wanted| wanted == region)
            && self.operation.is_none_or(|wanted| wanted == operation)
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

/// What the faults decided for one call.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct FaultPlan {
    /// How long to wait before answering (the sum of all matching latencies).
    pub delay: Duration,
    /// The error to answer with instead of the operation's result (the first rule that fired).
    pub error: Option<ApiError>,
}

/// Decides the faults for one call. Every matching rule counts the call, whether or not an
/// earlier rule already fired.
pub(crate) fn plan(rules: &[ActiveRule], region: &str, operation: Operation) -> FaultPlan {
    let mut plan = FaultPlan::default();
    for active in rules
        .iter()
        .filter(|active| active.rule.applies_to(region, operation))
    {
        let nth = active.matched.fetch_add(1, Ordering::SeqCst) + 1;
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
        };
        if plan.error.is_none() {
            plan.error = error;
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;

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
                plan(rules, region, operation)
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
        let error = plan(&active, "ap-east-1", Operation::ListDetectors).error;
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
        let error = plan(&error, "x", Operation::GetFindings)
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
        let slow = plan(&active, "eu-west-1", Operation::ListDetectors);
        assert_eq!(
            slow,
            FaultPlan {
                delay: Duration::from_millis(50),
                error: None
            }
        );
        assert_eq!(
            plan(&active, "us-east-1", Operation::ListDetectors)
                .delay
                .as_millis(),
            30
        );
    }

    #[test]
    fn server_errors_and_expired_tokens_have_their_aws_names() {
        let active = rules(vec![Fault::ServerError { every: 0 }.into()]);
        let error = plan(&active, "r", Operation::ListFindings)
            .error
            .expect("500");
        assert_eq!(
            (error.status.as_u16(), error.header_type),
            (500, "InternalServerErrorException")
        );
        let active = rules(vec![Fault::ExpiredToken.into()]);
        let error = plan(&active, "r", Operation::ListFindings)
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
        let error = plan(&active, "r", Operation::ListFindings)
            .error
            .expect("error");
        assert_eq!(error.header_type, "ExpiredTokenException");
    }
}
