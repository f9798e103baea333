//! The GuardDuty pull: every region at once, the filter on the server, nothing fetched twice.
//!
//! Per region: ListDetectors, then ListFindings with the ten types (and, unless asked, only
//! unarchived findings, and only those updated since `--since`) as the server-side criterion,
//! 50 ids a page. Each page of ids goes straight to GetFindings while the next page is listed.
//! A region that fails reports its own status and keeps what it had; it never hides the rest.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use aws_config::Region;
use aws_credential_types::provider::ProvideCredentials;
use aws_sdk_guardduty::Client;
use aws_sdk_guardduty::error::DisplayErrorContext;
use aws_sdk_guardduty::types::{Condition, FindingCriteria, OrderBy, SortCriteria};
use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tracing::{info, warn};
use ts_rs::TS;

use super::credentials::{self, Source};
use super::error::{RegionFailure, RegionStatus, classify};
use super::keychain::KeychainError;
pub use super::progress::{Progress, PullProgress};
use crate::catalog;
use crate::finding::{Finding, Skipped, sdk};
use crate::review::Scope;

/// GuardDuty returns at most 50 ids a page and takes at most 50 ids a GetFindings call.
const PAGE_SIZE: usize = 50;

/// GetFindings calls in flight per region; more only invites throttling.
const GETS_IN_FLIGHT: usize = 4;

/// What to pull.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PullRequest {
    /// Where the credentials come from.
    pub source: Source,
    /// The regions; empty for the region of the profile (or `AWS_REGION`).
    pub regions: Vec<String>,
    /// Only findings updated at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Also archived findings.
    pub include_archived: bool,
    /// Every type, not just the ten.
    pub all_types: bool,
    /// Another endpoint for every AWS call (`--endpoint-url`); `AWS_ENDPOINT_URL` also works.
    pub endpoint_url: Option<String>,
    /// The MFA code for a role profile that needs one.
    pub mfa_code: Option<String>,
}

/// How one region's pull ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionReport {
    /// The profile; `None` for the default chain.
    pub profile: Option<String>,
    /// The region.
    pub region: String,
    /// How it ended.
    pub status: RegionStatus,
    /// How many findings it returned.
    pub findings: u32,
    /// What went wrong and what to do, when something did.
    pub error: Option<String>,
}

/// Everything a pull returned.
#[derive(Debug, Default)]
pub struct PullOutcome {
    /// The findings of every region, in no particular order.
    pub findings: Vec<Finding>,
    /// Findings GuardDuty returned that could not be used.
    pub skipped: Vec<Skipped>,
    /// One report per region, in the order asked for.
    pub regions: Vec<RegionReport>,
    /// How many AWS calls were made.
    pub calls: u32,
    /// When the credentials used expire, when they are temporary.
    pub expires_at: Option<DateTime<Utc>>,
}

impl PullOutcome {
    /// The scope the findings were filtered with on the server.
    pub fn scope(request: &PullRequest) -> Scope {
        if request.all_types {
            Scope::AllTypes
        } else {
            Scope::Catalog
        }
    }
}

/// Why a pull could not start.
#[derive(Debug, thiserror::Error)]
pub enum PullError {
    /// No region was given and the profile has none.
    #[error(
        "no region to pull from: pass --region (or pick one in the app), set AWS_REGION, or add \
         `region = ...` to the profile"
    )]
    NoRegion,
    /// A region name that cannot be one.
    #[error("{0:?} is not a region name (such as us-east-1)")]
    BadRegion(String),
    /// The profile gives no usable credentials.
    #[error("no usable credentials for {who}: {detail}")]
    NoCredentials {
        /// The profile, or "the default credentials".
        who: String,
        /// What went wrong and what to do.
        detail: String,
    },
    /// The profile assumes a role that needs an MFA code, and none was given.
    #[error(
        "profile {profile} needs an MFA code from {serial}: pass --mfa-code (or type it when asked)"
    )]
    MfaRequired {
        /// The role profile.
        profile: String,
        /// The MFA device.
        serial: String,
    },
    /// The network settings (proxy, CA bundle) cannot be used.
    #[error("{0}")]
    Network(String),
    /// A keychain profile's keys cannot be read.
    #[error(transparent)]
    Keychain(#[from] KeychainError),
}

