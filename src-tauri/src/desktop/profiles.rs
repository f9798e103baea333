//! The profile commands: what the picker lists, switching, and keychain profiles.
//!
//! Keys come in from the add-profile form and go straight to the keychain; no command returns
//! them, so they never travel back to the window.

use serde::Serialize;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_opener::OpenerExt;
use tracing::{info, warn};
use ts_rs::TS;

use super::commands::sample_review;
use super::error::{AppError, ErrorCode};
use super::links;
use super::state::{AppState, ReviewOrigin, ReviewSummary};
use crate::aws::keychain::{self, Keys, Secret};
use crate::aws::keychain_profiles::{self, ProfileChangeError};
use crate::aws::{self, Profile, sso_login};
use crate::settings::Settings;

/// The profiles, and which one to preselect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileList {
    /// Every profile found.
    pub profiles: Vec<Profile>,
    /// The profile of the last pull, else `AWS_PROFILE`, else `default`, else the first.
    pub default_profile: Option<String>,
    /// The regions of the last pull.
    pub last_regions: Vec<String>,
    /// Whether keys can be kept in the OS keychain, and if not, why.
    pub keychain: KeychainStatus,
}

/// Whether the OS keychain can be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeychainStatus {
    /// A keychain answered.
    pub available: bool,
    /// Why not, and what to do, when it did not.
    pub message: Option<String>,
}

/// What the window needs for its first frame.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Startup {
    /// The app's version.
    pub version: String,
    /// The profiles.
    pub profiles: ProfileList,
    /// The regions to offer.
    pub known_regions: Vec<String>,
    /// The current results: the samples when there is no profile.
    pub review: ReviewSummary,
}

/// The keys typed into the add-profile form.
#[derive(Debug, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewKeychainProfile {
    /// The profile's name.
    pub name: String,
    /// Its region.
    pub region: Option<String>,
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    #[ts(type = "string")]
    pub secret_access_key: Secret,
    /// The session token, for temporary keys.
    #[ts(type = "string | null")]
    pub session_token: Option<Secret>,
    /// Replace the keys of an existing keychain profile of that name.
    pub replace: bool,
}

async fn keychain_status() -> KeychainStatus {
    match tokio::task::spawn_blocking(keychain::probe).await {
        Ok(Ok(())) => KeychainStatus {
            available: true,
            message: None,
        },
        Ok(Err(error)) => KeychainStatus {
            available: false,
            message: Some(error.to_string()),
        },
        Err(error) => KeychainStatus {
            available: false,
            message: Some(error.to_string()),
        },
    }
}

async fn profile_list() -> ProfileList {
    let profiles = aws::profiles::list().await.unwrap_or_else(|error| {
        warn!(%error, "profiles unreadable");
        Vec::new()
    });
    let settings = Settings::load();
    let wanted = std::env::var("AWS_PROFILE").ok();
    let default_profile = [
        settings.last_profile.as_deref(),
        wanted.as_deref(),
        Some("default"),
    ]
    .into_iter()
    .flatten()
    .find(|name| profiles.iter().any(|p| p.name == *name))
    .map(str::to_owned)
    .or_else(|| profiles.first().map(|p| p.name.clone()));
    ProfileList {
        profiles,
        default_profile,
        last_regions: settings.last_regions,
        keychain: keychain_status().await,
    }
}

/// The first frame: profiles, regions, and the sample findings when there is no profile.
#[tauri::command]
pub async fn startup(state: State<'_, AppState>) -> Result<Startup, AppError> {
    let profiles = profile_list().await;
    let mut review = state.summary();
    if profiles.profiles.is_empty() && review.origin == ReviewOrigin::Empty {
        info!("no AWS profile found; showing the sample findings");
        review = state.replace(sample_review());
    }
    Ok(Startup {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        profiles,
        known_regions: aws::regions::KNOWN
            .iter()
            .map(|r| (*r).to_owned())
            .collect(),
        review,
    })
}

/// The profiles, read again (the analyst may have edited `~/.aws`).
#[tauri::command]
pub async fn list_profiles() -> Result<ProfileList, AppError> {
    Ok(profile_list().await)
}

/// Switches to `profile` at once: its last results, or an empty view until it is pulled.
#[tauri::command]
pub fn select_profile(state: State<'_, AppState>, profile: Option<String>) -> ReviewSummary {
    info!(?profile, "profile selected");
    state.switch_to(profile.as_deref())
}

/// Adds a keychain profile; the keys go to the OS keychain only.
#[tauri::command]
pub async fn add_keychain_profile(profile: NewKeychainProfile) -> Result<ProfileList, AppError> {
    let NewKeychainProfile {
        name,
        region,
        access_key_id,
        secret_access_key,
        session_token,
        replace,
    } = profile;
    let keys = Keys {
        access_key_id: access_key_id.trim().to_owned(),
        secret_access_key,
        session_token,
    };
    let region = region
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    keychain_profiles::add(&name, keys, region, replace)
        .await
        .map_err(profile_error)?;
    info!(profile = %name, "keychain profile added");
    Ok(profile_list().await)
}

/// Removes a keychain profile and its keys.
#[tauri::command]
pub async fn remove_keychain_profile(
    state: State<'_, AppState>,
    name: String,
) -> Result<ProfileList, AppError> {
    keychain_profiles::remove(&name)
        .await
        .map_err(profile_error)?;
    state.forget(&name);
    info!(profile = %name, "keychain profile removed");
    Ok(profile_list().await)
}

/// The event that carries the [`DeviceCode`] while a sign-in waits for the analyst.
pub const SSO_DEVICE_CODE: &str = "sso-device-code";

/// A finished SSO sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignedIn {
    /// The profile signed in with.
    pub profile: String,
    /// When the session expires (ISO-8601 UTC).
    pub expires_at: String,
}

/// Signs in with an SSO profile: emits the device code, opens the approval page in the system
/// browser, and waits until the analyst approves (the token goes to the AWS CLI's cache).
#[tauri::command]
pub async fn sso_sign_in(app: AppHandle, profile: String) -> Result<SignedIn, AppError> {
    let settings = sso_login::settings_of(&profile).await.ok_or_else(|| {
        AppError::new(
            ErrorCode::BadProfile,
            format!("profile {profile} does not sign in with SSO"),
        )
    })?;
    let failed = |message: String| AppError::new(ErrorCode::SignInFailed, message);
    let pending = sso_login::start(settings, None).await.map_err(failed)?;
    if let Err(error) = app.emit(SSO_DEVICE_CODE, &pending.code) {
        warn!(%error, "the device code was not delivered to the window");
    }
    if links::is_sign_in_page(&pending.code.verification_uri)
        && let Err(error) = app
            .opener()
            .open_url(&pending.code.verification_uri, None::<&str>)
    {
        warn!(%error, "the browser did not start; the window shows the page to open");
    }
    let until = sso_login::finish(pending).await.map_err(failed)?;
    info!(%profile, "signed in with SSO");
    Ok(SignedIn {
        profile,
        expires_at: crate::time::format(&until),
    })
}

fn profile_error(error: ProfileChangeError) -> AppError {
    let code = match &error {
        ProfileChangeError::Keychain(_) => ErrorCode::KeychainUnavailable,
        ProfileChangeError::Exists(_) => ErrorCode::ProfileExists,
        _ => ErrorCode::BadProfile,
    };
    AppError::new(code, error.to_string())
}
