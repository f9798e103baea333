//! A loopback STS: `AssumeRole` (with an optional MFA requirement) and `GetCallerIdentity`.
//!
//! An assume-role profile makes aws-config call STS before the first GuardDuty call, and with
//! `--endpoint-url` that call comes here too. STS speaks the AWS query protocol: a form-encoded
//! `POST /` answered in XML, signed for the service `sts`. The credentials handed out are
//! deterministic (`ASIAEMULATOR00000001`, `...02`, ...), so tests can check that the GuardDuty
//! calls that follow were signed with the assumed key and carried its session token.
//!
//! Here: the operations and the credentials handed out; `route`: the HTTP side; `xml`: the
//! answers and errors as STS writes them.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;

use crate::calls::{Operation, lock};
use crate::error::ApiError;
use crate::generate::GENERATED_ACCOUNT_ID;
use crate::ids::hex32;
use crate::time::format_iso_millis;

pub(crate) mod route;
mod xml;

/// The session length when `DurationSeconds` is not given, as in AWS.
const DEFAULT_DURATION_SECONDS: u64 = 3600;

/// The user every long-term access key belongs to (the account of generated findings).
fn caller_user_arn() -> String {
    format!("arn:aws:iam::{GENERATED_ACCOUNT_ID}:user/emulator")
}

/// Credentials the emulator's STS handed out, as a test may want to check them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumedCredentials {
    /// The temporary access key id (`ASIAEMULATOR` and a counter).
    pub access_key_id: String,
    /// The temporary secret.
    pub secret_access_key: String,
    /// The session token, which every call signed with the key must carry.
    pub session_token: String,
    /// The role that was assumed.
    pub role_arn: String,
    /// The `RoleSessionName` given.
    pub role_session_name: String,
    /// The access key id that asked for them.
    pub source_access_key_id: String,
    /// When they expire (ISO-8601 UTC); the emulator does not enforce it.
    pub expiration: String,
}

impl AssumedCredentials {
    /// The account of the role, from its ARN.
    fn account(&self) -> &str {
        self.role_arn
            .split(':')
            .nth(4)
            .unwrap_or(GENERATED_ACCOUNT_ID)
    }

    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    fn assumed_role_arn(&self) -> String {
        let role = self.role_arn.rsplit('/').next().unwrap_or_default();
        format!(
            "arn:aws:sts::{}:assumed-role/{role}/{}",
            self.account(),
            self.role_session_name
        )
    }

    /// `AROA...:SESSION`, stable per role.
    fn assumed_role_id(&self) -> String {
        let id = hex32(&[b"role", self.role_arn.as_bytes()]).to_ascii_uppercase();
        format!("AROA{}:{}", &id[..17], self.role_session_name)
    }
}

/// How the emulator's STS is configured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StsConfig {
    /// The MFA device and code AssumeRole must be given (`None`: no MFA needed).
    pub require_mfa: Option<(String, String)>,
}

/// The STS of one running emulator: its configuration and the credentials it handed out.
#[derive(Debug, Default)]
pub(crate) struct Sts {
    config: StsConfig,
    issued: Mutex<Vec<AssumedCredentials>>,
}

/// An STS answer: the status and the XML body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StsAnswer {
    /// The HTTP status.
    pub status: StatusCode,
    /// The XML body.
    pub body: String,
    /// The access key id handed out (AssumeRole only).
    pub issued: Option<String>,
}

/// What an STS call asked for, decoded from its form body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StsRequest {
    /// `Action`.
    pub action: String,
    /// Every other parameter.
    pub params: HashMap<String, String>,
}

impl StsRequest {
    /// Reads `Action=...&Name=value...` (percent-encoded, `+` for space).
    pub fn from_form(form: &str, decode: impl Fn(&str) -> String) -> Self {
        let mut request = StsRequest::default();
        for pair in form.split('&').filter(|pair| !pair.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (key, value) = (decode(key), decode(value));
            if key == "Action" {
                request.action = value;
            } else {
                request.params.insert(key, value);
            }
        }
        request
    }

    /// The operation `Action` names.
    pub fn operation(&self) -> Option<Operation> {
        match self.action.as_str() {
            "AssumeRole" => Some(Operation::AssumeRole),
            "GetCallerIdentity" => Some(Operation::GetCallerIdentity),
            _ => None,
        }
    }

    /// A parameter, when given.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

impl Sts {
    /// The STS for `config`.
    pub fn new(config: StsConfig) -> Self {
        Self {
            config,
            issued: Mutex::new(Vec::new()),
        }
    }

    /// Every set of credentials handed out so far, in order.
    pub fn issued(&self) -> Vec<AssumedCredentials> {
        lock(&self.issued).clone()
    }

