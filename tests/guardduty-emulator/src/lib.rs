//! A loopback GuardDuty endpoint for Threat Review's tests and benchmarks.
//!
//! It speaks enough of GuardDuty's REST-JSON protocol (ListDetectors, ListFindings,
//! GetFindings) for the real `aws-sdk-guardduty` client, pointed at it with `endpoint_url`,
//! to work unchanged, and enough of STS (AssumeRole, GetCallerIdentity) for aws-config's
//! assume-role profiles, and the SSO sign-in (SSO OIDC's device flow and the SSO portal's
//! GetRoleCredentials, unsigned, routed by path). The region, service and access key of each
//! GuardDuty or STS call come from its SigV4 header; the signature itself is not checked. It
//! filters and pages like the service, counts calls and concurrency so tests can assert how the
//! product used the API, and can misbehave on purpose: latency, throttling, server errors,
//! dropped connections, expired tokens, disabled regions, regions without a detector, foreign
//! detectors, a required MFA code, a pending, denied or expired SSO sign-in.
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! use guardduty_emulator::{Emulator, Operation};
//!
//! let emulator = Emulator::builder()
//!     .generate("us-east-1", 500, 42)
//!     .no_detector("eu-west-3")
//!     .start()
//!     .await?;
//! let endpoint = emulator.endpoint_url(); // give this to the SDK as endpoint_url
//! // ... run the code under test ...
//! assert_eq!(emulator.calls().count_in(Operation::ListDetectors, "us-east-1"), 1);
//! emulator.shutdown().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Map of the crate:
//! - [`emulator`]: configuring and starting ([`Emulator`], [`EmulatorBuilder`]);
//! - [`handle`]: the running server ([`EmulatorHandle`]);
//! - [`calls`]: the call log tests assert on ([`Calls`], [`CallRecord`], [`Operation`]);
//! - [`fault`]: injected failures ([`Fault`], [`FaultRule`]);
//! - [`sts`]: the STS endpoint and the credentials it hands out ([`AssumedCredentials`]);
//! - [`sso`]: SSO OIDC and the SSO portal ([`SsoAccessToken`], [`SsoRoleCredentials`]);
//! - [`generate`]: synthetic findings ([`GenerateSpec`], [`generate_findings`]);
//! - [`sigv4`]: reading the `Authorization` header;
//! - [`time`]: ISO-8601 to epoch milliseconds and back;
//! - internal: `server` (routes and the per-call pipeline), `ops` (the operations), `criteria`
//!   (filtering and sorting), `paging` (tokens), `query` (query strings), `store` (findings per
//!   region), `load` (fixture files), `state` (shared server state), `error` (AWS-shaped
//!   errors), `ids`, `rng`.

pub mod calls;
mod criteria;
pub mod emulator;
mod error;
pub mod fault;
pub mod generate;
pub mod handle;
mod ids;
mod load;
mod ops;
mod paging;
mod query;
mod rng;
mod server;
pub mod sigv4;
pub mod sso;
mod state;
mod store;
pub mod sts;
pub mod time;

pub use calls::{CallRecord, Calls, Operation, SsoCall, StsCall};
pub use emulator::{Emulator, EmulatorBuilder};
pub use fault::{Fault, FaultRule};
pub use generate::{
    DEFAULT_LATEST_UPDATE_MILLIS, GENERATED_ACCOUNT_ID, GenerateSpec, IN_SCOPE_TYPES,
    OUT_OF_SCOPE_TYPES, generate_findings,
};
pub use handle::EmulatorHandle;
pub use ids::detector_id_for_region;
pub use sso::{SsoAccessToken, SsoDeviceAuthorization, SsoRoleCredentials};
pub use sts::AssumedCredentials;
