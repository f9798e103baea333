//! The handle of a running emulator: its address, its call log, its faults, its end.
//!
//! Tests hold the handle for the life of the server. Dropping it stops the server, so a test
//! that fails half-way does not leave a listener behind.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::calls::Calls;
use crate::fault::FaultRule;
use crate::sso::{SsoAccessToken, SsoDeviceAuthorization, SsoRoleCredentials};
use crate::state::AppState;
use crate::sts::AssumedCredentials;

/// How long [`EmulatorHandle::shutdown`] lets open connections finish before cutting them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A running emulator. Dropping it stops the server.
#[derive(Debug)]
pub struct EmulatorHandle {
    address: SocketAddr,
    state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl EmulatorHandle {
    pub(crate) fn new(
        address: SocketAddr,
        state: Arc<AppState>,
        stop: oneshot::Sender<()>,
        task: JoinHandle<std::io::Result<()>>,
    ) -> Self {
        Self {
            address,
            state,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// The URL to give the SDK as `endpoint_url`: `http://127.0.0.1:PORT`.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The loopback address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// A snapshot of the call log: calls per operation and region, access keys, the finding
    /// ids listed and fetched, peak concurrency.
    pub fn calls(&self) -> Calls {
        self.state.calls.snapshot()
    }

    /// The credentials STS AssumeRole handed out so far, in order.
    pub fn assumed_credentials(&self) -> Vec<AssumedCredentials> {
        self.state.sts.issued()
    }

    /// The device authorizations SSO OIDC started so far, in order, with their user codes.
    pub fn sso_device_authorizations(&self) -> Vec<SsoDeviceAuthorization> {
        self.state.sso.devices()
    }

    /// Approves the device authorization with `user_code` (case-insensitive), as the user
    /// clicking "Allow": its next CreateToken poll gets a token. `false` if no device
    /// authorization has that code.
    pub fn approve_device(&self, user_code: &str) -> bool {
        self.state.sso.decide(user_code, true)
    }

    /// Denies the device authorization with `user_code`: its next CreateToken poll gets 400
    /// `AccessDeniedException`. `false` if no device authorization has that code.
    pub fn deny_device(&self, user_code: &str) -> bool {
        self.state.sso.decide(user_code, false)
    }

    /// The SSO access tokens CreateToken handed out so far, in order.
    pub fn sso_access_tokens(&self) -> Vec<SsoAccessToken> {
        self.state.sso.tokens()
    }

    /// Makes every SSO access token handed out so far expired: GetRoleCredentials then answers
    /// 401 `UnauthorizedException` to them.
    pub fn expire_sso_access_tokens(&self) {
        self.state.sso.expire_tokens();
    }

    /// The role credentials GetRoleCredentials handed out so far, in order.
    pub fn sso_role_credentials(&self) -> Vec<SsoRoleCredentials> {
        self.state.sso.role_credentials()
    }

    /// Forgets the calls logged so far.
    pub fn reset_calls(&self) {
        self.state.calls.reset();
    }

    /// The detector id ListDetectors answers in `region` (`None`: GuardDuty is off there).
    pub fn detector_id(&self, region: &str) -> Option<String> {
        self.state.store.detector_id(region)
    }

    /// Adds a fault from now on (a [`Fault`](crate::Fault) applies to every call).
    pub fn add_fault(&self, rule: impl Into<FaultRule>) {
        self.state.add_fault(rule.into());
    }

    /// Removes every fault, those configured before the start included.
    pub fn clear_faults(&self) {
        self.state.clear_faults();
    }

    /// Stops accepting connections, lets open ones finish (up to 5 seconds), and waits for
    /// the server to end.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let Some(mut task) = self.task.take() else {
            return Ok(());
        };
        match tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join_error)) if join_error.is_cancelled() => Ok(()),
            Ok(Err(join_error)) => Err(std::io::Error::other(join_error)),
            Err(_elapsed) => {
                task.abort();
                Ok(())
            }
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