    /// The session token that must come with `access_key_id`, when STS issued that key.
    pub fn session_token_of(&self, access_key_id: &str) -> Option<String> {
        lock(&self.issued)
            .iter()
            .find(|issued| issued.access_key_id == access_key_id)
            .map(|issued| issued.session_token.clone())
    }

    /// Answers one authenticated STS call made with `access_key_id`.
    pub fn answer(
        &self,
        request: &StsRequest,
        access_key_id: &str,
        request_id: &str,
    ) -> Result<StsAnswer, ApiError> {
        match request.operation() {
            Some(Operation::AssumeRole) => self.assume_role(request, access_key_id, request_id),
            Some(Operation::GetCallerIdentity) => {
                Ok(self.get_caller_identity(access_key_id, request_id))
            }
            _ => Err(ApiError::sts(
                StatusCode::BAD_REQUEST,
                "InvalidAction",
                format!(
                    "Could not find operation {} for version 2011-06-15",
                    request.action
                ),
            )),
        }
    }

    fn assume_role(
        &self,
        request: &StsRequest,
        caller: &str,
        request_id: &str,
    ) -> Result<StsAnswer, ApiError> {
        let role_arn = request
            .param("RoleArn")
            .filter(|arn| is_role_arn(arn))
            .ok_or_else(|| {
                validation(
                    "roleArn",
                    "Member must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)",
                )
            })?;
        let session_name = request
            .param("RoleSessionName")
            .filter(|name| is_session_name(name))
            .ok_or_else(|| {
                validation(
                    "roleSessionName",
                    "Member must have 2 to 64 characters of [\\w+=,.@-]",
                )
            })?;
        let duration = match request.param("DurationSeconds") {
            None => DEFAULT_DURATION_SECONDS,
            Some(text) => text
                .parse::<u64>()
                .ok()
                .filter(|seconds| (900..=43_200).contains(seconds))
                .ok_or_else(|| {
                    validation(
                        "durationSeconds",
                        "Member must have value between 900 and 43200",
                    )
                })?,
        };
        let token_code = request.param("TokenCode");
        if token_code
            .is_some_and(|code| code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(validation("tokenCode", "Member must be 6 digits"));
        }
        if let Some((serial, code)) = &self.config.require_mfa {
            if request.param("SerialNumber") != Some(serial.as_str()) || token_code.is_none() {
                return Err(access_denied(format!(
                    "User: {} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
                    caller_user_arn()
                )));
            }
            if token_code != Some(code.as_str()) {
                return Err(access_denied(
                    "MultiFactorAuthentication failed with invalid MFA one time pass code. "
                        .to_owned(),
                ));
            }
        }

        let credentials = {
            let mut issued = lock(&self.issued);
            let n = issued.len() + 1;
            let fingerprint = hex32(&[role_arn.as_bytes(), session_name.as_bytes()]);
            let credentials = AssumedCredentials {
                access_key_id: format!("ASIAEMULATOR{n:08}"),
                secret_access_key: format!("emulator-assumed-secret-{n:08}"),
                session_token: format!("EMULATORSESSION{n:08}{fingerprint}"),
                role_arn: role_arn.to_owned(),
                role_session_name: session_name.to_owned(),
                source_access_key_id: caller.to_owned(),
                expiration: expiration_after(Duration::from_secs(duration)),
            };
            issued.push(credentials.clone());
            credentials
        };
        let body = xml::assume_role(&credentials, request_id);
        Ok(StsAnswer {
            status: StatusCode::OK,
            body,
            issued: Some(credentials.access_key_id),
        })
    }

    fn get_caller_identity(&self, caller: &str, request_id: &str) -> StsAnswer {
        let assumed = lock(&self.issued)
            .iter()
            .find(|issued| issued.access_key_id == caller)
            .cloned();
        let (account, arn, user_id) = match assumed {
            Some(assumed) => (
                assumed.account().to_owned(),
                assumed.assumed_role_arn(),
                assumed.assumed_role_id(),
            ),
            None => {
                let id = hex32(&[b"user", caller.as_bytes()]).to_ascii_uppercase();
                (
                    GENERATED_ACCOUNT_ID.to_owned(),
                    caller_user_arn(),
                    format!("AIDA{}", &id[..17]),
                )
            }
        };
        let body = xml::caller_identity(&account, &arn, &user_id, request_id);
        StsAnswer {
            status: StatusCode::OK,
            body,
            issued: None,
        }
    }
}

fn validation(field: &str, constraint: &str) -> ApiError {
    ApiError::sts(
        StatusCode::BAD_REQUEST,
        "ValidationError",
        format!(
            "1 validation error detected: Value at '{field}' failed to satisfy constraint: {constraint}"
        ),
    )
}

fn access_denied(message: String) -> ApiError {
    ApiError::sts(StatusCode::FORBIDDEN, "AccessDenied", message)
}

fn is_role_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    matches!(
        parts.as_slice(),
        ["arn", partition, "iam", "", account, resource]
            if !partition.is_empty()
                && account.len() == 12
                && account.bytes().all(|b| b.is_ascii_digit())
                && resource.strip_prefix("role/").is_some_and(|name| !name.is_empty())
    )
}

