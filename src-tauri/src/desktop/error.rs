//! The one error type that crosses IPC: `{code, message}`. The UI branches on `code` and shows
//! `message`; neither ever holds a credential.

use serde::Serialize;
use ts_rs::TS;

use crate::aws::pull::PullError;
use crate::export::ExportError;
use crate::finding::files::ImportError;

/// What kind of failure, for the UI to branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// The profile gives no usable credentials.
    NoCredentials,
    /// No region to pull from.
    NoRegion,
    /// The profile does not exist (any more).
    UnknownProfile,
    /// The pull failed as a whole.
    PullFailed,
    /// A pull is already running.
    PullRunning,
    /// The analyst cancelled.
    Cancelled,
    /// Files could not be read.
    Unreadable,
    /// The asked-for instance is not in the current results.
    UnknownGroup,
    /// The export could not be written.
    ExportFailed,
    /// The profile needs an MFA code; ask for one and pull again with it.
    MfaRequired,
    /// The SSO sign-in failed or expired.
    SignInFailed,
    /// The OS keychain cannot be used.
    KeychainUnavailable,
    /// A keychain profile of that name exists.
    ProfileExists,
    /// The profile's name, region or keys are not usable.
    BadProfile,
    /// A link to a host the app does not open.
    LinkRefused,
    /// Anything else.
    Internal,
}

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    /// What kind of failure.
    pub code: ErrorCode,
    /// What happened and what to do, in the analyst's words.
    pub message: String,
}

impl AppError {
    /// An error of `code` saying `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            code,
            message: message.into(),
        }
    }
}

impl From<PullError> for AppError {
    fn from(error: PullError) -> AppError {
        let code = match error {
            PullError::NoRegion | PullError::BadRegion(_) => ErrorCode::NoRegion,
            PullError::NoCredentials { .. } => ErrorCode::NoCredentials,
            PullError::Keychain(_) => ErrorCode::KeychainUnavailable,
            PullError::MfaRequired { .. } => ErrorCode::MfaRequired,
            PullError::Network(_) => ErrorCode::PullFailed,
        };
        AppError::new(code, error.to_string())
    }
}

impl From<ImportError> for AppError {
    fn from(error: ImportError) -> AppError {
        AppError::new(ErrorCode::Unreadable, error.to_string())
    }
}

impl From<ExportError> for AppError {
    fn from(error: ExportError) -> AppError {
        AppError::new(ErrorCode::ExportFailed, error.to_string())
    }
}
