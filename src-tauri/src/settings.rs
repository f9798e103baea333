//! What Threat Review keeps on disk: the names and regions of keychain profiles, and the last
//! profile and regions the analyst pulled with. Never a secret: those live in the OS keychain.
//!
//! The file is `threat-review/settings.json` in the user's config folder (`~/.config` on Linux,
//! or `XDG_CONFIG_HOME`), written atomically.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tracing::warn;

use crate::export::{ExportError, write_atomically};

/// A profile whose keys are in the OS keychain; only its name and region are on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeychainProfile {
    /// The profile's name.
    pub name: String,
    /// Its region, when the analyst gave one.
    pub region: Option<String>,
}

/// Everything kept between launches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// The keychain profiles, by name.
    pub keychain_profiles: Vec<KeychainProfile>,
    /// The profile of the last pull.
    pub last_profile: Option<String>,
    /// The regions of the last pull.
    pub last_regions: Vec<String>,
}

impl Settings {
    /// Where the settings file is, when the system has a config folder.
    pub fn path() -> Option<PathBuf> {
        dirs::config_dir().map(|dir| dir.join("threat-review").join("settings.json"))
    }

    /// The saved settings; defaults when there are none or they cannot be read (which is
    /// logged: a broken settings file must not stop the app).
    pub fn load() -> Settings {
        let Some(path) = Settings::path() else {
            return Settings::default();
        };
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
                warn!(path = %path.display(), %error, "settings unreadable; using defaults");
                Settings::default()
            }),
            Err(_) => Settings::default(),
        }
    }

    /// Saves the settings.
    ///
    /// # Errors
    ///
    /// [`ExportError::Write`] when the config folder cannot be written.
    pub fn save(&self) -> Result<(), ExportError> {
        let Some(path) = Settings::path() else {
            return Ok(());
        };
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|source| ExportError::Write {
                path: path.clone(),
                source,
            })?;
        }
        write_atomically(&path, true, |out| {
            serde_json::to_writer_pretty(&mut *out, self)?;
            out.write_all(b"\n")
        })
    }

    /// The keychain profile called `name`.
    pub fn keychain_profile(&self, name: &str) -> Option<&KeychainProfile> {
        self.keychain_profiles.iter().find(|p| p.name == name)
    }
}
