//! Corporate networks: a pull goes through the proxy `HTTP_PROXY` names, and a CA bundle that
//! cannot be read is named in the error. The proxy is a loopback forwarder written here.

mod common;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use common::{json, run, threat_review};
use guardduty_emulator::{Emulator, generate_findings};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A forward proxy on 127.0.0.1 that records each request line and passes the bytes on to
/// `upstream`. Returns its address and the request lines seen.
async fn forward_proxy(upstream: std::net::SocketAddr) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let record = record.clone();
            tokio::spawn(async move {
                let mut client = BufReader::new(client);
                let mut first = String::new();
                if client.read_line(&mut first).await.is_err() {
                    return;
                }
                record.lock().unwrap().push(first.trim_end().to_owned());
                let Ok(mut server) = TcpStream::connect(upstream).await else {
                    return;
                };
                if server.write_all(first.as_bytes()).await.is_err() {
                    return;
                }
                let buffered = client.buffer().to_vec();
                let _ = server.write_all(&buffered).await;
                let mut client = client.into_inner();
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            });
        }
    });
    (address, seen)
}

fn home_with_profile(extra: &str) -> tempfile::TempDir {
    common::aws_home(
        &format!("[profile audit]\nregion = us-east-1\n{extra}"),
        "[audit]\naws_access_key_id = AKIDTESTPROXY0000001\naws_secret_access_key = x\n",
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pull_goes_through_the_proxy_the_environment_names() {
    let emulator = Emulator::builder()
        .add_findings("us-east-1", generate_findings("us-east-1", 60, 21))
        .build()
        .start()
        .await
        .unwrap();
    let (proxy, seen) = forward_proxy(emulator.local_addr()).await;
    // The app is pointed at a loopback port where nothing listens: only the proxy, which
    // forwards to the emulator whatever the target, can make the pull work.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let unreachable = format!("http://{closed}");
    let home = home_with_profile("");
    let mut command = threat_review(home.path());
    command.env("HTTP_PROXY", &proxy).args([
        "pull",
        "--profile",
        "audit",
        "--json",
        "--endpoint-url",
        &unreachable,
    ]);
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || run(&mut command))
        .await
        .unwrap();
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["regions"][0]["status"], "ok");

    let lines = seen.lock().unwrap().clone();
    assert!(!lines.is_empty(), "nothing went through the proxy");
    let through: BTreeSet<&str> = lines.iter().filter_map(|l| l.split(' ').nth(1)).collect();
    assert!(
        through
            .iter()
            .all(|target| target.starts_with(&unreachable)),
        "the proxy saw absolute targets on the endpoint: {through:?}"
    );
    assert!(
        emulator.calls().records.len() >= 3,
        "the pull reached GuardDuty through the proxy"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ca_bundle_that_cannot_be_read_is_named_with_the_setting_to_check() {
    let emulator = Emulator::builder().build().start().await.unwrap();
    let home = home_with_profile("ca_bundle = /nonexistent/corporate-ca.pem\n");
    let mut command = threat_review(home.path());
    command.args([
        "pull",
        "--profile",
        "audit",
        "--endpoint-url",
        &emulator.endpoint_url(),
    ]);
    let (code, _, stderr) = tokio::task::spawn_blocking(move || run(&mut command))
        .await
        .unwrap();
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("cannot read the CA bundle /nonexistent/corporate-ca.pem")
            && stderr.contains("ca_bundle"),
        "{stderr}"
    );
    assert!(emulator.calls().records.is_empty());
}
