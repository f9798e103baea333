//! The TypeScript side of the IPC contract, generated from the Rust types so the two cannot
//! drift: `ui/src/lib/bindings.ts` is this output, and a test fails when the file is stale
//! (`make bindings` rewrites it).

use ts_rs::TS;

use super::commands::ExportResult;
use super::error::{AppError, ErrorCode};
use super::profiles::{KeychainStatus, NewKeychainProfile, ProfileList, SignedIn, Startup};
use super::state::{ReviewOrigin, ReviewSummary};
use crate::aws::progress::PullProgress;
use crate::aws::sso_login::DeviceCode;
use crate::aws::{Profile, ProfileKind, RegionReport, RegionStatus};
use crate::finding::{Indicator, IndicatorKind, SeverityLabel, Skipped};
use crate::review::{FindingView, GroupPage, GroupQuery, GroupSummary};

/// Where the generated file lives, from the repository root.
pub const PATH: &str = "ui/src/lib/bindings.ts";

fn declare<T: TS>(out: &mut String) {
    if let Some(docs) = T::docs() {
        out.push_str(&docs);
    }
    out.push_str("export ");
    out.push_str(&T::decl());
    out.push_str("\n\n");
}

/// The whole `bindings.ts`.
pub fn typescript() -> String {
    let mut out = String::from(
        "// Generated from the Rust types by `make bindings`; do not edit by hand.\n\
         // Every string that comes from a finding is attacker-controlled: render it as text.\n\n",
    );
    declare::<SeverityLabel>(&mut out);
    declare::<IndicatorKind>(&mut out);
    declare::<Indicator>(&mut out);
    declare::<FindingView>(&mut out);
    declare::<GroupSummary>(&mut out);
    declare::<GroupQuery>(&mut out);
    declare::<GroupPage>(&mut out);
    declare::<Skipped>(&mut out);
    declare::<RegionStatus>(&mut out);
    declare::<RegionReport>(&mut out);
    declare::<ReviewOrigin>(&mut out);
    declare::<ReviewSummary>(&mut out);
    declare::<ProfileKind>(&mut out);
    declare::<Profile>(&mut out);
    declare::<KeychainStatus>(&mut out);
    declare::<ProfileList>(&mut out);
    declare::<NewKeychainProfile>(&mut out);
    declare::<Startup>(&mut out);
    declare::<PullProgress>(&mut out);
    declare::<ExportResult>(&mut out);
    declare::<DeviceCode>(&mut out);
    declare::<SignedIn>(&mut out);
    declare::<ErrorCode>(&mut out);
    declare::<AppError>(&mut out);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
