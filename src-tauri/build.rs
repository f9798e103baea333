//! Embeds the Tauri config, the UI and the access-control lists into the binary.

/// Every command the UI may call; tauri-build generates an `allow-<command>` permission for each,
/// and `capabilities/main.json` grants the main window exactly these.
const COMMANDS: &[&str] = &[
    "startup",
    "list_profiles",
    "select_profile",
    "add_keychain_profile",
    "remove_keychain_profile",
    "sso_sign_in",
    "load_sample",
    "pull",
    "cancel_pull",
    "open_findings",
    "list_groups",
    "group_findings",
    "without_instance",
    "export_csv",
    "open_link",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build could not prepare the app");
}
