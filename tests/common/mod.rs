//! Helpers shared by the integration tests: running the real binary in a sealed environment.

#![allow(dead_code)] // each test file uses a different part of this module

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A project fixture.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The `threat-review` binary with a clean environment: a temp HOME without AWS files, no
/// metadata service, no AWS variables of the machine running the tests.
pub fn threat_review(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_threat-review"));
    command.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    command
        .env("HOME", home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join(".aws/config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join(".aws/credentials"));
    command
}

/// Runs and returns (exit code, stdout, stderr).
pub fn run(command: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("the binary runs");
    (
        status.code().unwrap_or(-1),
        String::from_utf8(stdout).expect("stdout is UTF-8"),
        String::from_utf8(stderr).expect("stderr is UTF-8"),
    )
}

/// Parses `--json` output.
pub fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// Every finding id in `--json` output, groups first, in output order.
pub fn finding_ids(output: &serde_json::Value) -> Vec<String> {
    let mut ids = Vec::new();
    for group in output["groups"].as_array().expect("groups") {
        for finding in group["findings"].as_array().expect("findings") {
            ids.push(finding["id"].as_str().expect("id").to_owned());
        }
    }
    for finding in output["withoutInstance"]
        .as_array()
        .expect("withoutInstance")
    {
        ids.push(finding["id"].as_str().expect("id").to_owned());
    }
    ids
}

/// Reads CSV text into rows of cells (header included).
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect())
        .collect()
}

/// A temp HOME whose `~/.aws` holds `config` and `credentials` (an empty text writes no file).
pub fn aws_home(config: &str, credentials: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("a temp HOME");
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(&aws).expect("~/.aws");
    for (name, text) in [("config", config), ("credentials", credentials)] {
        if !text.is_empty() {
            std::fs::write(aws.join(name), text).expect("an AWS file");
        }
    }
    home
}
