//! The fault modes as a client meets them on the wire: dropped connections, faults that spare
//! retries, faults that start late, and a detector that ListDetectors names but the region
//! refuses.

mod common;

use aws_sdk_guardduty::error::ProvideErrorMetadata;
use aws_sdk_guardduty::operation::list_findings::ListFindingsError;
use guardduty_emulator::{Emulator, Fault, FaultRule, Operation, detector_id_for_region};

use common::{client, raw_request, signed};

const EAST: &str = "us-east-1";
const KEY: &str = "AKIDEMULATORFAULTS01";

#[tokio::test]
async fn a_dropped_connection_sends_the_headers_and_half_the_body_then_closes() -> anyhow::Result<()>
{
    let server = Emulator::builder()
        .generate(EAST, 5, 1)
        .fault(Fault::DropConnection { every: 1 })
        .start()
        .await?;
    let path = format!("/detector/{}/findings", detector_id_for_region(EAST));
    let response = raw_request(server.local_addr(), "POST", &path, &signed(EAST), "{}").await?;
    assert_eq!(response.status, 200);
    let promised: usize = response
        .headers
        .lines()
        .find_map(|line| line.strip_prefix("content-length: "))
        .and_then(|length| length.trim().parse().ok())
        .expect("a content-length");
    assert!(promised > 0);
    assert_eq!(
        response.body.len(),
        promised / 2,
        "half the body, then the end"
    );
    let calls = server.calls();
    assert_eq!(calls.count_dropped(), 1);
    assert!(calls.records[0].dropped);
    assert!(
        calls.records[0].finding_ids.is_empty(),
        "the client received no ids"
    );
    Ok(())
}

#[tokio::test]
async fn a_hang_up_closes_the_connection_without_a_byte_of_answer() -> anyhow::Result<()> {
    let server = Emulator::builder()
        .fault(Fault::HangUp { every: 1 })
        .start()
        .await?;
    let response = raw_request(server.local_addr(), "GET", "/detector", &signed(EAST), "").await?;
    assert_eq!((response.status, response.headers.as_str()), (0, ""));
    let calls = server.calls();
    assert_eq!(calls.count_dropped(), 1);
    assert_eq!(calls.records[0].operation, Operation::ListDetectors);
    Ok(())
}

#[tokio::test]
async fn the_sdk_retries_a_cut_connection_and_gets_the_whole_page() -> anyhow::Result<()> {
    let server = Emulator::builder()
        .generate(EAST, 30, 2)
        .fault(
            FaultRule::new(Fault::DropConnection { every: 2 })
                .for_operation(Operation::ListFindings),
        )
        .fault(FaultRule::new(Fault::HangUp { every: 1 }).for_operation(Operation::ListDetectors))
        .start()
        .await?;
    let client = client(&server.endpoint_url(), EAST, KEY);
    let detector = server.detector_id(EAST).unwrap_or_default();
    for _ in 0..2 {
        let page = client.list_findings().detector_id(&detector).send().await?;
        assert_eq!(page.finding_ids().len(), 30);
    }
    let hung_up = client.list_detectors().send().await;
    assert!(hung_up.is_err(), "every attempt was hung up on");
    let calls = server.calls();
    let seen: Vec<(Operation, bool, Option<u32>)> = calls
        .records
        .iter()
        .map(|r| (r.operation, r.dropped, r.attempt))
        .collect();
    let (list, detectors) = (Operation::ListFindings, Operation::ListDetectors);
    assert_eq!(
        seen,
        [
            (list, false, Some(1)),
            (list, true, Some(1)),
            (list, false, Some(2)),
            (detectors, true, Some(1)),
            (detectors, true, Some(2)),
            (detectors, true, Some(3)),
        ],
        "the second page was cut and its retry answered; a hang-up is retried too"
    );
    assert_eq!(
        calls.listed_finding_ids().len(),
        60,
        "only complete answers count"
    );
    Ok(())
}

#[tokio::test]
async fn a_first_attempts_only_fault_meets_each_request_once() -> anyhow::Result<()> {
    let server = Emulator::builder()
        .generate(EAST, 10, 3)
        .fault(FaultRule::new(Fault::Throttle { every: 1 }).first_attempts_only())
        .start()
        .await?;
    let client = client(&server.endpoint_url(), EAST, KEY);
    for _ in 0..3 {
        assert_eq!(
            client.list_detectors().send().await?.detector_ids().len(),
            1
        );
    }
    let seen: Vec<(u16, Option<u32>)> = server
        .calls()
        .records
        .iter()
        .map(|r| (r.status, r.attempt))
        .collect();
    let once = [(429, Some(1)), (200, Some(2))];
    assert_eq!(seen, [once, once, once].concat());
    Ok(())
}

#[tokio::test]
async fn expired_credentials_after_two_calls_refuse_every_later_call() -> anyhow::Result<()> {
    let server = Emulator::builder()
        .generate(EAST, 10, 4)
        .fault(
            FaultRule::new(Fault::ExpiredToken)
                .for_operation(Operation::ListDetectors)
                .after(2),
        )
        .start()
        .await?;
    let client = client(&server.endpoint_url(), EAST, KEY);
    client.list_detectors().send().await?;
    client.list_detectors().send().await?;
    for _ in 0..2 {
        let error = client.list_detectors().send().await.expect_err("expired");
        assert_eq!(error.code(), Some("ExpiredTokenException"));
    }
    let statuses: Vec<u16> = server.calls().records.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [200, 200, 403, 403],
        "an expired token is not retried"
    );
    Ok(())
}

#[tokio::test]
async fn a_foreign_detector_is_listed_and_then_refused_as_invalid_input() -> anyhow::Result<()> {
    let foreign = detector_id_for_region("eu-central-1");
    let server = Emulator::builder()
        .generate(EAST, 10, 5)
        .foreign_detector(EAST, foreign.clone())
        .start()
        .await?;
    let client = client(&server.endpoint_url(), EAST, KEY);
    let listed = client.list_detectors().send().await?;
    assert_eq!(listed.detector_ids(), std::slice::from_ref(&foreign));
    let refused = client.list_findings().detector_id(&foreign).send().await;
    match refused.map_err(|e| e.into_service_error()) {
        Err(ListFindingsError::BadRequestException(error)) => {
            assert_eq!(error.r#type(), Some("InvalidInputException"));
            assert!(
                error
                    .message()
                    .is_some_and(|m| m.contains("not owned by the current account")),
                "{error:?}"
            );
        }
        other => panic!("expected BadRequestException, got {other:?}"),
    }
    Ok(())
}
