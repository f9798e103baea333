//! Configuring an emulator: findings, detectors, faults, port; then starting it.
//!
//! Tests describe the account they need (which regions hold which findings, where GuardDuty is
//! off, what goes wrong) in a few chained calls, and get a running server back from `start`.

use std::path::Path;

use anyhow::Context;
use serde_json::Value;

use crate::fault::{Fault, FaultRule};
use crate::generate::GenerateSpec;
use crate::handle::EmulatorHandle;
use crate::load;
use crate::sso::SsoConfig;
use crate::store::{DetectorSetting, Store};
use crate::sts::StsConfig;

/// A configured GuardDuty emulator that is not running yet. Make one with
/// [`Emulator::builder`]; run it with [`Emulator::start`].
#[derive(Debug, Clone, Default)]
pub struct Emulator {
    pub(crate) store: Store,
    pub(crate) faults: Vec<FaultRule>,
    pub(crate) port: u16,
    pub(crate) sts: StsConfig,
    pub(crate) sso: SsoConfig,
}

impl Emulator {
    /// An emulator with no findings in which every region has a detector.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The findings served in `region`, in the order they were added.
    pub fn findings(&self, region: &str) -> &[Value] {
        self.store
            .region(region)
            .map_or(&[], |findings| findings.all())
    }

    /// Every region that holds findings, in name order.
    pub fn regions(&self) -> Vec<String> {
        self.store.regions().map(str::to_owned).collect()
    }

    /// The detector id ListDetectors answers in `region` (`None`: GuardDuty is off there).
    pub fn detector_id(&self, region: &str) -> Option<String> {
        self.store.detector_id(region)
    }

    /// Binds `127.0.0.1` (on the configured port, by default any free one) and serves until
    /// the returned handle is shut down or dropped. Needs a Tokio runtime.
    pub async fn start(self) -> std::io::Result<EmulatorHandle> {
        crate::server::start(self).await
    }
}

/// Builds an [`Emulator`]. Every region has a detector (with an id derived from the region's
/// name) unless [`no_detector`](Self::no_detector) says otherwise; a region without findings
/// simply answers empty lists.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct EmulatorBuilder {
    emulator: Emulator,
}

impl EmulatorBuilder {
    /// Serves `findings` (camelCase objects, as GetFindings returns them) in `region`, whatever
    /// their own `region` field says. A finding whose id is already served in the region
    /// replaces the earlier one.
    pub fn add_findings(mut self, region: &str, findings: Vec<Value>) -> Self {
        self.emulator.store.add(region, findings);
        self
    }

    /// Reads a fixture file: `{"findings": [...]}`, a single finding, a JSON array of either,
    /// or (`.jsonl`) one per line; EventBridge envelopes are unwrapped and PascalCase keys
    /// lowered to camelCase. Each finding is served in the region its `region` field names,
    /// else its envelope's `region`, else `fallback_region`; a finding with none of these is an
    /// error, and so is a record without an `id`. An empty file adds nothing. Findings are
    /// served as written (a missing `region` is not filled in).
    pub fn load_file(
        mut self,
        path: impl AsRef<Path>,
        fallback_region: Option<&str>,
    ) -> anyhow::Result<Self> {
        let path = path.as_ref();
        let findings = load::read_file(path)?;
        for (index, loaded) in findings.into_iter().enumerate() {
            let finding = loaded.finding;
            let region = finding
                .get("region")
                .and_then(Value::as_str)
                .filter(|region| !region.is_empty())
                .or(loaded.envelope_region.as_deref())
                .or(fallback_region)
                .map(str::to_owned)
                .with_context(|| {
                    format!(
                        "{}: finding {index} has no \"region\" and no fallback region was given",
                        path.display()
                    )
                })?;
            self.emulator.store.add(&region, [finding]);
        }
        Ok(self)
    }

    /// Reads every `*.json` and `*.jsonl` file under `dir` (recursively, in name order) as
    /// [`load_file`](Self::load_file) does.
    pub fn load_dir(
        mut self,
        dir: impl AsRef<Path>,
        fallback_region: Option<&str>,
    ) -> anyhow::Result<Self> {
        for file in load::fixture_files(dir.as_ref())? {
            self = self.load_file(&file, fallback_region)?;
        }
        Ok(self)
    }

    /// Adds `count` synthetic findings to `region`, reproducible from `seed` (see
    /// [`GenerateSpec`]); their ARNs name the region's detector as configured so far.
    pub fn generate(self, region: &str, count: usize, seed: u64) -> Self {
        let mut spec = GenerateSpec::new(region, count, seed);
        if let Some(detector_id) = self.emulator.store.detector_id(region) {
            spec = spec.detector_id(detector_id);
        }
        self.generate_with(&spec)
    }

    /// Adds the findings `spec` describes to its region.
    pub fn generate_with(mut self, spec: &GenerateSpec) -> Self {
        self.emulator.store.add(spec.region(), spec.findings());
        self
    }

    /// Gives `region` this detector id instead of the derived one.
    pub fn detector_id(mut self, region: &str, detector_id: impl Into<String>) -> Self {
        let setting = DetectorSetting::Id(detector_id.into());
        self.emulator.store.set_detector(region, setting);
        self
    }

    /// Says GuardDuty is off in `region`: ListDetectors answers an empty list there, and every
    /// detector id is refused.
    pub fn no_detector(mut self, region: &str) -> Self {
        self.emulator
            .store
            .set_detector(region, DetectorSetting::None);
        self
    }

