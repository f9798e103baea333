//! Requests the SDK would never send: no signature, unknown routes, broken bodies. The
//! emulator must answer each with an AWS-shaped error, never crash or hang.

mod common;

use guardduty_emulator::{Emulator, Operation, detector_id_for_region};
use serde_json::Value;

use common::{raw_request, signed};

fn error_type(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    value["__type"].as_str().map(str::to_owned)
}

#[tokio::test]
async fn a_request_without_a_signature_is_refused_with_403() -> std::io::Result<()> {
    let server = Emulator::builder()
        .generate("us-east-1", 5, 1)
        .start()
        .await?;
    let response = raw_request(server.local_addr(), "GET", "/detector", "", "").await?;
    assert_eq!(response.status, 403);
    assert!(
        response
            .headers
            .contains("x-amzn-errortype: missingauthenticationtokenexception")
    );
    assert_eq!(
        error_type(&response.body).as_deref(),
        Some("MissingAuthenticationTokenException")
    );

    let garbled = "Authorization: AWS4-HMAC-SHA256 Credential=broken\r\n";
    let response = raw_request(server.local_addr(), "GET", "/detector", garbled, "").await?;
    assert_eq!(response.status, 403);
    assert_eq!(
        error_type(&response.body).as_deref(),
        Some("IncompleteSignatureException")
    );
    let calls = server.calls();
    assert_eq!((calls.unauthenticated, calls.records.len()), (2, 0));
    Ok(())
}

#[tokio::test]
async fn a_signature_for_another_service_is_refused() -> std::io::Result<()> {
    let server = Emulator::builder().start().await?;
    let header = "Authorization: AWS4-HMAC-SHA256 Credential=AK/20250601/us-east-1/sts/\
                  aws4_request, SignedHeaders=host, Signature=00\r\n";
    let response = raw_request(server.local_addr(), "GET", "/detector", header, "").await?;
    assert_eq!(response.status, 403);
    assert_eq!(
        error_type(&response.body).as_deref(),
        Some("InvalidSignatureException")
    );
    Ok(())
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_404_with_an_error_body() -> std::io::Result<()> {
    let server = Emulator::builder().start().await?;
    let auth = signed("us-east-1");
    for (method, path) in [("GET", "/nothing"), ("DELETE", "/detector"), ("POST", "/")] {
        let response = raw_request(server.local_addr(), method, path, &auth, "").await?;
        assert_eq!(response.status, 404, "{method} {path}");
        assert_eq!(
            error_type(&response.body).as_deref(),
            Some("UnknownOperationException")
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_bad_request() -> std::io::Result<()> {
    let server = Emulator::builder()
        .generate("us-east-1", 5, 1)
        .start()
        .await?;
    let path = format!("/detector/{}/findings", detector_id_for_region("us-east-1"));
    let auth = signed("us-east-1");
    for body in [
        "{not json",
        "[1, 2]",
        "{\"findingCriteria\": {\"criterion\": {\"type\": 5}}}",
    ] {
        let response = raw_request(server.local_addr(), "POST", &path, &auth, body).await?;
        assert_eq!(response.status, 400, "{body}");
        assert!(
            response
                .headers
                .contains("x-amzn-errortype: badrequestexception"),
            "{body}"
        );
        assert!(response.headers.contains("x-amzn-requestid:"), "{body}");
    }
    let empty = raw_request(server.local_addr(), "POST", &path, &auth, "").await?;
    assert_eq!(empty.status, 200, "an empty body lists everything");
    let listed: Value = serde_json::from_str(&empty.body).unwrap_or_default();
    assert_eq!(listed["findingIds"].as_array().map(Vec::len), Some(5));
    assert_eq!(listed["nextToken"], "");
    assert_eq!(server.calls().count(Operation::ListFindings), 4);
    Ok(())
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() -> std::io::Result<()> {
    let server = Emulator::builder().start().await?;
    let address = server.local_addr();
    drop(server);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert!(tokio::net::TcpStream::connect(address).await.is_err());
    Ok(())
}
