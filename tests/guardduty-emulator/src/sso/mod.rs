//! A loopback IAM Identity Center sign-in: SSO OIDC's device flow and the SSO portal's
//! GetRoleCredentials.
//!
//! The device flow goes RegisterClient, StartDeviceAuthorization, then CreateToken polled until
//! the user approves in a browser; the access token it yields buys role credentials from the
//! portal. None of these calls is SigV4-signed, so they are routed by path. Approval is
//! simulated: after a configured number of `authorization_pending` answers (2 by default), or
//! when a test calls [`EmulatorHandle::approve_device`](crate::EmulatorHandle::approve_device),
//! or when someone opens the verification URL with its `user_code`. Every id and secret handed
//! out is deterministic (`ASIASSOEMULATOR00001`, ...), and role credentials are accepted by the
//! GuardDuty endpoint only with their session token, as with STS.
//!
//! Here: the configuration, the records a test can read, the portal; `oidc`: the three OIDC
//! operations; `route`: the HTTP side and the error shapes.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::calls::{SsoCall, lock};

mod oidc;
pub(crate) mod route;

/// How long a role credential lasts, as the portal reports it (not enforced).
const ROLE_CREDENTIALS_LIFETIME: Duration = Duration::from_secs(3600);

/// An access token SSO OIDC's CreateToken handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoAccessToken {
    /// The bearer token for the SSO portal (`emulator-sso-access-token-0001`, ...).
    pub access_token: String,
    /// The refresh token that came with it.
    pub refresh_token: String,
    /// The registered client it was issued to.
    pub client_id: String,
    /// When the portal stops accepting it.
    pub expires_at: SystemTime,
}

/// Role credentials the SSO portal's GetRoleCredentials handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoRoleCredentials {
    /// The temporary access key id (`ASIASSOEMULATOR00001`, ...).
    pub access_key_id: String,
    /// The temporary secret.
    pub secret_access_key: String,
    /// The session token, which every GuardDuty call signed with the key must carry.
    pub session_token: String,
    /// When they expire, in epoch milliseconds as the portal sends it (not enforced).
    pub expiration_millis: i64,
    /// The `account_id` asked for.
    pub account_id: String,
    /// The `role_name` asked for.
    pub role_name: String,
    /// The bearer token that paid for them.
    pub access_token: String,
}

/// A device authorization (StartDeviceAuthorization) and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoDeviceAuthorization {
    /// The registered client that started it.
    pub client_id: String,
    /// The `startUrl` given.
    pub start_url: String,
    /// The code the client polls CreateToken with.
    pub device_code: String,
    /// The code the user confirms in the browser (`ABCD-EFGH`).
    pub user_code: String,
    /// How many times CreateToken answered `authorization_pending` for it.
    pub pending_answers: u32,
    /// Whether the user approved it.
    pub approved: bool,
    /// Whether the user denied it.
    pub denied: bool,
    /// Whether CreateToken already exchanged it for a token (it then cannot be used again).
    pub redeemed: bool,
    /// When it stops being accepted.
    pub expires_at: SystemTime,
}

/// How the emulator's SSO sign-in behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SsoConfig {
    /// Approve a device authorization after this many pending answers (`None`: only by hand).
    pub approve_after: Option<u32>,
    /// Deny, instead of approve, when the pending answers run out.
    pub deny: bool,
    /// The polling interval advertised, in seconds.
    pub interval_seconds: u32,
    /// Answer `slow_down` to a poll sooner than the interval after the previous one.
    pub enforce_interval: bool,
    /// How long a device code is accepted.
    pub device_code_ttl: Duration,
    /// How long an access token is accepted.
    pub token_ttl: Duration,
}

impl Default for SsoConfig {
    fn default() -> Self {
        Self {
            approve_after: Some(2),
            deny: false,
            interval_seconds: 1,
            enforce_interval: false,
            device_code_ttl: Duration::from_secs(600),
            token_ttl: Duration::from_secs(8 * 3600),
        }
    }
}