fn is_session_name(name: &str) -> bool {
    (2..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b))
}

/// Now plus `duration`, whole seconds, as ISO-8601 UTC.
fn expiration_after(duration: Duration) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let seconds = i64::try_from((now + duration).as_secs()).unwrap_or(i64::MAX / 1000);
    format_iso_millis(seconds * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn:aws:iam::444455556666:role/audit-readonly";

    fn request(form: &str) -> StsRequest {
        StsRequest::from_form(form, |text| text.replace("%3A", ":").replace("%2F", "/"))
    }

    fn assume(sts: &Sts, extra: &str) -> Result<StsAnswer, ApiError> {
        let form = format!(
            "Action=AssumeRole&Version=2011-06-15&RoleArn={ROLE}&RoleSessionName=triage{extra}"
        );
        sts.answer(&request(&form), "AKIDTESTSOURCE", "req-1")
    }

    #[test]
    fn assume_role_hands_out_numbered_credentials_and_remembers_them() {
        let sts = Sts::new(StsConfig::default());
        let first = assume(&sts, "").expect("assumed");
        let second = assume(&sts, "&DurationSeconds=900").expect("assumed");
        assert_eq!(first.issued.as_deref(), Some("ASIAEMULATOR00000001"));
        assert_eq!(second.issued.as_deref(), Some("ASIAEMULATOR00000002"));
        assert!(
            first
                .body
                .contains("<AccessKeyId>ASIAEMULATOR00000001</AccessKeyId>")
        );
        assert!(
            first.body.contains(
                "<Arn>arn:aws:sts::444455556666:assumed-role/audit-readonly/triage</Arn>"
            )
        );
        let issued = sts.issued();
        assert_eq!(issued.len(), 2);
        assert_eq!(issued[0].source_access_key_id, "AKIDTESTSOURCE");
        assert_eq!(
            sts.session_token_of("ASIAEMULATOR00000002"),
            Some(issued[1].session_token.clone())
        );
        assert_eq!(sts.session_token_of("AKIDTESTSOURCE"), None);
    }

    #[test]
    fn a_required_mfa_refuses_a_missing_or_wrong_code_as_access_denied() {
        let sts = Sts::new(StsConfig {
            require_mfa: Some((
                "arn:aws:iam::111122223333:mfa/analyst".into(),
                "123456".into(),
            )),
        });
        let missing = assume(&sts, "").expect_err("no MFA");
        assert_eq!(
            (missing.status.as_u16(), missing.header_type),
            (403, "AccessDenied")
        );
        assert!(
            missing
                .message
                .contains("not authorized to perform: sts:AssumeRole")
        );
        let serial = "&SerialNumber=arn%3Aaws%3Aiam%3A%3A111122223333%3Amfa%2Fanalyst";
        let wrong = assume(&sts, &format!("{serial}&TokenCode=654321")).expect_err("wrong");
        assert!(wrong.message.contains("invalid MFA one time pass code"));
        let right = assume(&sts, &format!("{serial}&TokenCode=123456")).expect("right code");
        assert_eq!(right.issued.as_deref(), Some("ASIAEMULATOR00000001"));
    }

    #[test]
    fn invalid_parameters_are_validation_errors() {
        let sts = Sts::new(StsConfig::default());
        for extra in ["&DurationSeconds=60", "&TokenCode=12ab56"] {
            let error = assume(&sts, extra).expect_err(extra);
            assert_eq!(
                (error.status.as_u16(), error.header_type),
                (400, "ValidationError")
            );
        }
        let no_role = request("Action=AssumeRole&RoleSessionName=x1");
        assert!(sts.answer(&no_role, "AK", "r").is_err());
        let unknown = sts.answer(&request("Action=GetSessionToken"), "AK", "r");
        assert_eq!(
            unknown.map_err(|e| e.header_type).err(),
            Some("InvalidAction")
        );
    }

    #[test]
    fn caller_identity_names_the_assumed_role_or_the_emulator_user() {
        let sts = Sts::new(StsConfig::default());
        assume(&sts, "").expect("assumed");
        let assumed = sts.get_caller_identity("ASIAEMULATOR00000001", "r");
        assert!(assumed.body.contains("<Account>444455556666</Account>"));
        assert!(assumed.body.contains(":triage</UserId>"));
        let user = sts.get_caller_identity("AKIDTESTSOURCE", "r");
        assert!(
            user.body
                .contains("<Arn>arn:aws:iam::111122223333:user/emulator</Arn>")
        );
    }
}
