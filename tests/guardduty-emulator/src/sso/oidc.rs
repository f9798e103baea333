//! SSO OIDC's device flow: RegisterClient, StartDeviceAuthorization, CreateToken.
//!
//! CreateToken answers `authorization_pending` until the device authorization is approved
//! (after the configured number of pending answers, by the handle, or by opening the
//! verification URL), `access_denied` once denied, `expired_token` once the device code has
//! run out, `slow_down` to early polls when the interval is enforced; then a token once, after
//! which the device code is spent. A `refresh_token` grant exchanges a refresh token for a new
//! access token.

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use super::{Client, Device, Sso, SsoAccessToken, SsoDeviceAuthorization, SsoError, epoch_seconds};
use crate::calls::{SsoCall, lock};
use crate::ids::fnv1a;

/// How long a registered client's secret lasts, as reported (90 days, as in the service).
const CLIENT_SECRET_LIFETIME: Duration = Duration::from_secs(90 * 24 * 3600);

/// The device code grant type.
pub(crate) const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Letters for user codes: no vowels (no words) and nothing that reads as a digit.
const USER_CODE_LETTERS: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";

/// A required string field of the request body.
fn required<'a>(body: &'a Value, name: &str) -> Result<&'a str, SsoError> {
    body.get(name)
        .and_then(Value::as_str)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| SsoError::oidc("InvalidRequestException", format!("{name} is required")))
}

/// The `n`th user code: eight letters, `ABCD-EFGH`, the same in every run.
fn user_code(n: usize) -> String {
    let mut hash = fnv1a(&[b"user-code", n.to_string().as_bytes()]);
    let mut code = String::with_capacity(9);
    for index in 0..8 {
        if index == 4 {
            code.push('-');
        }
        let letters = USER_CODE_LETTERS.len() as u64;
        let pick = usize::try_from(hash % letters).unwrap_or_default();
        code.push(char::from(USER_CODE_LETTERS[pick]));
        hash /= letters;
    }
    code
}

impl Sso {
    /// RegisterClient: a public client with a deterministic id and secret.
    pub fn register_client(&self, body: &Value, call: &mut SsoCall) -> Result<Value, SsoError> {
        required(body, "clientName")?;
        let client_type = required(body, "clientType")?;
        if client_type != "public" {
            let name = "InvalidClientMetadataException";
            return Err(SsoError::oidc(name, "clientType must be public"));
        }
        let mut issued = lock(&self.issued);
        let n = issued.clients.len() + 1;
        let client = Client {
            id: format!("emulator-client-{n:04}"),
            secret: format!("emulator-client-secret-{n:04}"),
        };
        call.client_id = Some(client.id.clone());
        let now = SystemTime::now();
        let answer = json!({
            "clientId": client.id,
            "clientSecret": client.secret,
            "clientIdIssuedAt": epoch_seconds(now),
            "clientSecretExpiresAt": epoch_seconds(now + CLIENT_SECRET_LIFETIME),
        });
        issued.clients.push(client);
        Ok(answer)
    }

    /// StartDeviceAuthorization: a device code and a user code for a registered client.
    pub fn start_device_authorization(
        &self,
        body: &Value,
        call: &mut SsoCall,
    ) -> Result<Value, SsoError> {
        let client_id = required(body, "clientId")?;
        call.client_id = Some(client_id.to_owned());
        let client_secret = required(body, "clientSecret")?;
        let start_url = required(body, "startUrl")?;
        call.start_url = Some(start_url.to_owned());
        let mut issued = lock(&self.issued);
        check_client(&issued.clients, client_id, client_secret)?;
        let n = issued.devices.len() + 1;
        let device = SsoDeviceAuthorization {
            client_id: client_id.to_owned(),
            start_url: start_url.to_owned(),
            device_code: format!("emulator-device-code-{n:04}"),
            user_code: user_code(n),
            pending_answers: 0,
            approved: false,
            denied: false,
            redeemed: false,
            expires_at: SystemTime::now() + self.config.device_code_ttl,
        };
        let base = self
            .base_url
            .get()
            .map_or("http://127.0.0.1", String::as_str);
        let answer = json!({
            "deviceCode": device.device_code,
            "userCode": device.user_code,
            "verificationUri": format!("{base}/device"),
            "verificationUriComplete": format!("{base}/device?user_code={}", device.user_code),
            "expiresIn": self.config.device_code_ttl.as_secs(),
            "interval": self.config.interval_seconds,
        });
        issued.devices.push(Device {
            public: device,
            last_poll: None,
        });
        Ok(answer)
    }