/// A registered OIDC client.
#[derive(Debug, Clone)]
struct Client {
    id: String,
    secret: String,
}

/// A device authorization with the time of its last poll.
#[derive(Debug, Clone)]
struct Device {
    public: SsoDeviceAuthorization,
    last_poll: Option<SystemTime>,
}

/// Everything handed out so far.
#[derive(Debug, Default)]
struct Issued {
    clients: Vec<Client>,
    devices: Vec<Device>,
    tokens: Vec<SsoAccessToken>,
    role_credentials: Vec<SsoRoleCredentials>,
}

/// The SSO side of one running emulator.
#[derive(Debug, Default)]
pub(crate) struct Sso {
    config: SsoConfig,
    base_url: OnceLock<String>,
    issued: Mutex<Issued>,
}

/// An SSO error: the HTTP status, the name in `x-amzn-ErrorType`, the OAuth code for the
/// body's `error` (SSO OIDC) or `None` for a `message` body (SSO portal), and a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SsoError {
    pub status: StatusCode,
    pub name: &'static str,
    pub oauth_code: Option<&'static str>,
    pub description: String,
}

impl SsoError {
    /// An SSO OIDC error; the status and OAuth code follow from the name, as in the service.
    pub fn oidc(name: &'static str, description: impl Into<String>) -> Self {
        let (status, code) = match name {
            "InvalidClientException" => (StatusCode::UNAUTHORIZED, "invalid_client"),
            "AuthorizationPendingException" => (StatusCode::BAD_REQUEST, "authorization_pending"),
            "SlowDownException" => (StatusCode::BAD_REQUEST, "slow_down"),
            "ExpiredTokenException" => (StatusCode::BAD_REQUEST, "expired_token"),
            "AccessDeniedException" => (StatusCode::BAD_REQUEST, "access_denied"),
            "InvalidGrantException" => (StatusCode::BAD_REQUEST, "invalid_grant"),
            "UnsupportedGrantTypeException" => (StatusCode::BAD_REQUEST, "unsupported_grant_type"),
            "InvalidClientMetadataException" => {
                (StatusCode::BAD_REQUEST, "invalid_client_metadata")
            }
            _ => (StatusCode::BAD_REQUEST, "invalid_request"),
        };
        Self {
            status,
            name,
            oauth_code: Some(code),
            description: description.into(),
        }
    }

    /// An SSO portal error, answered with a `message` body.
    pub fn portal(status: StatusCode, name: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            name,
            oauth_code: None,
            description: message.into(),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        match self.oauth_code {
            Some(code) => json!({"error": code, "error_description": self.description}),
            None => json!({"message": self.description}),
        }
    }
}

/// Seconds since the epoch.
pub(crate) fn epoch_seconds(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |elapsed| {
        i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
    })
}

