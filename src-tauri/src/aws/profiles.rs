//! The AWS profiles on this machine, read with aws-config's own parser so that what is listed
//! is what the SDK will use.

use std::collections::BTreeMap;

use aws_config::profile::ProfileSet;
use aws_runtime::env_config::file::EnvConfigFileKind;
use aws_types::os_shim_internal::{Env, Fs};
use serde::Serialize;
use ts_rs::TS;

use super::profile_files;
use crate::settings::Settings;

/// How a profile gets its credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileKind {
    /// Access keys in the credentials or config file.
    Static,
    /// IAM Identity Center (`sso_session` or the legacy `sso_start_url`).
    Sso,
    /// A role assumed from another profile or credential source.
    AssumeRole,
    /// An external `credential_process`.
    Process,
    /// A web identity token file and a role.
    WebIdentity,
    /// Keys kept in the OS keychain by Threat Review.
    Keychain,
    /// Anything else (for example only a region).
    Other,
}

impl ProfileKind {
    /// How the kind reads in a list.
    pub fn label(self) -> &'static str {
        match self {
            ProfileKind::Static => "static keys",
            ProfileKind::Sso => "SSO",
            ProfileKind::AssumeRole => "assume role",
            ProfileKind::Process => "credential process",
            ProfileKind::WebIdentity => "web identity",
            ProfileKind::Keychain => "keychain",
            ProfileKind::Other => "other",
        }
    }
}

/// One profile the analyst can pull with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// The profile's name, as `--profile` takes it.
    pub name: String,
    /// How it gets credentials.
    pub kind: ProfileKind,
    /// Its region, or its source profile's region.
    pub region: Option<String>,
    /// Where it is defined: `config`, `credentials`, or both.
    pub source: String,
}

/// Why the profiles could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the AWS profiles: {0}")]
pub struct ProfilesError(String);

/// The profiles in `~/.aws/config` and `~/.aws/credentials` (or the files that
/// `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` name), and the keychain profiles,
/// sorted by name.
///
/// # Errors
///
/// [`ProfilesError`] when a file exists but cannot be parsed.
pub async fn list() -> Result<Vec<Profile>, ProfilesError> {
    let mut profiles = list_with(&Fs::real(), &Env::real()).await?;
    for saved in Settings::load().keychain_profiles {
        if !profiles.iter().any(|p| p.name == saved.name) {
            profiles.push(Profile {
                name: saved.name,
                kind: ProfileKind::Keychain,
                region: saved.region,
                source: "keychain".into(),
            });
        }
    }
    profiles.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(profiles)
}

/// Like [`list`], reading through the given file system and environment (for tests).
///
/// # Errors
///
/// [`ProfilesError`] when a file exists but cannot be parsed.
pub async fn list_with(fs: &Fs, env: &Env) -> Result<Vec<Profile>, ProfilesError> {
    let both = load(
        fs,
        env,
        &[EnvConfigFileKind::Config, EnvConfigFileKind::Credentials],
    )
    .await?;
    let config = load(fs, env, &[EnvConfigFileKind::Config]).await?;
    let credentials = load(fs, env, &[EnvConfigFileKind::Credentials]).await?;

    let mut found = BTreeMap::new();
    for name in both.profiles() {
        let Some(profile) = both.get_profile(name) else {
            continue;
        };
        let source = match (config.get_profile(name), credentials.get_profile(name)) {
            (Some(_), Some(_)) => "config, credentials",
            (None, Some(_)) => "credentials",
            _ => "config",
        };
        let region = profile.get("region").map(str::to_owned).or_else(|| {
            let parent = both.get_profile(profile.get("source_profile")?)?;
            parent.get("region").map(str::to_owned)
        });
        let name = profile_files::decode(name);
        found.insert(
            name.clone(),
            Profile {
                name,
                kind: kind_of(profile),
                region,
                source: source.into(),
            },
        );
    }
    Ok(found.into_values().collect())
}

async fn load(
    fs: &Fs,
    env: &Env,
    kinds: &[EnvConfigFileKind],
) -> Result<ProfileSet, ProfilesError> {
    let files = profile_files::load(fs, env, kinds).await;
    aws_config::profile::load(fs, env, &files, None)
        .await
        .map_err(|error| ProfilesError(error.to_string()))
}

fn kind_of(profile: &aws_config::profile::Profile) -> ProfileKind {
    let has = |key: &str| {
        profile
            .get(key)
            .is_some_and(|value| !value.trim().is_empty())
    };
    if has("sso_session") || has("sso_start_url") {
        ProfileKind::Sso
    } else if has("web_identity_token_file") && has("role_arn") {
        ProfileKind::WebIdentity
    } else if has("role_arn") {
        ProfileKind::AssumeRole
    } else if has("credential_process") {
        ProfileKind::Process
    } else if has("aws_access_key_id") {
        ProfileKind::Static
    } else {
        ProfileKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
[default]
region = eu-west-1

[profile sso-dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Audit
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.example/start
sso_region = us-east-1

[profile legacy-sso]
sso_start_url = https://corp.example/start
sso_region = us-east-1

[profile audit role]
role_arn = arn:aws:iam::111122223333:role/Audit
source_profile = default

[profile ci]
role_arn = arn:aws:iam::111122223333:role/Ci
web_identity_token_file = /tmp/token

[profile tool]
credential_process = /usr/bin/get-creds
region = ap-south-1
";

    const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = not-a-real-secret

[lab]
aws_access_key_id = AKIDEXAMPLE2
aws_secret_access_key = not-a-real-secret
";

    #[tokio::test]
    async fn lists_every_profile_with_its_kind_region_and_file() {
        let fs = Fs::from_slice(&[
            ("/home/a/.aws/config", CONFIG),
            ("/home/a/.aws/credentials", CREDENTIALS),
        ]);
        let env = Env::from_slice(&[("HOME", "/home/a")]);
        let profiles = list_with(&fs, &env).await.unwrap();
        let summary: Vec<(&str, ProfileKind, Option<&str>, &str)> = profiles
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.kind,
                    p.region.as_deref(),
                    p.source.as_str(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "audit role",
                    ProfileKind::AssumeRole,
                    Some("eu-west-1"),
                    "config"
                ),
                ("ci", ProfileKind::WebIdentity, None, "config"),
                (
                    "default",
                    ProfileKind::Static,
                    Some("eu-west-1"),
                    "config, credentials"
                ),
                ("lab", ProfileKind::Static, None, "credentials"),
                ("legacy-sso", ProfileKind::Sso, None, "config"),
                ("sso-dev", ProfileKind::Sso, Some("us-east-1"), "config"),
                ("tool", ProfileKind::Process, Some("ap-south-1"), "config"),
            ]
        );
    }

    #[tokio::test]
    async fn lists_nothing_when_there_are_no_files() {
        let env = Env::from_slice(&[("HOME", "/home/nobody")]);
        assert_eq!(list_with(&Fs::from_slice(&[]), &env).await.unwrap(), []);
    }

    #[tokio::test]
    async fn reads_the_files_named_by_the_environment() {
        let fs = Fs::from_slice(&[(
            "/etc/aws-config",
            "[profile elsewhere]\nregion = sa-east-1\n",
        )]);
        let env = Env::from_slice(&[("HOME", "/home/a"), ("AWS_CONFIG_FILE", "/etc/aws-config")]);
        let profiles = list_with(&fs, &env).await.unwrap();
        assert_eq!(profiles.len(), 1);
        assert_eq!(profiles[0].name, "elsewhere");
        assert_eq!(profiles[0].region.as_deref(), Some("sa-east-1"));
    }
}
