//! AWS keys kept in the OS keychain: macOS Keychain, Windows Credential Manager, or the Secret
//! Service on Linux (gnome-keyring, KWallet).
//!
//! The keys of a profile are one keychain entry (service `threat-review`, account = profile
//! name) holding a small JSON document. They are read only to sign requests: they never cross
//! IPC, and no `Debug` or `Display` here prints them.

use std::fmt;

use keyring::Entry;
use serde::{Deserialize, Serialize};

/// The keychain service name every entry is filed under.
pub const SERVICE: &str = "threat-review";

/// A secret string; its `Debug` says only that it is redacted.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Secret {
        Secret(secret.into())
    }

    /// The secret itself, for signing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The keys of a keychain profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Keys {
    /// The access key id (not secret, but kept with the rest).
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: Secret,
    /// The session token of temporary keys.
    pub session_token: Option<Secret>,
}

/// Why the keychain could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KeychainError {
    /// No usable keychain on this system.
    #[error(
        "no usable OS keychain: {0}. On Linux, start a Secret Service (gnome-keyring or KWallet) \
         and unlock it; your ~/.aws profiles keep working without one"
    )]
    Unavailable(String),
    /// The profile has no keys in the keychain.
    #[error(
        "the keychain holds no keys for profile {0:?}: add them again with `threat-review profiles add {0} --keychain`"
    )]
    Missing(String),
    /// The entry exists but is not ours to read.
    #[error(
        "the keychain entry of profile {0:?} is unreadable: remove the profile and add it again"
    )]
    Corrupt(String),
}

fn entry(profile: &str) -> Result<Entry, KeychainError> {
    Entry::new(SERVICE, profile).map_err(|error| unavailable(&error))
}

/// The keychain error, without anything the platform put in it that could be a secret (the
/// platform errors name services and paths, not values).
fn unavailable(error: &keyring::Error) -> KeychainError {
    KeychainError::Unavailable(error.to_string())
}

/// Checks that a keychain is there and answers.
///
/// # Errors
///
/// [`KeychainError::Unavailable`] with the platform's reason.
pub fn probe() -> Result<(), KeychainError> {
    match entry("__threat-review-probe__")?.get_password() {
        Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(error) => Err(unavailable(&error)),
    }
}

/// Stores (or replaces) the keys of `profile`.
///
/// # Errors
///
/// [`KeychainError::Unavailable`] when there is no usable keychain.
pub fn store(profile: &str, keys: &Keys) -> Result<(), KeychainError> {
    let document =
        serde_json::to_string(keys).map_err(|_| KeychainError::Corrupt(profile.into()))?;
    entry(profile)?
        .set_password(&document)
        .map_err(|error| unavailable(&error))
}

/// Reads the keys of `profile`.
///
/// # Errors
///
/// [`KeychainError::Missing`] when there are none, [`KeychainError::Corrupt`] when they cannot
/// be read, [`KeychainError::Unavailable`] without a keychain.
pub fn load(profile: &str) -> Result<Keys, KeychainError> {
    match entry(profile)?.get_password() {
        Ok(document) => {
            serde_json::from_str(&document).map_err(|_| KeychainError::Corrupt(profile.into()))
        }
        Err(keyring::Error::NoEntry) => Err(KeychainError::Missing(profile.into())),
        Err(keyring::Error::BadEncoding(_)) => Err(KeychainError::Corrupt(profile.into())),
        Err(error) => Err(unavailable(&error)),
    }
}

/// Deletes the keys of `profile`; deleting keys that are not there is not an error.
///
/// # Errors
///
/// [`KeychainError::Unavailable`] without a keychain.
pub fn delete(profile: &str) -> Result<(), KeychainError> {
    match entry(profile)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(error) => Err(unavailable(&error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_a_secret_in_debug_output() {
        let keys = Keys {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: Secret::new("wJalrXUtnFEMI-not-real"),
            session_token: Some(Secret::new("token-not-real")),
        };
        let shown = format!("{keys:?}");
        assert!(shown.contains("AKIDEXAMPLE"));
        assert!(
            !shown.contains("wJalrXUtnFEMI") && !shown.contains("token-not-real"),
            "{shown}"
        );
    }
}
