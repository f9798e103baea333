//! What a running emulator shares between its requests: the store, the faults, the call log.
//!
//! The handle a test holds and the request handlers see the same state, so a test can read the
//! call log or add a fault while the server runs.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::calls::{CallLog, Operation, lock};
use crate::emulator::Emulator;
use crate::fault::{ActiveRule, CallInfo, FaultPlan, FaultRule, plan};
use crate::sso::Sso;
use crate::store::Store;
use crate::sts::Sts;

/// How many distinct ListFindings queries keep their sorted matches cached.
const QUERY_CACHE_LIMIT: usize = 256;

/// The state shared by every request of one running emulator.
#[derive(Debug)]
pub(crate) struct AppState {
    /// Findings and detectors (fixed once the server runs).
    pub store: Store,
    /// The call log.
    pub calls: CallLog,
    /// The STS endpoint and the credentials it handed out.
    pub sts: Sts,
    /// The SSO OIDC and SSO portal endpoints and what they handed out.
    pub sso: Sso,
    faults: Mutex<Vec<ActiveRule>>,
    /// Sorted matching positions per query fingerprint, so paging through 50,000 findings does
    /// not filter them again for every page.
    query_cache: Mutex<HashMap<u64, Arc<Vec<usize>>>>,
    requests: AtomicU64,
}

impl AppState {
    /// The state for serving `emulator`.
    pub fn new(emulator: Emulator) -> Self {
        Self {
            store: emulator.store,
            calls: CallLog::default(),
            sts: Sts::new(emulator.sts),
            sso: Sso::new(emulator.sso),
            faults: Mutex::new(emulator.faults.into_iter().map(ActiveRule::new).collect()),
            query_cache: Mutex::new(HashMap::new()),
            requests: AtomicU64::new(0),
        }
    }

    /// Decides the faults for one call (and counts it for every matching rule).
    pub fn fault_plan(&self, region: &str, operation: Operation, attempt: u32) -> FaultPlan {
        let call = CallInfo {
            region,
            operation,
            attempt,
        };
        plan(&lock(&self.faults), &call)
    }

    /// Adds a fault while the server runs.
    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.faults).push(ActiveRule::new(rule));
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    /// The matching positions of a query, computed once per fingerprint.
    pub fn matching(&self, key: u64, compute: impl FnOnce() -> Vec<usize>) -> Arc<Vec<usize>> {
        if let Some(cached) = lock(&self.query_cache).get(&key) {
            return Arc::clone(cached);
        }
        let computed = Arc::new(compute());
        let mut cache = lock(&self.query_cache);
        if cache.len() >= QUERY_CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key, Arc::clone(&computed));
        computed
    }

    /// A fresh request id in the UUID shape AWS uses for `x-amzn-RequestId`.
    pub fn next_request_id(&self) -> String {
        let n = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
        format!("00000000-0000-4000-8000-{n:012x}")
    }
}