impl Sso {
    /// The SSO side for `config`.
    pub fn new(config: SsoConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// Records the server's own URL, for the verification URIs.
    pub fn set_base_url(&self, url: String) {
        let _ = self.base_url.set(url);
    }

    /// Every access token handed out, in order.
    pub fn tokens(&self) -> Vec<SsoAccessToken> {
        lock(&self.issued).tokens.clone()
    }

    /// Every set of role credentials handed out, in order.
    pub fn role_credentials(&self) -> Vec<SsoRoleCredentials> {
        lock(&self.issued).role_credentials.clone()
    }

    /// Every device authorization started, in order.
    pub fn devices(&self) -> Vec<SsoDeviceAuthorization> {
        let issued = lock(&self.issued);
        issued.devices.iter().map(|d| d.public.clone()).collect()
    }

    /// The session token that must come with `access_key_id`, when the portal issued that key.
    pub fn session_token_of(&self, access_key_id: &str) -> Option<String> {
        lock(&self.issued)
            .role_credentials
            .iter()
            .find(|issued| issued.access_key_id == access_key_id)
            .map(|issued| issued.session_token.clone())
    }

    /// Approves (or denies) the device authorization with `user_code`; `false` if none has it.
    pub fn decide(&self, user_code: &str, approve: bool) -> bool {
        let mut issued = lock(&self.issued);
        let Some(device) = issued
            .devices
            .iter_mut()
            .find(|d| d.public.user_code.eq_ignore_ascii_case(user_code))
        else {
            return false;
        };
        device.public.approved = approve;
        device.public.denied = !approve;
        true
    }

    /// Makes every access token handed out so far expired.
    pub fn expire_tokens(&self) {
        for token in &mut lock(&self.issued).tokens {
            token.expires_at = UNIX_EPOCH;
        }
    }

    /// GetRoleCredentials: role credentials for a live bearer token.
    pub fn get_role_credentials(
        &self,
        bearer: Option<&str>,
        account_id: Option<&str>,
        role_name: Option<&str>,
        call: &mut SsoCall,
    ) -> Result<Value, SsoError> {
        let unauthorized = || {
            let message = "Session token not found or invalid";
            SsoError::portal(StatusCode::UNAUTHORIZED, "UnauthorizedException", message)
        };
        let bearer = bearer.filter(|b| !b.is_empty()).ok_or_else(unauthorized)?;
        let (Some(account_id), Some(role_name)) = (account_id, role_name) else {
            let message = "account_id and role_name are required";
            let name = "InvalidRequestException";
            return Err(SsoError::portal(StatusCode::BAD_REQUEST, name, message));
        };
        let now = SystemTime::now();
        let mut issued = lock(&self.issued);
        issued
            .tokens
            .iter()
            .find(|token| token.access_token == bearer && token.expires_at > now)
            .ok_or_else(unauthorized)?;
        let n = issued.role_credentials.len() + 1;
        let expiration = now + ROLE_CREDENTIALS_LIFETIME;
        let expiration_millis = i64::try_from(
            expiration
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis(),
        )
        .unwrap_or(i64::MAX);
        let credentials = SsoRoleCredentials {
            access_key_id: format!("ASIASSOEMULATOR{n:05}"),
            secret_access_key: format!("sso-emulator-secret-{n:05}"),
            session_token: format!("sso-emulator-session-token-{n:05}"),
            expiration_millis,
            account_id: account_id.to_owned(),
            role_name: role_name.to_owned(),
            access_token: bearer.to_owned(),
        };
        call.issued_access_key_id = Some(credentials.access_key_id.clone());
        let answer = json!({"roleCredentials": {
            "accessKeyId": credentials.access_key_id,
            "secretAccessKey": credentials.secret_access_key,
            "sessionToken": credentials.session_token,
            "expiration": credentials.expiration_millis,
        }});
        issued.role_credentials.push(credentials);
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oidc_errors_carry_the_oauth_code_and_portal_errors_a_message() {
        let pending = SsoError::oidc("AuthorizationPendingException", "not yet");
        assert_eq!(pending.status, StatusCode::BAD_REQUEST);
        assert_eq!(pending.body()["error"], "authorization_pending");
        assert_eq!(pending.body()["error_description"], "not yet");
        let client = SsoError::oidc("InvalidClientException", "who?");
        assert_eq!(client.status, StatusCode::UNAUTHORIZED);
        let portal = SsoError::portal(StatusCode::UNAUTHORIZED, "UnauthorizedException", "no");
        assert_eq!(portal.body(), json!({"message": "no"}));
    }

    #[test]
    fn role_credentials_need_a_live_token() {
        let sso = Sso::new(SsoConfig::default());
        let mut call = SsoCall::default();
        let refused = sso.get_role_credentials(Some("nope"), Some("1"), Some("r"), &mut call);
        assert_eq!(refused.map_err(|e| e.name), Err("UnauthorizedException"));
        assert!(sso.role_credentials().is_empty());
        assert_eq!(sso.session_token_of("ASIASSOEMULATOR00001"), None);
    }
}
