//! The window's defences, read from the files that set them: a strict Content-Security-Policy,
//! a capability that grants only the app's own commands, no inline code in the built page, and
//! no devtools feature that would open the inspector in release builds.

use std::path::Path;

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read_json(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_content_security_policy_allows_no_inline_code_and_no_remote_origin() {
    let config = read_json("tauri.conf.json");
    let csp = config["app"]["security"]["csp"]
        .as_object()
        .expect("a CSP as directives");
    for (directive, sources) in csp {
        let sources = sources.as_str().unwrap();
        for word in sources.split_whitespace() {
            let allowed = matches!(
                word,
                "'self'" | "'none'" | "data:" | "ipc:" | "http://ipc.localhost"
            );
            assert!(allowed, "{directive} allows {word}");
        }
    }
    for directive in ["default-src", "script-src", "style-src"] {
        assert_eq!(csp[directive], "'self'", "{directive}");
    }
    assert_eq!(csp["object-src"], "'none'");
    assert_eq!(config["app"]["security"]["freezePrototype"], true);
    assert!(
        config["app"]["security"]
            .get("dangerousDisableAssetCspModification")
            .is_none()
    );
}

#[test]
fn the_window_may_call_only_the_apps_own_commands_and_listen_to_events() {
    let capability = read_json("src-tauri/capabilities/main.json");
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    assert!(
        capability.get("remote").is_none(),
        "no remote origin gets IPC"
    );
    let build = std::fs::read_to_string(root().join("src-tauri/build.rs")).unwrap();
    for permission in capability["permissions"].as_array().unwrap() {
        let permission = permission
            .as_str()
            .expect("plain permission names, no scopes");
        match permission.strip_prefix("allow-") {
            Some(command) => {
                let name = command.replace('-', "_");
                assert!(
                    build.contains(&format!("\"{name}\"")),
                    "{permission} is not an app command"
                );
            }
            None => assert!(
                matches!(
                    permission,
                    "core:event:allow-listen" | "core:event:allow-unlisten"
                ),
                "{permission} is more than the window needs"
            ),
        }
    }
}

#[test]
fn the_built_page_has_no_inline_script_or_style() {
    let page = root().join("ui/dist/index.html");
    let html = std::fs::read_to_string(&page)
        .expect("the UI is built before the tests (make test builds it)");
    let lower = html.to_lowercase();
    assert!(
        !lower.contains("<style"),
        "inline <style> in {}",
        page.display()
    );
    assert!(!lower.contains(" style="), "inline style attribute");
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("<script") {
        let tag_end = rest[at..].find('>').map(|end| at + end).unwrap();
        assert!(rest[at..tag_end].contains("src="), "an inline <script>");
        rest = &rest[tag_end..];
    }
    assert!(
        !lower.contains("http://") && !lower.contains("https://"),
        "a remote origin in the page"
    );
}

#[test]
fn devtools_are_not_compiled_into_release_builds() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let tauri = manifest
        .lines()
        .find(|l| l.starts_with("tauri = "))
        .expect("the tauri dependency");
    assert!(
        !tauri.contains("devtools"),
        "the devtools feature would ship the inspector: {tauri}"
    );
}
