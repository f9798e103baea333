//! Where a pull's credentials come from: the SDK's default chain, a profile of `~/.aws` (every
//! source aws-config supports), or keys kept in the OS keychain.

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, ConfigLoader, Region, SdkConfig};
use aws_credential_types::Credentials;
use std::time::Duration;

use std::path::PathBuf;

use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_types::os_shim_internal::{Env, Fs};

use super::assume_role;
use super::keychain::{self, KeychainError};
use super::network;
use super::profile_files;
use super::profiles::{Profile, ProfileKind};
use super::pull::PullError;
use crate::settings::Settings;

const BOTH_FILES: [EnvConfigFileKind; 2] =
    [EnvConfigFileKind::Config, EnvConfigFileKind::Credentials];

/// Where credentials come from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Source {
    /// Environment credentials, `AWS_PROFILE`, then `default`: what the AWS CLI would use.
    #[default]
    DefaultChain,
    /// A profile of `~/.aws`.
    Profile {
        /// Its name.
        name: String,
        /// How it gets credentials, to say the right thing when they fail.
        kind: ProfileKind,
    },
    /// A profile whose keys are in the OS keychain.
    Keychain {
        /// Its name.
        name: String,
        /// Its region, when it has one.
        region: Option<String>,
    },
}

impl Source {
    /// The source of the profile called `name` among `profiles`; `None` for the default chain.
    /// A name that is not among them is taken as a `~/.aws` profile, so aws-config can say what
    /// is wrong with it.
    pub fn for_profile(name: Option<&str>, profiles: &[Profile], settings: &Settings) -> Source {
        let Some(name) = name else {
            return Source::DefaultChain;
        };
        let known = profiles.iter().find(|p| p.name == name);
        match known.map(|p| p.kind) {
            Some(ProfileKind::Keychain) => Source::Keychain {
                name: name.to_owned(),
                region: settings
                    .keychain_profile(name)
                    .and_then(|p| p.region.clone()),
            },
            kind => Source::Profile {
                name: name.to_owned(),
                kind: kind.unwrap_or(ProfileKind::Other),
            },
        }
    }

    /// The profile's name; `None` for the default chain.
    pub fn name(&self) -> Option<&str> {
        match self {
            Source::DefaultChain => None,
            Source::Profile { name, .. } | Source::Keychain { name, .. } => Some(name),
        }
    }

    /// "profile NAME", or "the default credentials".
    pub fn describe(&self) -> String {
        self.name().map_or_else(
            || "the default credentials".to_owned(),
            |n| format!("profile {n}"),
        )
    }

    /// What to tell the analyst when this source gave no credentials, given what aws-config said.
    pub fn fix_for_missing_credentials(&self, detail: &str) -> String {
        match self {
            Source::Profile {
                name,
                kind: ProfileKind::Sso,
            } => format!(
                "the SSO session of profile {name} has expired or was never started: run \
                 `aws sso login --profile {}`, then pull again ({detail})",
                shell_word(name)
            ),
            Source::Profile {
                kind: ProfileKind::Process,
                ..
            } => {
                format!("its credential_process failed: {detail}")
            }
            _ => detail.to_owned(),
        }
    }
}

/// `name` as one shell word, quoted when it needs to be.
pub fn shell_word(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./@:+=".contains(&b));
    if plain {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\'', "'\\''"))
    }
}

/// The loader of `source` before credentials from the keychain or an MFA session are added:
/// timeouts on every call, so a pull never hangs, and the profile files read with every name.
pub(crate) async fn base_loader(source: &Source) -> Result<ConfigLoader, PullError> {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_secs(30))
        .operation_attempt_timeout(Duration::from_secs(30))
        .operation_timeout(Duration::from_secs(120))
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(timeouts)
        .retry_config(RetryConfig::standard().with_max_attempts(5));
    let mut ca_bundle = std::env::var_os("AWS_CA_BUNDLE")
        .filter(|b| !b.is_empty())
        .map(PathBuf::from);
    if let Source::Profile { name, .. } = source {
        let files = profile_files::load(&Fs::real(), &Env::real(), &BOTH_FILES).await;
        if ca_bundle.is_none() {
            ca_bundle = profile_setting(&files, name, "ca_bundle")
                .await
                .map(PathBuf::from);
        }
        loader = loader
            .profile_files(files)
            .profile_name(profile_files::encode(name));
    }
    if let Some(client) = network::http_client(ca_bundle.as_deref()).map_err(PullError::Network)? {
        loader = loader.http_client(client);
    }
    Ok(loader)
}