/// Pulls the findings `request` asks for, reporting on `progress`.
///
/// # Errors
///
/// [`PullError`] when the pull cannot start (no region, no credentials). Failures of single
/// regions are not errors: they are in [`PullOutcome::regions`].
pub async fn pull(
    request: &PullRequest,
    progress: Arc<Progress>,
) -> Result<PullOutcome, PullError> {
    let started = Instant::now();
    let base = credentials::sdk_config(
        &request.source,
        request.endpoint_url.as_deref(),
        request.mfa_code.as_deref(),
    )
    .await?;
    let regions = match (&request.regions[..], base.region()) {
        ([], Some(region)) => vec![region.to_string()],
        ([], None) => return Err(PullError::NoRegion),
        (named, _) => dedup(named),
    };
    if let Some(bad) = regions.iter().find(|r| !super::regions::is_well_formed(r)) {
        return Err(PullError::BadRegion(bad.clone()));
    }
    let who = request.source.describe();
    let profile = request.source.name().map(str::to_owned);

    // Credentials are resolved once and shared by every region: a credential process or an
    // assumed role runs once per pull, not once per region.
    let provider = base
        .credentials_provider()
        .ok_or_else(|| PullError::NoCredentials {
            who: who.clone(),
            detail: "no credential source is configured".into(),
        })?;
    let credentials = provider.provide_credentials().await.map_err(|error| {
        let detail = DisplayErrorContext(&error).to_string();
        PullError::NoCredentials {
            who: who.clone(),
            detail: request.source.fix_for_missing_credentials(&detail),
        }
    })?;
    info!(profile = ?profile, regions = ?regions, "pull started");

    progress.set_regions(regions.len());
    let criteria = criteria(request);
    let mut tasks = JoinSet::new();
    for (index, region) in regions.iter().enumerate() {
        let config = aws_sdk_guardduty::config::Builder::from(&base)
            .region(Region::new(region.clone()))
            .credentials_provider(credentials.clone())
            .build();
        let job = RegionPull {
            client: Client::from_conf(config),
            profile: profile.clone(),
            source: request.source.clone(),
            region: region.clone(),
            criteria: criteria.clone(),
            progress: progress.clone(),
        };
        tasks.spawn(async move { (index, job.run().await) });
    }

    let mut results: Vec<Option<RegionResult>> = (0..regions.len()).map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((index, result)) => results[index] = Some(result),
            Err(error) => warn!(%error, "a region task ended abnormally"),
        }
    }
    let mut outcome = PullOutcome::default();
    for (region, result) in regions.iter().zip(results) {
        let result = result.unwrap_or_else(|| RegionResult::failed(region, &profile));
        outcome.findings.extend(result.findings);
        outcome.skipped.extend(result.skipped);
        outcome.regions.push(result.report);
    }
    outcome.calls = progress.snapshot().calls;
    outcome.expires_at = credentials.expiry().map(chrono::DateTime::<Utc>::from);
    info!(
        profile = ?profile,
        findings = outcome.findings.len(),
        calls = outcome.calls,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "pull finished"
    );
    Ok(outcome)
}

fn dedup(regions: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    regions
        .iter()
        .map(|r| r.trim().to_owned())
        .filter(|r| seen.insert(r.clone()))
        .collect()
}

/// The server-side filter: the ten types, unarchived unless asked, updated since `--since`.
fn criteria(request: &PullRequest) -> FindingCriteria {
    let mut criterion = HashMap::new();
    if !request.all_types {
        criterion.insert(
            "type".to_owned(),
            Condition::builder()
                .set_equals(Some(catalog::names()))
                .build(),
        );
    }
    if !request.include_archived {
        criterion.insert(
            "service.archived".to_owned(),
            Condition::builder().equals("false").build(),
        );
    }
    if let Some(since) = request.since {
        criterion.insert(
            "updatedAt".to_owned(),
            Condition::builder()
                .greater_than_or_equal(since.timestamp_millis())
                .build(),
        );
    }
    FindingCriteria::builder()
        .set_criterion(Some(criterion))
        .build()
}

struct RegionResult {
    findings: Vec<Finding>,
    skipped: Vec<Skipped>,
    report: RegionReport,
}

impl RegionResult {
    fn failed(region: &str, profile: &Option<String>) -> RegionResult {
        RegionResult {
            findings: Vec::new(),
            skipped: Vec::new(),
            report: RegionReport {
                profile: profile.clone(),
                region: region.to_owned(),
                status: RegionStatus::Error,
                findings: 0,
                error: Some("the pull of this region stopped unexpectedly; see the log".into()),
            },
        }
    }
}

struct RegionPull {
    client: Client,
    profile: Option<String>,
    /// Where the credentials come from, so a failure can say how to refresh them.
    source: Source,
    region: String,
    criteria: FindingCriteria,
    progress: Arc<Progress>,
}

