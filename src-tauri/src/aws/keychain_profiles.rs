//! Adding and removing the profiles whose keys Threat Review keeps in the OS keychain. The keys
//! go to the keychain; the name and region go to the settings file; nothing else is written.

use super::keychain::{self, KeychainError, Keys};
use super::profiles::{self, ProfileKind, ProfilesError};
use crate::export::ExportError;
use crate::settings::{KeychainProfile, Settings};

/// Why a keychain profile could not be added or removed.
#[derive(Debug, thiserror::Error)]
pub enum ProfileChangeError {
    /// The name is unusable.
    #[error("{0}")]
    BadName(String),
    /// The name belongs to a profile of `~/.aws`.
    #[error("{0:?} is already a profile in ~/.aws: choose another name")]
    TakenByAws(String),
    /// A keychain profile of that name exists and replacing it was not asked for.
    #[error("the keychain profile {0:?} exists: pass --force (or confirm) to replace its keys")]
    Exists(String),
    /// There is no keychain profile of that name.
    #[error("there is no keychain profile {0:?}")]
    Unknown(String),
    /// The keys are incomplete.
    #[error("{0}")]
    BadKeys(String),
    /// The profiles could not be read.
    #[error(transparent)]
    Profiles(#[from] ProfilesError),
    /// The keychain could not be used.
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    /// The settings could not be saved.
    #[error(transparent)]
    Settings(#[from] ExportError),
}

/// Checks a new profile name: not empty, at most 64 characters, no control characters.
///
/// # Errors
///
/// [`ProfileChangeError::BadName`] saying what is wrong.
pub fn check_name(name: &str) -> Result<(), ProfileChangeError> {
    if name.trim().is_empty() {
        return Err(ProfileChangeError::BadName(
            "the profile needs a name".into(),
        ));
    }
    if name.chars().count() > 64 || name.chars().any(char::is_control) || name != name.trim() {
        return Err(ProfileChangeError::BadName(format!(
            "{name:?} cannot be a profile name: use at most 64 characters, without control \
             characters or spaces at either end"
        )));
    }
    Ok(())
}

/// Checks keys before they are stored: an access key id of letters and digits, a secret.
///
/// # Errors
///
/// [`ProfileChangeError::BadKeys`] saying what is missing.
pub fn check_keys(keys: &Keys) -> Result<(), ProfileChangeError> {
    let id = &keys.access_key_id;
    if id.len() < 16 || id.len() > 128 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ProfileChangeError::BadKeys(
            "the access key id should be 16 to 128 letters and digits, such as AKIA...".into(),
        ));
    }
    if keys.secret_access_key.expose().is_empty() {
        return Err(ProfileChangeError::BadKeys(
            "the secret access key is empty".into(),
        ));
    }
    Ok(())
}

/// Adds the keychain profile `name` with `keys` and `region`; with `replace` an existing
/// keychain profile of that name gets the new keys.
///
/// # Errors
///
/// [`ProfileChangeError`] when the name is taken or bad, the keys are incomplete, or the
/// keychain or settings cannot be written.
pub async fn add(
    name: &str,
    keys: Keys,
    region: Option<String>,
    replace: bool,
) -> Result<(), ProfileChangeError> {
    check_name(name)?;
    check_keys(&keys)?;
    if let Some(region) = region
        .as_deref()
        .filter(|r| !super::regions::is_well_formed(r))
    {
        return Err(ProfileChangeError::BadName(format!(
            "{region:?} is not a region name"
        )));
    }
    let existing = profiles::list().await?;
    match existing.iter().find(|p| p.name == name).map(|p| p.kind) {
        Some(ProfileKind::Keychain) if !replace => {
            return Err(ProfileChangeError::Exists(name.into()));
        }
        Some(ProfileKind::Keychain) | None => {}
        Some(_) => return Err(ProfileChangeError::TakenByAws(name.into())),
    }
    let owned = name.to_owned();
    tokio::task::spawn_blocking(move || {
        keychain::probe()?;
        keychain::store(&owned, &keys)
    })
    .await
    .map_err(|error| KeychainError::Unavailable(error.to_string()))??;

    let mut settings = Settings::load();
    settings.keychain_profiles.retain(|p| p.name != name);
    settings.keychain_profiles.push(KeychainProfile {
        name: name.to_owned(),
        region,
    });
    settings
        .keychain_profiles
        .sort_by(|a, b| a.name.cmp(&b.name));
    settings.save()?;
    Ok(())
}

/// Removes the keychain profile `name`: its keys from the keychain, its name from the settings.
///
/// # Errors
///
/// [`ProfileChangeError::TakenByAws`] for a `~/.aws` profile, [`ProfileChangeError::Unknown`]
/// for no profile, or the keychain or settings failing.
pub async fn remove(name: &str) -> Result<(), ProfileChangeError> {
    let mut settings = Settings::load();
    if settings.keychain_profile(name).is_none() {
        let existing = profiles::list().await?;
        return Err(if existing.iter().any(|p| p.name == name) {
            ProfileChangeError::TakenByAws(name.into())
        } else {
            ProfileChangeError::Unknown(name.into())
        });
    }
    let owned = name.to_owned();
    tokio::task::spawn_blocking(move || keychain::delete(&owned))
        .await
        .map_err(|error| KeychainError::Unavailable(error.to_string()))??;
    settings.keychain_profiles.retain(|p| p.name != name);
    if settings.last_profile.as_deref() == Some(name) {
        settings.last_profile = None;
    }
    settings.save()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::keychain::Secret;

    #[test]
    fn refuses_blank_long_or_control_character_names() {
        assert!(check_name("lab keys").is_ok());
        for bad in ["", "  ", " lead", "tab\there", &"x".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn refuses_keys_without_a_plausible_id_or_a_secret() {
        let keys = |id: &str, secret: &str| Keys {
            access_key_id: id.into(),
            secret_access_key: Secret::new(secret),
            session_token: None,
        };
        assert!(check_keys(&keys("AKIDEXAMPLE00000001", "s")).is_ok());
        assert!(check_keys(&keys("short", "s")).is_err());
        assert!(check_keys(&keys("AKID EXAMPLE 000001", "s")).is_err());
        assert!(check_keys(&keys("AKIDEXAMPLE00000001", "")).is_err());
    }
}
