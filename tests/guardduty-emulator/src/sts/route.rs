//! STS on the wire: `POST /` signed for `sts`, through the same steps as a GuardDuty call
//! (session token, faults, the operation, the log), answered in XML.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;

use super::StsRequest;
use super::xml;
use crate::calls::StsCall;
use crate::error::ApiError;
use crate::query::percent_decode;
use crate::server::{
    REQUEST_ID_HEADER, Shared, attempt_of, check_session_token, cut_short, header_text,
    unknown_route,
};
use crate::sigv4::{SigV4Credential, parse_authorization};
use crate::state::AppState;

/// `POST /`: STS when signed for `sts`, else no operation (404), as before STS existed.
pub(crate) async fn sts_or_unknown(
    State(state): State<Shared>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match parse_authorization(authorization) {
        Ok(credential) if credential.service == "sts" => {
            serve_sts(&state, &headers, credential, body).await
        }
        _ => unknown_route(Method::POST, uri).await,
    }
}

/// The STS pipeline: the same steps as a GuardDuty call, answered in XML and logged apart.
async fn serve_sts(
    state: &AppState,
    headers: &HeaderMap,
    credential: SigV4Credential,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let request_id = state.next_request_id();
    let session_token = header_text(headers, "x-amz-security-token");
    let attempt = attempt_of(headers);
    let request = match &body {
        Ok(bytes) => StsRequest::from_form(&String::from_utf8_lossy(bytes), percent_decode),
        Err(_) => StsRequest::default(),
    };
    let operation = request.operation();
    let mut cut = None;
    let result = match (body, operation) {
        (Err(rejection), _) => Err(ApiError::sts(
            StatusCode::BAD_REQUEST,
            "MalformedQueryString",
            rejection.body_text(),
        )),
        (Ok(_), None) => state
            .sts
            .answer(&request, &credential.access_key_id, &request_id),
        (Ok(_), Some(operation)) => {
            let token_check = check_session_token(state, &credential, session_token.as_deref())
                .map_err(|_| {
                    ApiError::sts(
                        StatusCode::FORBIDDEN,
                        "InvalidClientTokenId",
                        "The security token included in the request is invalid.",
                    )
                });
            let plan = state.fault_plan(&credential.region, operation, attempt.unwrap_or(1));
            if !plan.delay.is_zero() {
                tokio::time::sleep(plan.delay).await;
            }
            cut = plan.cut;
            match (token_check, plan.error) {
                (Err(error), _) | (Ok(()), Some(error)) => Err(error),
                (Ok(()), None) => {
                    state
                        .sts
                        .answer(&request, &credential.access_key_id, &request_id)
                }
            }
        }
    };
    let (mut response, status, issued) = match result {
        Ok(answer) if cut.is_some() => {
            let response = cut_short(cut, "text/xml", answer.body);
            (response, answer.status, None)
        }
        Ok(answer) => (
            xml::xml_response(answer.status, answer.body),
            answer.status,
            answer.issued,
        ),
        Err(error) => (xml::error_response(&error, &request_id), error.status, None),
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    tracing::debug!(
        action = %request.action,
        region = %credential.region,
        access_key_id = %credential.access_key_id,
        status = status.as_u16(),
        "sts call"
    );
    state.calls.record_sts(StsCall {
        operation,
        region: credential.region,
        access_key_id: credential.access_key_id,
        session_token,
        status: status.as_u16(),
        role_arn: request.param("RoleArn").map(str::to_owned),
        role_session_name: request.param("RoleSessionName").map(str::to_owned),
        serial_number: request.param("SerialNumber").map(str::to_owned),
        token_code: request.param("TokenCode").map(str::to_owned),
        duration_seconds: request.param("DurationSeconds").map(str::to_owned),
        issued_access_key_id: issued,
    });
    response
}
