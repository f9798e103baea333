//! Threat Review: triage of AWS GuardDuty findings that say an EC2 instance talked to a
//! malicious server.
//!
//! The flow, and the module that owns each step:
//!
//! ```text
//! profile + regions ──> aws::pull ──> Vec<Finding> ──> review::Review ──> desktop / cli
//! findings files   ──> finding::parse ─┘                      └──> export (CSV, JSON)
//! ```
//!
//! - [`catalog`]: the ten finding types in scope, with their documentation links.
//! - [`finding`]: the [`finding::Finding`] model and the parsers for every format a finding
//!   arrives in (API, CLI, EventBridge, S3 export), plus the conversion of the SDK's type.
//! - [`review`]: the analyst's view: deduplication, grouping by instance, filters, sorting.
//! - [`aws`]: AWS profiles and the GuardDuty pull.
//! - [`export`]: the CSV and JSON writers.
//! - [`sample`]: the sample findings bundled in the binary.
//! - [`settings`]: what is kept between launches (never a secret).
//! - [`cli`]: the `threat-review` command line.
//! - [`desktop`]: the Tauri app; the only module that knows about Tauri.

pub mod aws;
pub mod catalog;
pub mod cli;
pub mod desktop;
pub mod export;
pub mod finding;
pub mod logging;
pub mod review;
pub mod sample;
pub mod settings;
pub mod time;