/// One setting of the profile `name`, as written.
async fn profile_setting(files: &EnvConfigFiles, name: &str, key: &str) -> Option<String> {
    let set = aws_config::profile::load(&Fs::real(), &Env::real(), files, None)
        .await
        .ok()?;
    set.get_profile(&profile_files::encode(name))?
        .get(key)
        .map(str::to_owned)
}

/// Loads the SDK configuration for `source`. A role profile uses its live session, or assumes
/// the role (with `mfa_code` when it needs MFA).
///
/// # Errors
///
/// [`PullError::Keychain`] when a keychain profile's keys cannot be read,
/// [`PullError::MfaRequired`] when a code is needed and none was given, and
/// [`PullError::NoCredentials`] when STS refuses the code.
pub async fn sdk_config(
    source: &Source,
    endpoint_url: Option<&str>,
    mfa_code: Option<&str>,
) -> Result<SdkConfig, PullError> {
    config_at_depth(source, endpoint_url, mfa_code, 0).await
}

/// Role chains longer than this are refused (they are loops, in practice).
const MAX_CHAIN: usize = 5;

async fn config_at_depth(
    source: &Source,
    endpoint_url: Option<&str>,
    mfa_code: Option<&str>,
    depth: usize,
) -> Result<SdkConfig, PullError> {
    let mut loader = base_loader(source).await?;
    match source {
        Source::DefaultChain => {}
        Source::Profile { name, .. } => {
            if let Some(role) = assume_role::role_of(name).await {
                let credentials = role_credentials(&role, endpoint_url, mfa_code, depth).await?;
                loader = loader.credentials_provider(credentials);
                if let Some(region) = role.region {
                    loader = loader.region(Region::new(region));
                }
            }
        }
        Source::Keychain { name, region } => {
            let name = name.clone();
            let keys = tokio::task::spawn_blocking(move || keychain::load(&name))
                .await
                .map_err(|error| KeychainError::Unavailable(error.to_string()))??;
            loader = loader.credentials_provider(Credentials::new(
                keys.access_key_id,
                keys.secret_access_key.expose(),
                keys.session_token.as_ref().map(|t| t.expose().to_owned()),
                None,
                "threat-review-keychain",
            ));
            if let Some(region) = region {
                loader = loader.region(Region::new(region.clone()));
            }
        }
    }
    if let Some(url) = endpoint_url {
        loader = loader.endpoint_url(url);
    }
    Ok(loader.load().await)
}

/// The credentials of `role`: its live session, or a new one assumed with its source profile.
async fn role_credentials(
    role: &assume_role::Role,
    endpoint_url: Option<&str>,
    mfa_code: Option<&str>,
    depth: usize,
) -> Result<Credentials, PullError> {
    if let Some(session) = assume_role::session(&role.profile) {
        return Ok(session);
    }
    let who = format!("profile {}", role.profile);
    if depth >= MAX_CHAIN {
        let detail = format!("its source_profile chain is longer than {MAX_CHAIN}: is it a loop?");
        return Err(PullError::NoCredentials { who, detail });
    }
    if let (Some(serial), None) = (&role.serial, mfa_code) {
        return Err(PullError::MfaRequired {
            profile: role.profile.clone(),
            serial: serial.clone(),
        });
    }
    let source = Source::Profile {
        name: role.source_profile.clone(),
        kind: ProfileKind::Other,
    };
    let source_config = Box::pin(config_at_depth(&source, endpoint_url, None, depth + 1)).await?;
    let source_config = match &role.region {
        Some(region) => source_config
            .into_builder()
            .region(Region::new(region.clone()))
            .build(),
        None => source_config,
    };
    let code = role.serial.as_ref().and(mfa_code);
    assume_role::assume(role, &source_config, code)
        .await
        .map_err(|detail| PullError::NoCredentials { who, detail })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_profile_names_for_the_shell_only_when_needed() {
        assert_eq!(shell_word("prod-audit"), "prod-audit");
        assert_eq!(shell_word("audit role"), "'audit role'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }

    #[test]
    fn names_the_sso_login_command_for_an_expired_sso_profile() {
        let source = Source::Profile {
            name: "corp dev".into(),
            kind: ProfileKind::Sso,
        };
        let message = source.fix_for_missing_credentials("token expired");
        assert!(
            message.contains("`aws sso login --profile 'corp dev'`"),
            "{message}"
        );
    }
}
