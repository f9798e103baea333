//! AWS: the analyst's profiles and the GuardDuty pull.
//!
//! Credentials come from aws-config's own chain (every source it supports), so Threat Review
//! reads the same `~/.aws` as the AWS CLI and never stores a credential of its own there.

pub mod assume_role;
pub mod credentials;
pub mod error;
pub mod keychain;
pub mod keychain_profiles;
pub mod network;
pub mod profile_files;
pub mod profiles;
pub mod progress;
pub mod pull;
pub mod regions;
pub mod sso_login;

pub use credentials::Source;
pub use error::RegionStatus;
pub use profiles::{Profile, ProfileKind};
pub use pull::{Progress, PullOutcome, PullRequest, RegionReport};
