//! The commands the window calls. Each unpacks its arguments, calls the library, and maps the
//! result; the logic lives outside this module.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;
use tokio::sync::oneshot;
use tracing::{info, warn};
use ts_rs::TS;

use super::error::{AppError, ErrorCode};
use super::links;
use super::state::{AppState, Loaded, ReviewOrigin, ReviewSummary};
use crate::aws::{self, PullRequest, Source};
use crate::export;
use crate::finding::files;
use crate::review::{FindingView, GroupPage, GroupQuery, Review, Scope};
use crate::sample;
use crate::settings::Settings;

/// The event that carries [`aws::progress::PullProgress`] while a pull runs.
pub const PULL_PROGRESS: &str = "pull-progress";

/// Where an export went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportResult {
    /// The file written.
    pub path: String,
    /// How many findings (rows) it holds.
    pub rows: u32,
}

/// The bundled samples, ready to show.
pub(crate) fn sample_review() -> Loaded {
    let parsed = sample::findings();
    Loaded::new(
        Review::build(parsed.findings, Scope::Catalog, parsed.skipped),
        ReviewOrigin::Sample,
        Vec::new(),
    )
}

/// Shows the bundled sample findings.
#[tauri::command]
pub fn load_sample(state: State<'_, AppState>) -> ReviewSummary {
    state.replace(sample_review())
}

/// Pulls findings with `profile` from `regions`, emitting progress; the previous results stay
/// until it succeeds.
#[tauri::command]
pub async fn pull(
    app: AppHandle,
    state: State<'_, AppState>,
    profile: Option<String>,
    regions: Vec<String>,
    mfa_code: Option<String>,
) -> Result<ReviewSummary, AppError> {
    let known = aws::profiles::list().await.unwrap_or_default();
    if let Some(name) = profile
        .as_ref()
        .filter(|n| !known.iter().any(|p| &p.name == *n))
    {
        return Err(AppError::new(
            ErrorCode::UnknownProfile,
            format!("there is no profile {name:?} any more: pick another one"),
        ));
    }
    let mut settings = Settings::load();
    let source = Source::for_profile(profile.as_deref(), &known, &settings);
    let emitter = app.clone();
    let progress = Arc::new(aws::Progress::observed(move |now| {
        if let Err(error) = emitter.emit(PULL_PROGRESS, now) {
            warn!(%error, "progress not delivered");
        }
    }));
    let request = PullRequest {
        source,
        regions: regions.clone(),
        mfa_code: mfa_code.filter(|code| !code.trim().is_empty()),
        ..PullRequest::default()
    };
    let outcome = state
        .cancellable(aws::pull::pull(&request, progress))
        .await
        .inspect_err(|error| {
            if error.code == ErrorCode::Cancelled {
                info!(?profile, "pull cancelled; previous results kept");
            }
        })??;
    // Every region failed and nothing arrived: keep what was shown and say why. Findings that
    // did arrive (credentials expiring mid-pull) are shown, with each region's status.
    if outcome.findings.is_empty() && outcome.regions.iter().all(|r| r.status.is_failure()) {
        let reasons: Vec<String> = outcome
            .regions
            .iter()
            .filter_map(|r| r.error.as_ref().map(|e| format!("{}: {e}", r.region)))
            .collect();
        return Err(AppError::new(ErrorCode::PullFailed, reasons.join("\n")));
    }
    settings.last_profile = profile.clone();
    settings.last_regions = regions.clone();
    if let Err(error) = settings.save() {
        warn!(%error, "the last profile and regions were not remembered");
    }
    let mut review = Review::build(outcome.findings, Scope::Catalog, outcome.skipped);
    review.out_of_scope = None;
    let mut loaded = Loaded::new(
        review,
        ReviewOrigin::Pull {
            profile: profile.clone(),
            regions,
        },
        outcome.regions,
    );
    loaded.summary.credentials_expire_at = outcome.expires_at.as_ref().map(crate::time::format);
    Ok(state.replace_for_profile(profile.as_deref(), loaded))
}

/// Cancels the running pull.
#[tauri::command]
pub fn cancel_pull(state: State<'_, AppState>) {
    if !state.cancel_pull() {
        info!("cancel asked with no pull running");
    }
}