    /// CreateToken, for the device code and refresh token grants.
    pub fn create_token(&self, body: &Value, call: &mut SsoCall) -> Result<Value, SsoError> {
        let client_id = required(body, "clientId")?;
        call.client_id = Some(client_id.to_owned());
        let client_secret = required(body, "clientSecret")?;
        let grant_type = required(body, "grantType")?;
        call.grant_type = Some(grant_type.to_owned());
        let mut issued = lock(&self.issued);
        check_client(&issued.clients, client_id, client_secret)?;
        let now = SystemTime::now();
        let refresh_token = match grant_type {
            DEVICE_CODE_GRANT => {
                let device_code = required(body, "deviceCode")?;
                let device = issued
                    .devices
                    .iter_mut()
                    .find(|d| {
                        d.public.device_code == device_code && d.public.client_id == client_id
                    })
                    .ok_or_else(|| SsoError::oidc("InvalidGrantException", "Invalid grant"))?;
                self.poll(device, now)?;
                let n = issued.tokens.len() + 1;
                format!("emulator-sso-refresh-token-{n:04}")
            }
            "refresh_token" => {
                let refresh_token = required(body, "refreshToken")?;
                issued
                    .tokens
                    .iter()
                    .find(|t| t.refresh_token == refresh_token && t.client_id == client_id)
                    .map(|t| t.refresh_token.clone())
                    .ok_or_else(|| SsoError::oidc("InvalidGrantException", "Invalid grant"))?
            }
            other => {
                let name = "UnsupportedGrantTypeException";
                return Err(SsoError::oidc(
                    name,
                    format!("Unsupported grant type {other}"),
                ));
            }
        };
        let n = issued.tokens.len() + 1;
        let token = SsoAccessToken {
            access_token: format!("emulator-sso-access-token-{n:04}"),
            refresh_token,
            client_id: client_id.to_owned(),
            expires_at: now + self.config.token_ttl,
        };
        call.access_token = Some(token.access_token.clone());
        let answer = json!({
            "accessToken": token.access_token,
            "tokenType": "Bearer",
            "expiresIn": self.config.token_ttl.as_secs(),
            "refreshToken": token.refresh_token,
        });
        issued.tokens.push(token);
        Ok(answer)
    }

    /// One poll of a device code: `Ok` when it may be exchanged for a token now.
    fn poll(&self, device: &mut Device, now: SystemTime) -> Result<(), SsoError> {
        let public = &mut device.public;
        if public.redeemed {
            return Err(SsoError::oidc(
                "InvalidGrantException",
                "Invalid grant provided",
            ));
        }
        if now >= public.expires_at {
            return Err(SsoError::oidc(
                "ExpiredTokenException",
                "Device code expired",
            ));
        }
        let interval = Duration::from_secs(u64::from(self.config.interval_seconds));
        let early = device
            .last_poll
            .is_some_and(|last| now.duration_since(last).unwrap_or_default() < interval);
        device.last_poll = Some(now);
        if self.config.enforce_interval && early {
            return Err(SsoError::oidc(
                "SlowDownException",
                "Client is polling too fast",
            ));
        }
        if !public.approved
            && !public.denied
            && let Some(after) = self.config.approve_after
            && public.pending_answers >= after
        {
            public.approved = !self.config.deny;
            public.denied = self.config.deny;
        }
        if public.denied {
            return Err(SsoError::oidc("AccessDeniedException", "Access denied"));
        }
        if !public.approved {
            public.pending_answers += 1;
            let name = "AuthorizationPendingException";
            return Err(SsoError::oidc(name, "Authorization is still pending"));
        }
        public.redeemed = true;
        Ok(())
    }
}

