//! The `guardduty-emulator` binary: it announces its address on one stdout line, serves, and
//! stops on SIGTERM.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};

use serde_json::Value;

use common::{raw_request, signed};

#[tokio::test]
async fn the_binary_prints_its_address_serves_and_stops_on_sigterm() -> anyhow::Result<()> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guardduty-emulator"))
        .args([
            "--generate",
            "us-east-1=30",
            "--no-detector",
            "eu-west-3",
            "--seed",
            "4",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let pid = child.id();
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().transpose()?.unwrap_or_default();
    let address = first
        .strip_prefix("listening on http://")
        .unwrap_or_default();
    let address: Result<SocketAddr, _> = address.parse();
    let result = async {
        let address = address.map_err(|_| anyhow::anyhow!("unexpected first line: {first:?}"))?;
        anyhow::ensure!(address.ip().is_loopback(), "bound to {address}");
        let response = raw_request(address, "GET", "/detector", &signed("us-east-1"), "").await?;
        anyhow::ensure!(response.status == 200, "{response:?}");
        let body: Value = serde_json::from_str(&response.body)?;
        anyhow::ensure!(
            body["detectorIds"].as_array().map(Vec::len) == Some(1),
            "{body}"
        );
        let off = raw_request(address, "GET", "/detector", &signed("eu-west-3"), "").await?;
        let body: Value = serde_json::from_str(&off.body)?;
        anyhow::ensure!(body["detectorIds"] == serde_json::json!([]), "{body}");
        Ok(())
    }
    .await;
    let terminated = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()?;
    let status = child.wait()?;
    result?;
    assert!(terminated.success());
    assert!(status.success(), "exit status after SIGTERM: {status}");
    assert_eq!(
        lines.next().transpose()?,
        None,
        "exactly one line on stdout"
    );
    Ok(())
}

#[test]
fn bad_arguments_exit_with_status_2() -> std::io::Result<()> {
    let output = Command::new(env!("CARGO_BIN_EXE_guardduty-emulator"))
        .args(["--port", "not-a-port"])
        .output()?;
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--port"));
    Ok(())
}