/// Asks for finding files with the native dialog and shows what they hold; `None` when the
/// analyst cancels the dialog.
#[tauri::command]
pub async fn open_findings(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<ReviewSummary>, AppError> {
    let (answer, chosen) = oneshot::channel();
    app.dialog()
        .file()
        .set_title("Open GuardDuty findings")
        .add_filter("GuardDuty findings", &["json", "jsonl", "gz"])
        .pick_files(move |paths| {
            let _ = answer.send(paths);
        });
    let Some(paths) = chosen.await.ok().flatten() else {
        return Ok(None);
    };
    let paths: Vec<PathBuf> = paths
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect();
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let review = tokio::task::spawn_blocking(move || -> Result<Review, AppError> {
        let parsed = files::read_paths(&paths)?;
        Ok(Review::build(
            parsed.findings,
            Scope::Catalog,
            parsed.skipped,
        ))
    })
    .await
    .map_err(|error| {
        AppError::new(ErrorCode::Internal, format!("the import stopped: {error}"))
    })??;
    info!(
        files = shown.len(),
        findings = review.findings().len(),
        "imported"
    );
    Ok(Some(state.replace(Loaded::new(
        review,
        ReviewOrigin::Import { paths: shown },
        Vec::new(),
    ))))
}

/// One page of instance groups.
#[tauri::command]
pub fn list_groups(state: State<'_, AppState>, query: GroupQuery) -> GroupPage {
    GroupPage::of(&state.review(), &query)
}

/// The findings of one instance group, newest first.
#[tauri::command]
pub fn group_findings(
    state: State<'_, AppState>,
    key: String,
) -> Result<Vec<FindingView>, AppError> {
    let review = state.review();
    let group = review.group_by_key(&key).ok_or_else(|| {
        AppError::new(
            ErrorCode::UnknownGroup,
            "that instance is not in the current results any more",
        )
    })?;
    Ok(review.findings_of(group).map(FindingView::of).collect())
}

/// The findings that name no instance.
#[tauri::command]
pub fn without_instance(state: State<'_, AppState>) -> Vec<FindingView> {
    state
        .review()
        .without_instance()
        .map(FindingView::of)
        .collect()
}

/// Asks where to save with the native dialog (which asks before replacing a file) and writes
/// every finding as CSV; `None` when the analyst cancels the dialog.
#[tauri::command]
pub async fn export_csv(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<ExportResult>, AppError> {
    let (answer, chosen) = oneshot::channel();
    let name = format!(
        "guardduty-findings-{}.csv",
        chrono::Utc::now().format("%Y%m%d-%H%M")
    );
    let mut dialog = app.dialog().file();
    if let Some(folder) = dirs::download_dir().or_else(dirs::home_dir) {
        dialog = dialog.set_directory(folder);
    }
    dialog
        .set_title("Export findings as CSV")
        .add_filter("CSV", &["csv"])
        .set_file_name(name)
        .save_file(move |path| {
            let _ = answer.send(path);
        });
    let Some(path) = chosen.await.ok().flatten().and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let review = state.review();
    let target = path.clone();
    let rows = tokio::task::spawn_blocking(move || -> Result<usize, AppError> {
        let mut rows = 0;
        // The dialog has already asked before replacing an existing file.
        export::write_atomically(&target, true, |out| {
            rows = export::csv::write(out, review.findings_in_order(), export::csv::Bom::Without)?;
            Ok(())
        })?;
        Ok(rows)
    })
    .await
    .map_err(|error| {
        AppError::new(ErrorCode::Internal, format!("the export stopped: {error}"))
    })??;
    info!(rows, "exported CSV");
    Ok(Some(ExportResult {
        path: path.display().to_string(),
        rows: u32::try_from(rows).unwrap_or(u32::MAX),
    }))
}

/// Opens an AWS documentation or console link in the system browser.
#[tauri::command]
pub fn open_link(app: AppHandle, url: String) -> Result<(), AppError> {
    if !links::is_allowed(&url) {
        warn!("refused to open a link outside AWS documentation and console hosts");
        return Err(AppError::new(
            ErrorCode::LinkRefused,
            "only AWS documentation and console links are opened",
        ));
    }
    app.opener().open_url(url, None::<&str>).map_err(|error| {
        AppError::new(
            ErrorCode::Internal,
            format!("cannot start the browser: {error}"),
        )
    })
}
