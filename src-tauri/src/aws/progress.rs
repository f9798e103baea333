//! Progress of a running pull: counters the pull bumps and the window's progress bar reads.

use std::sync::atomic::{AtomicU32, Ordering};

use serde::Serialize;
use ts_rs::TS;

/// A snapshot of a running pull, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PullProgress {
    /// AWS calls answered so far.
    pub calls: u32,
    /// Findings received so far.
    pub findings: u32,
    /// Regions finished.
    pub regions_done: u32,
    /// Regions in the pull.
    pub regions_total: u32,
}

/// Live counters of a pull; the observer is told after each change.
#[derive(Default)]
pub struct Progress {
    calls: AtomicU32,
    findings: AtomicU32,
    regions_done: AtomicU32,
    regions_total: AtomicU32,
    observer: Option<Box<dyn Fn(PullProgress) + Send + Sync>>,
}

impl Progress {
    /// Counters that call `observer` on every change.
    pub fn observed(observer: impl Fn(PullProgress) + Send + Sync + 'static) -> Progress {
        Progress {
            observer: Some(Box::new(observer)),
            ..Progress::default()
        }
    }

    /// The counters now.
    pub fn snapshot(&self) -> PullProgress {
        PullProgress {
            calls: self.calls.load(Ordering::Relaxed),
            findings: self.findings.load(Ordering::Relaxed),
            regions_done: self.regions_done.load(Ordering::Relaxed),
            regions_total: self.regions_total.load(Ordering::Relaxed),
        }
    }

    /// Counts answered calls.
    pub(crate) fn call_done(&self) {
        self.bump(&self.calls, 1);
    }

    /// Counts findings received.
    pub(crate) fn findings_received(&self, count: usize) {
        self.bump(&self.findings, u32::try_from(count).unwrap_or(u32::MAX));
    }

    /// Counts a finished region.
    pub(crate) fn region_done(&self) {
        self.bump(&self.regions_done, 1);
    }

    /// Sets how many regions the pull has.
    pub(crate) fn set_regions(&self, total: usize) {
        self.regions_total
            .store(u32::try_from(total).unwrap_or(u32::MAX), Ordering::Relaxed);
    }

    fn bump(&self, counter: &AtomicU32, by: u32) {
        counter.fetch_add(by, Ordering::Relaxed);
        if let Some(observer) = &self.observer {
            observer(self.snapshot());
        }
    }
}