impl RegionPull {
    #[tracing::instrument(skip_all, fields(profile = ?self.profile, region = %self.region))]
    async fn run(self) -> RegionResult {
        let started = Instant::now();
        let mut findings = Vec::new();
        let mut skipped = Vec::new();
        let ended = self.pull_into(&mut findings, &mut skipped).await;
        let (status, error) = match ended {
            Ok(status) => (status, None),
            Err(failure) => {
                warn!(status = ?failure.status, error = %failure.message, "region failed");
                (failure.status, Some(failure.message))
            }
        };
        info!(
            status = ?status,
            findings = findings.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "region done"
        );
        self.progress.region_done();
        let report = RegionReport {
            profile: self.profile.clone(),
            region: self.region.clone(),
            status,
            findings: u32::try_from(findings.len()).unwrap_or(u32::MAX),
            error,
        };
        RegionResult {
            findings,
            skipped,
            report,
        }
    }

    async fn pull_into(
        &self,
        findings: &mut Vec<Finding>,
        skipped: &mut Vec<Skipped>,
    ) -> Result<RegionStatus, RegionFailure> {
        let detectors = self.detectors().await?;
        if detectors.is_empty() {
            return Ok(RegionStatus::NoDetector);
        }
        let gets = Arc::new(Semaphore::new(GETS_IN_FLIGHT));
        let mut pages = JoinSet::new();
        let mut failure = None;
        'detectors: for detector in detectors {
            let mut next_token: Option<String> = None;
            loop {
                let listed = self
                    .client
                    .list_findings()
                    .detector_id(&detector)
                    .finding_criteria(self.criteria.clone())
                    .sort_criteria(
                        SortCriteria::builder()
                            .attribute_name("updatedAt")
                            .order_by(OrderBy::Desc)
                            .build(),
                    )
                    .max_results(PAGE_SIZE as i32)
                    .set_next_token(next_token.take())
                    .send()
                    .await;
                self.progress.call_done();
                let page = match listed {
                    Ok(page) => page,
                    Err(error) => {
                        failure = Some(self.failure(&error, "ListFindings"));
                        break 'detectors;
                    }
                };
                let ids = page.finding_ids().to_vec();
                for chunk in ids.chunks(PAGE_SIZE) {
                    let permit = gets.clone().acquire_owned().await;
                    let job = self.get_findings(detector.clone(), chunk.to_vec());
                    pages.spawn(async move {
                        let _permit = permit;
                        job.await
                    });
                }
                next_token = page
                    .next_token()
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned);
                if next_token.is_none() {
                    break;
                }
            }
        }
        while let Some(joined) = pages.join_next().await {
            match joined {
                Ok(Ok((got, bad))) => {
                    findings.extend(got);
                    skipped.extend(bad);
                }
                Ok(Err(error)) => {
                    failure.get_or_insert(error);
                }
                Err(error) => warn!(%error, "a GetFindings task ended abnormally"),
            }
        }
        failure.map_or(Ok(RegionStatus::Ok), Err)
    }

    async fn detectors(&self) -> Result<Vec<String>, RegionFailure> {
        let mut detectors = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let answer = self
                .client
                .list_detectors()
                .set_next_token(next_token.take())
                .send()
                .await;
            self.progress.call_done();
            let page = answer.map_err(|error| self.failure(&error, "ListDetectors"))?;
            detectors.extend(page.detector_ids().iter().cloned());
            next_token = page
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_owned);
            if next_token.is_none() {
                return Ok(detectors);
            }
        }
    }

    /// One GetFindings call, as a task of its own so listing goes on meanwhile.
    fn get_findings(
        &self,
        detector: String,
        ids: Vec<String>,
    ) -> impl Future<Output = Result<(Vec<Finding>, Vec<Skipped>), RegionFailure>> + Send + 'static
    {
        let client = self.client.clone();
        let progress = self.progress.clone();
        let (source, region) = (self.source.clone(), self.region.clone());
        async move {
            let answer = client
                .get_findings()
                .detector_id(detector)
                .set_finding_ids(Some(ids))
                .send()
                .await;
            progress.call_done();
            let page = answer.map_err(|error| classify(&error, "GetFindings", &source, &region))?;
            let mut findings = Vec::with_capacity(page.findings().len());
            let mut skipped = Vec::new();
            for finding in page.findings() {
                match sdk::from_sdk(finding) {
                    Ok(finding) => findings.push(finding),
                    Err(reason) => skipped.push(Skipped {
                        source: format!("GuardDuty {region}"),
                        line: None,
                        reason,
                    }),
                }
            }
            progress.findings_received(findings.len());
            Ok((findings, skipped))
        }
    }

    fn failure<E>(
        &self,
        error: &aws_sdk_guardduty::error::SdkError<E, aws_smithy_runtime_api::http::Response>,
        operation: &str,
    ) -> RegionFailure
    where
        E: aws_sdk_guardduty::error::ProvideErrorMetadata + std::error::Error + 'static,
    {
        classify(error, operation, &self.source, &self.region)
    }
}