    /// Makes ListDetectors in `region` answer `detector_id` while every call naming it there is
    /// refused with 400 (`BadRequestException` in the header, `InvalidInputException` in the
    /// body), as GuardDuty answers a detector id of another region or account.
    pub fn foreign_detector(mut self, region: &str, detector_id: impl Into<String>) -> Self {
        let setting = DetectorSetting::Foreign(detector_id.into());
        self.emulator.store.set_detector(region, setting);
        self
    }

    /// Adds a fault (a [`Fault`] applies to every call; a [`FaultRule`] can be scoped).
    pub fn fault(mut self, rule: impl Into<FaultRule>) -> Self {
        self.emulator.faults.push(rule.into());
        self
    }

    /// Makes `region` answer every call with 403 `UnrecognizedClientException`, as an opt-in
    /// region the account has not enabled.
    pub fn disable_region(self, region: &str) -> Self {
        self.fault(FaultRule::new(Fault::RegionDisabled).in_region(region))
    }

    /// Makes STS AssumeRole demand this MFA device (`SerialNumber`) and code (`TokenCode`):
    /// without them it answers 403 `AccessDenied` ("not authorized to perform:
    /// sts:AssumeRole"), with another code 403 `AccessDenied` ("MultiFactorAuthentication
    /// failed").
    pub fn require_mfa(
        mut self,
        serial_number: impl Into<String>,
        code: impl Into<String>,
    ) -> Self {
        self.emulator.sts.require_mfa = Some((serial_number.into(), code.into()));
        self
    }

    /// Makes SSO OIDC's CreateToken answer `authorization_pending` `polls` times for each
    /// device code, then hand out a token (default 2). `0` approves at the first poll.
    pub fn sso_approve_after(mut self, polls: u32) -> Self {
        self.emulator.sso.approve_after = Some(polls);
        self
    }

    /// Leaves device authorizations pending until approved by hand:
    /// [`EmulatorHandle::approve_device`] or opening the verification URL.
    pub fn sso_approve_manually(mut self) -> Self {
        self.emulator.sso.approve_after = None;
        self
    }

    /// Makes the simulated user deny the sign-in: once the pending answers
    /// ([`sso_approve_after`](Self::sso_approve_after)) run out, CreateToken answers 400
    /// `AccessDeniedException`.
    pub fn sso_deny(mut self) -> Self {
        self.emulator.sso.deny = true;
        self
    }

    /// Makes CreateToken answer 400 `SlowDownException` to a poll that comes sooner than the
    /// advertised interval (1 second) after the previous one for the same device code.
    pub fn sso_enforce_interval(mut self) -> Self {
        self.emulator.sso.enforce_interval = true;
        self
    }

    /// How long a device code is accepted (default 600 s; `Duration::ZERO`: CreateToken answers
    /// 400 `ExpiredTokenException` at once). Reported, in whole seconds, as `expiresIn`.
    pub fn sso_device_code_ttl(mut self, ttl: std::time::Duration) -> Self {
        self.emulator.sso.device_code_ttl = ttl;
        self
    }

    /// How long an SSO access token is accepted by GetRoleCredentials (default 8 hours).
    /// Reported, in whole seconds, as `expiresIn`.
    pub fn sso_token_ttl(mut self, ttl: std::time::Duration) -> Self {
        self.emulator.sso.token_ttl = ttl;
        self
    }

    /// The port to listen on (default 0: any free port). The address is always `127.0.0.1`.
    pub fn port(mut self, port: u16) -> Self {
        self.emulator.port = port;
        self
    }

    /// The configured emulator, not yet running.
    pub fn build(self) -> Emulator {
        self.emulator
    }

    /// Builds and starts the emulator; see [`Emulator::start`].
    pub async fn start(self) -> std::io::Result<EmulatorHandle> {
        self.build().start().await
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn findings_go_to_their_own_region_or_the_fallback() -> anyhow::Result<()> {
        let file =
            std::env::temp_dir().join(format!("gd-emulator-builder-{}.json", std::process::id()));
        std::fs::write(
            &file,
            r#"[{"id": "a", "region": "eu-west-1"}, {"id": "b"}]"#,
        )?;
        let loaded = Emulator::builder()
            .load_file(&file, Some("us-east-1"))
            .map(|b| b.build());
        let without_fallback = Emulator::builder()
            .load_file(&file, None)
            .map(|b| b.build());
        std::fs::remove_file(&file)?;
        let emulator = loaded?;
        assert_eq!(emulator.findings("eu-west-1")[0]["id"], "a");
        assert_eq!(emulator.findings("us-east-1")[0]["id"], "b");
        let error = without_fallback.expect_err("b has no region");
        assert!(format!("{error:#}").contains("no \"region\""), "{error:#}");
        Ok(())
    }

    #[test]
    fn add_findings_uses_the_given_region() {
        let emulator = Emulator::builder()
            .add_findings(
                "ap-south-1",
                vec![json!({"id": "x", "region": "us-east-1"})],
            )
            .build();
        assert_eq!(emulator.findings("ap-south-1").len(), 1);
        assert!(emulator.findings("us-east-1").is_empty());
        assert_eq!(emulator.regions(), ["ap-south-1"]);
    }

    #[test]
    fn generated_findings_name_the_configured_detector() {
        let emulator = Emulator::builder()
            .detector_id("us-west-1", "0123456789abcdef0123456789abcdef")
            .generate("us-west-1", 3, 1)
            .no_detector("eu-south-1")
            .build();
        let findings = emulator.findings("us-west-1");
        assert_eq!(findings.len(), 3);
        assert_eq!(
            findings[0]["service"]["detectorId"],
            "0123456789abcdef0123456789abcdef"
        );
        assert_eq!(emulator.detector_id("eu-south-1"), None);
    }
}
