//! Helpers shared by the emulator's integration tests: an SDK client aimed at the emulator with
//! fake static credentials, and a raw HTTP/1.1 request for what the SDK would never send.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use aws_sdk_guardduty::Client;
use aws_sdk_guardduty::config::retry::RetryConfig;
use aws_sdk_guardduty::config::{BehaviorVersion, Credentials, Region};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The fake secret every test client signs with; the emulator never checks it.
pub const SECRET: &str = "emulator-secret";

/// A GuardDuty client for `region` that signs as `access_key_id` and talks to `endpoint`,
/// configured entirely in code (no environment, no profile files), with quick retries.
pub fn client(endpoint: &str, region: &str, access_key_id: &str) -> Client {
    let credentials = Credentials::new(access_key_id, SECRET, None, None, "emulator-test");
    let retry = RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20));
    let config = aws_sdk_guardduty::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .credentials_provider(credentials)
        .endpoint_url(endpoint)
        .retry_config(retry)
        .build();
    Client::from_conf(config)
}

/// A response read off the wire.
#[derive(Debug)]
pub struct RawResponse {
    /// The status code.
    pub status: u16,
    /// The header block, lower-cased.
    pub headers: String,
    /// The body.
    pub body: String,
}

/// A signature header as the SDK would send it, for `region` and access key `AKIDRAW`.
pub fn signed(region: &str) -> String {
    format!(
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIDRAW/20250601/{region}/guardduty/\
         aws4_request, SignedHeaders=host;x-amz-date, Signature=00ff\r\n"
    )
}

/// Sends one HTTP/1.1 request (`extra_headers` are complete `Name: value\r\n` lines) and reads
/// the whole response.
pub async fn raw_request(
    address: SocketAddr,
    method: &str,
    path: &str,
    extra_headers: &str,
    body: &str,
) -> std::io::Result<RawResponse> {
    let mut stream = TcpStream::connect(address).await?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n{extra_headers}\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).await?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    Ok(RawResponse {
        status,
        headers: head.to_ascii_lowercase(),
        body: body.to_owned(),
    })
}
