//! Keychain profiles end to end: keys read from stdin into a real Secret Service
//! (gnome-keyring in a private D-Bus session: `make test-keychain` runs these), pulled with, and
//! then searched for everywhere they must not be.
//!
//! The tests that need the keychain are `#[ignore]`d in a plain `cargo test`, which has no
//! Secret Service to talk to; the one that checks the no-keychain message is not.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{json, run, threat_review};
use guardduty_emulator::{Emulator, Operation, generate_findings};

const KEY_ID: &str = "AKIDKEYCHAINTEST0001";
const SECRET: &str = "kc-secret-7f3a9d1e-never-anywhere";
const TOKEN: &str = "kc-token-52b8c0aa-never-anywhere";

/// The binary with the D-Bus session of the test (the Secret Service lives there).
fn with_bus(home: &Path) -> Command {
    let mut command = threat_review(home);
    command
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"));
    if let Some(bus) = std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
        command.env("DBUS_SESSION_BUS_ADDRESS", bus);
    }
    command
}

fn with_stdin(mut command: Command, input: &str) -> (i32, String, String) {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn add(home: &Path, name: &str, extra: &[&str], input: &str) -> (i32, String, String) {
    let mut command = with_bus(home);
    command
        .args(["profiles", "add", name, "--keychain"])
        .args(extra);
    with_stdin(command, input)
}

/// Every file under `folder` whose bytes contain `needle`.
fn files_containing(folder: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path)
                && bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
            {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a Secret Service: `make test-keychain` runs it inside gnome-keyring"]
async fn keys_added_to_the_keychain_sign_the_pull_and_appear_nowhere_else() {
    let home = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".aws")).unwrap();
    std::fs::write(
        home.path().join(".aws/config"),
        "[profile audit]\nregion = eu-west-1\n",
    )
    .unwrap();

    let input = format!("{KEY_ID}  \r\n{SECRET}\n{TOKEN}\n");
    let (code, stdout, stderr) = add(home.path(), "lab keys", &["--region", "us-east-1"], &input);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.trim(), "Added keychain profile lab keys.");

    let (code, stdout, _) = run(with_bus(home.path()).args(["profiles", "--json"]));
    assert_eq!(code, 0);
    let listed = json(&stdout);
    let lab = listed["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "lab keys")
        .cloned();
    assert_eq!(
        lab,
        Some(
            serde_json::json!({"name": "lab keys", "kind": "keychain", "region": "us-east-1", "source": "keychain"})
        )
    );

    let emulator = Emulator::builder()
        .add_findings("us-east-1", generate_findings("us-east-1", 80, 11))
        .build()
        .start()
        .await
        .unwrap();
    let csv_path = out_dir.path().join("pulled.csv");
    let mut pull = with_bus(home.path());
    pull.args([
        "pull",
        "--profile",
        "lab keys",
        "--endpoint-url",
        &emulator.endpoint_url(),
        "--csv",
    ])
    .arg(&csv_path)
    .env("RUST_LOG", "trace");
    let (code, pull_out, pull_err) = tokio::task::spawn_blocking(move || run(&mut pull))
        .await
        .unwrap();
    assert_eq!(code, 0, "{pull_err}");
    let mut json_pull = with_bus(home.path());
    json_pull
        .args([
            "pull",
            "--profile",
            "lab keys",
            "--endpoint-url",
            &emulator.endpoint_url(),
            "--json",
        ])
        .env("RUST_LOG", "trace");
    let (code, json_out, json_err) = tokio::task::spawn_blocking(move || run(&mut json_pull))
        .await
        .unwrap();
    assert_eq!(code, 0, "{json_err}");
    assert_eq!(json(&json_out)["regions"][0]["profile"], "lab keys");

    let calls = emulator.calls();
    assert_eq!(calls.access_key_ids(), [KEY_ID.to_owned()].into());
    let get = calls
        .records
        .iter()
        .find(|r| r.operation == Operation::GetFindings)
        .unwrap();
    assert_eq!(
        get.session_token.as_deref(),
        Some(TOKEN),
        "the session token signed the calls"
    );

    for secret in [SECRET, TOKEN] {
        for (what, text) in [
            ("pull stdout", &pull_out),
            ("pull stderr (trace logs)", &pull_err),
            ("json stdout", &json_out),
            ("json stderr", &json_err),
        ] {
            assert!(!text.contains(secret), "{what} holds a secret");
        }
        assert_eq!(
            files_containing(home.path(), secret),
            Vec::<String>::new(),
            "files under HOME"
        );
        assert_eq!(
            files_containing(out_dir.path(), secret),
            Vec::<String>::new(),
            "exports"
        );
    }
    let settings =
        std::fs::read_to_string(home.path().join(".config/threat-review/settings.json")).unwrap();
    assert!(
        settings.contains("lab keys") && !settings.contains(KEY_ID),
        "{settings}"
    );

    let (code, _, stderr) = add(home.path(), "lab keys", &[], &input);
    assert_eq!(
        code, 2,
        "an existing keychain profile is not replaced silently"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    let (code, _, stderr) = add(home.path(), "lab keys", &["--force"], &input);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = add(home.path(), "audit", &[], &input);
    assert_eq!(code, 2);
    assert!(stderr.contains("already a profile in ~/.aws"), "{stderr}");

    let (code, stdout, stderr) =
        run(with_bus(home.path()).args(["profiles", "remove", "lab keys"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Removed keychain profile lab keys"));
    let (code, _, stderr) = run(with_bus(home.path()).args(["pull", "--profile", "lab keys"]));
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = run(with_bus(home.path()).args(["profiles", "remove", "audit"]));
    assert_eq!(code, 2, "a ~/.aws profile is not removed from here");
}

#[test]
#[ignore = "needs a Secret Service: `make test-keychain` runs it inside gnome-keyring"]
fn refuses_keys_that_are_incomplete_without_touching_the_keychain() {
    let home = tempfile::tempdir().unwrap();
    let (code, _, stderr) = add(home.path(), "half", &[], &format!("{KEY_ID}\n"));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("give the access key id and the secret access key"),
        "{stderr}"
    );
    let (code, stdout, _) = run(with_bus(home.path()).args(["profiles", "--json"]));
    assert_eq!(code, 0);
    assert_eq!(json(&stdout)["profiles"], serde_json::json!([]));
}

#[test]
fn says_plainly_when_there_is_no_keychain_and_keeps_aws_profiles_working() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".aws")).unwrap();
    std::fs::write(
        home.path().join(".aws/config"),
        "[profile audit]\nregion = eu-west-1\n",
    )
    .unwrap();
    let mut command = threat_review(home.path());
    command
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}/no-bus", home.path().display()),
        )
        .args(["profiles", "add", "lab", "--keychain"]);
    let (code, _, stderr) = with_stdin(command, &format!("{KEY_ID}\n{SECRET}\n"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("no usable OS keychain"), "{stderr}");
    assert!(stderr.contains("~/.aws profiles keep working"), "{stderr}");
    assert!(!stderr.contains(SECRET));

    let (code, stdout, _) = run(threat_review(home.path()).args(["profiles", "--json"]));
    assert_eq!(code, 0);
    assert_eq!(json(&stdout)["profiles"][0]["name"], "audit");
}
