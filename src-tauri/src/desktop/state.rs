//! What the window is showing, and the pull that may be running.
//!
//! A review is replaced whole when a pull or import finishes, so a cancelled or failed pull
//! leaves the previous results exactly as they were.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use chrono::Utc;
use serde::Serialize;
use tokio::sync::Notify;
use ts_rs::TS;

use super::error::{AppError, ErrorCode};
use crate::aws::RegionReport;
use crate::finding::Skipped;
use crate::review::Review;
use crate::time;

/// Where the current results came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ReviewOrigin {
    /// Nothing loaded yet.
    Empty,
    /// The bundled sample findings.
    Sample,
    /// A pull.
    Pull {
        /// The profile; `None` for the default chain.
        profile: Option<String>,
        /// The regions asked for.
        regions: Vec<String>,
    },
    /// Files the analyst opened.
    Import {
        /// The files.
        paths: Vec<String>,
    },
}

/// What the current result set holds; the groups are paged separately.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewSummary {
    /// Where the results came from.
    pub origin: ReviewOrigin,
    /// When they were loaded (ISO-8601 UTC).
    pub loaded_at: String,
    /// How many instance groups.
    pub group_count: u32,
    /// How many findings in all.
    pub finding_count: u32,
    /// How many findings name no instance.
    pub without_instance_count: u32,
    /// Findings left out because of their type; `None` when not known (a pull).
    pub out_of_scope: Option<u32>,
    /// Records and files that could not be read.
    pub skipped: Vec<Skipped>,
    /// How each region went (pulls only).
    pub regions: Vec<RegionReport>,
    /// Whether the findings are samples.
    pub sample: bool,
    /// When the credentials of the pull expire (ISO-8601 UTC), when they are temporary.
    pub credentials_expire_at: Option<String>,
}

/// A review and its summary, replaced together.
#[derive(Clone)]
pub struct Loaded {
    /// The findings, grouped.
    pub review: Arc<Review>,
    /// What the UI is told about them.
    pub summary: ReviewSummary,
}

impl Loaded {
    /// Wraps a freshly built review.
    pub fn new(review: Review, origin: ReviewOrigin, regions: Vec<RegionReport>) -> Loaded {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let summary = ReviewSummary {
            sample: origin == ReviewOrigin::Sample || review.all_samples(),
            origin,
            loaded_at: time::format(&Utc::now()),
            group_count: count(review.groups().len()),
            finding_count: count(review.findings().len()),
            without_instance_count: count(review.without_instance_count()),
            out_of_scope: review.out_of_scope.map(count),
            skipped: review.skipped.clone(),
            regions,
            credentials_expire_at: None,
        };
        Loaded {
            review: Arc::new(review),
            summary,
        }
    }
}

/// The app's state, shared by every command.
pub struct AppState {
    loaded: RwLock<Loaded>,
    /// The last results of each profile (`None` for the default chain), for switching back.
    by_profile: Mutex<HashMap<Option<String>, Loaded>>,
    pull: Mutex<Option<Arc<Notify>>>,
}

impl Default for AppState {
    fn default() -> AppState {
        AppState {
            loaded: RwLock::new(empty()),
            by_profile: Mutex::new(HashMap::new()),
            pull: Mutex::new(None),
        }
    }
}

fn empty() -> Loaded {
    Loaded::new(Review::default(), ReviewOrigin::Empty, Vec::new())
}

impl AppState {
    /// The current review.
    pub fn review(&self) -> Arc<Review> {
        self.loaded
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .review
            .clone()
    }

    /// The current summary.
    pub fn summary(&self) -> ReviewSummary {
        self.loaded
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .summary
            .clone()
    }

    /// Shows `loaded` from now on; returns its summary.
    pub fn replace(&self, loaded: Loaded) -> ReviewSummary {
        let summary = loaded.summary.clone();
        *self
            .loaded
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = loaded;
        summary
    }

    /// Shows the results of a pull with `profile` and keeps them for when the analyst switches
    /// back to that profile.
    pub fn replace_for_profile(&self, profile: Option<&str>, loaded: Loaded) -> ReviewSummary {
        self.by_profile
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(profile.map(str::to_owned), loaded.clone());
        self.replace(loaded)
    }

    /// Switches to `profile`: shows its last results, or nothing when it has none yet.
    pub fn switch_to(&self, profile: Option<&str>) -> ReviewSummary {
        let kept = self
            .by_profile
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&profile.map(str::to_owned))
            .cloned();
        self.replace(kept.unwrap_or_else(empty))
    }

    /// Forgets the results of `profile` (it was removed).
    pub fn forget(&self, profile: &str) {
        self.by_profile
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(&Some(profile.to_owned()));
    }

    /// Runs `work` (a pull) unless [`AppState::cancel_pull`] stops it first; one at a time.
    /// Nothing here touches the shown results, so a cancelled pull leaves them as they were.
    ///
    /// # Errors
    ///
    /// [`ErrorCode::PullRunning`] when another pull runs, [`ErrorCode::Cancelled`] when
    /// cancelled.
    pub async fn cancellable<T>(&self, work: impl Future<Output = T>) -> Result<T, AppError> {
        let cancel = self.begin_pull()?;
        let outcome = tokio::select! {
            done = work => Ok(done),
            () = cancel.notified() => Err(AppError::new(
                ErrorCode::Cancelled,
                "pull cancelled; the previous results are still shown",
            )),
        };
        self.end_pull();
        outcome
    }

    /// Marks a pull as running and returns the signal that cancels it.
    ///
    /// # Errors
    ///
    /// [`ErrorCode::PullRunning`] when one is already running.
    pub fn begin_pull(&self) -> Result<Arc<Notify>, AppError> {
        let mut running = self
            .pull
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if running.is_some() {
            return Err(AppError::new(
                ErrorCode::PullRunning,
                "a pull is already running: wait for it or cancel it",
            ));
        }
        let cancel = Arc::new(Notify::new());
        *running = Some(cancel.clone());
        Ok(cancel)
    }

    /// Marks the pull as finished.
    pub fn end_pull(&self) {
        *self
            .pull
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }

    /// Cancels the running pull, if any; returns whether one was running.
    pub fn cancel_pull(&self) -> bool {
        let running = self
            .pull
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(cancel) = running.as_ref() {
            cancel.notify_one();
        }
        running.is_some()
    }
}