/// Refuses an unknown client id or a wrong secret.
fn check_client(clients: &[Client], id: &str, secret: &str) -> Result<(), SsoError> {
    if clients.iter().any(|c| c.id == id && c.secret == secret) {
        Ok(())
    } else {
        Err(SsoError::oidc("InvalidClientException", "Invalid client"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sso::SsoConfig;

    fn started(config: SsoConfig) -> (Sso, String, String) {
        let sso = Sso::new(config);
        let mut call = SsoCall::default();
        let body = json!({"clientName": "t", "clientType": "public"});
        let client = sso.register_client(&body, &mut call).expect("registered");
        let id = client["clientId"].as_str().unwrap_or_default().to_owned();
        let secret = client["clientSecret"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let body = json!({"clientId": id, "clientSecret": secret, "startUrl": "https://x"});
        let device = sso
            .start_device_authorization(&body, &mut call)
            .expect("started");
        assert_eq!(device["interval"], 1);
        let code = device["deviceCode"].as_str().unwrap_or_default().to_owned();
        let body = json!({"clientId": id, "clientSecret": secret, "grantType": DEVICE_CODE_GRANT,
            "deviceCode": code});
        let user_code = device["userCode"].as_str().unwrap_or_default().to_owned();
        (sso, body.to_string(), user_code)
    }

    fn poll(sso: &Sso, body: &str) -> Result<Value, &'static str> {
        let body: Value = serde_json::from_str(body).unwrap_or_default();
        sso.create_token(&body, &mut SsoCall::default())
            .map_err(|error| error.name)
    }

    #[test]
    fn user_codes_are_two_groups_of_four_letters() {
        let code = user_code(1);
        assert_eq!(code.len(), 9);
        assert_eq!(&code[4..5], "-");
        assert!(
            code.bytes()
                .filter(|b| *b != b'-')
                .all(|b| USER_CODE_LETTERS.contains(&b))
        );
        assert_ne!(code, user_code(2));
    }

    #[test]
    fn the_device_code_gives_a_token_after_two_pending_answers_and_only_once() {
        let (sso, body, _) = started(SsoConfig::default());
        assert_eq!(poll(&sso, &body), Err("AuthorizationPendingException"));
        assert_eq!(poll(&sso, &body), Err("AuthorizationPendingException"));
        let token = poll(&sso, &body).expect("token");
        assert_eq!(token["accessToken"], "emulator-sso-access-token-0001");
        assert_eq!(poll(&sso, &body), Err("InvalidGrantException"));
    }

    #[test]
    fn a_denying_user_gets_access_denied_and_an_early_poll_slow_down() {
        let config = SsoConfig {
            approve_after: Some(0),
            deny: true,
            ..SsoConfig::default()
        };
        let (sso, body, _) = started(config);
        assert_eq!(poll(&sso, &body), Err("AccessDeniedException"));
        let config = SsoConfig {
            enforce_interval: true,
            ..SsoConfig::default()
        };
        let (sso, body, _) = started(config);
        assert_eq!(poll(&sso, &body), Err("AuthorizationPendingException"));
        assert_eq!(poll(&sso, &body), Err("SlowDownException"));
    }

    #[test]
    fn without_automatic_approval_only_the_user_code_approves() {
        let config = SsoConfig {
            approve_after: None,
            ..SsoConfig::default()
        };
        let (sso, body, user_code) = started(config);
        for _ in 0..5 {
            assert_eq!(poll(&sso, &body), Err("AuthorizationPendingException"));
        }
        assert!(!sso.decide("BCDF-GHJK", true) || user_code == "BCDF-GHJK");
        assert!(sso.decide(&user_code.to_ascii_lowercase(), true));
        assert!(poll(&sso, &body).is_ok());
        assert_eq!(sso.devices()[0].pending_answers, 5);
    }

    #[test]
    fn an_expired_device_code_gives_expired_token() {
        let config = SsoConfig {
            device_code_ttl: Duration::ZERO,
            ..SsoConfig::default()
        };
        let (sso, body, _) = started(config);
        assert_eq!(poll(&sso, &body), Err("ExpiredTokenException"));
    }
}
