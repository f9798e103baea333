//! The desktop app: the only module that knows about Tauri.
//!
//! Commands are thin (see [`commands`]); state is one [`state::AppState`]; errors reach the UI
//! as `{code, message}` ([`error::AppError`]). Dialogs and the system browser are driven from
//! Rust, so the window's capability holds only the app's own commands and event listening.

pub mod bindings;
pub mod commands;
pub mod error;
pub mod links;
pub mod profiles;
pub mod state;

/// Opens the window and runs until it is closed.
///
/// # Errors
///
/// When the window cannot be created (no display, missing WebKitGTK).
pub fn run() -> tauri::Result<()> {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state::AppState::default())
        .invoke_handler(tauri::generate_handler![
            profiles::startup,
            profiles::list_profiles,
            profiles::select_profile,
            profiles::add_keychain_profile,
            profiles::remove_keychain_profile,
            profiles::sso_sign_in,
            commands::load_sample,
            commands::pull,
            commands::cancel_pull,
            commands::open_findings,
            commands::list_groups,
            commands::group_findings,
            commands::without_instance,
            commands::export_csv,
            commands::open_link,
        ])
        .run(tauri::generate_context!())
}
