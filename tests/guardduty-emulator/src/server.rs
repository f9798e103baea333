//! The HTTP side: routes, the per-call pipeline, and binding the loopback socket.
//!
//! Every call goes through the same steps, in the order the real service applies them: read
//! the SigV4 header (403 without one), check the session token of assumed credentials, parse
//! the body, apply the configured faults, run the operation, log the call. `POST /` signed for
//! `sts` goes to the STS endpoint, which takes the same steps and answers in XML. The SSO OIDC
//! and SSO portal paths (`/client/register`, `/device_authorization`, `/token`,
//! `/federation/credentials`) are unsigned and go to the `sso` module. The socket is
//! always bound to 127.0.0.1: the emulator is a test fixture and must never be reachable from
//! the network.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::StreamExt;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::calls::{CallRecord, Operation};
use crate::emulator::Emulator;
use crate::error::ApiError;
use crate::fault::Cut;
use crate::handle::EmulatorHandle;
use crate::ops::{self, Answer};
use crate::query::query_param;
use crate::sigv4::{AuthError, SigV4Credential, parse_authorization};
use crate::state::AppState;
use crate::{sso, sts};

pub(crate) type Shared = Arc<AppState>;

/// Binds 127.0.0.1 on the emulator's port and spawns the server.
pub(crate) async fn start(emulator: Emulator) -> std::io::Result<EmulatorHandle> {
    let port = emulator.port;
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
    let address = listener.local_addr()?;
    let state: Shared = Arc::new(AppState::new(emulator));
    state.sso.set_base_url(format!("http://{address}"));
    let (stop, stopped) = oneshot::channel::<()>();
    let server = axum::serve(listener, router(Arc::clone(&state))).with_graceful_shutdown(async {
        // A dropped sender stops the server as well as a sent signal.
        let _ = stopped.await;
    });
    let task = tokio::spawn(async move { server.await });
    tracing::info!(%address, "guardduty-emulator listening");
    Ok(EmulatorHandle::new(address, state, stop, task))
}

/// The routes of the three GuardDuty operations, of STS and of the SSO sign-in, with everything
/// else answered 404.
pub(crate) fn router(state: Shared) -> Router {
    Router::new()
        .route("/", post(sts::route::sts_or_unknown))
        .route("/detector", get(list_detectors))
        .route("/detector/{detector_id}/findings", post(list_findings))
        .route("/detector/{detector_id}/findings/get", post(get_findings))
        .route("/client/register", post(sso::route::register_client))
        .route(
            "/device_authorization",
            post(sso::route::start_device_authorization),
        )
        .route("/token", post(sso::route::create_token))
        .route(
            "/federation/credentials",
            get(sso::route::get_role_credentials),
        )
        .route("/device", get(sso::route::device_page))
        .fallback(unknown_route)
        .method_not_allowed_fallback(unknown_route)
        .layer(middleware::from_fn_with_state(Arc::clone(&state), track))
        .with_state(state)
}

/// Counts requests in flight and stamps every answer with a request id.
async fn track(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let _in_flight = state.calls.enter();
    let mut response = next.run(request).await;
    // STS puts its request id in the XML and the header itself; keep the two equal.
    if !response.headers().contains_key(REQUEST_ID_HEADER)
        && let Ok(value) = HeaderValue::from_str(&state.next_request_id())
    {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// The header AWS names the request id in.
pub(crate) const REQUEST_ID_HEADER: &str = "x-amzn-RequestId";

pub(crate) async fn unknown_route(method: Method, uri: Uri) -> Response {
    tracing::warn!(%method, %uri, "no such operation");
    ApiError::unknown_operation(method.as_str(), uri.path()).into_response()
}

async fn list_detectors(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let max_results = query_param(&query, "maxResults");
    let next_token = query_param(&query, "nextToken");
    let call = Call {
        operation: Operation::ListDetectors,
        detector_id: None,
        body: None,
    };
    serve(&state, &headers, call, |state, region, _| {
        ops::list_detectors(state, region, max_results.as_deref(), next_token.as_deref())
    })
    .await
}

async fn list_findings(
    State(state): State<Shared>,
    headers: HeaderMap,
    detector_id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let call = Call::with_body(Operation::ListFindings, detector_id, body);
    let detector_id = call.detector_id.clone().unwrap_or_default();
    serve(&state, &headers, call, |state, region, body| {
        ops::list_findings(state, region, &detector_id, body)
    })
    .await
}

async fn get_findings(
    State(state): State<Shared>,
    headers: HeaderMap,
    detector_id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let call = Call::with_body(Operation::GetFindings, detector_id, body);
    let detector_id = call.detector_id.clone().unwrap_or_default();
    serve(&state, &headers, call, |state, region, body| {
        ops::get_findings(state, region, &detector_id, body)
    })
    .await
}

/// What a route extracted from the request, before the pipeline runs.
struct Call {
    operation: Operation,
    detector_id: Option<String>,
    /// `None` for operations without a body; else the JSON body or why it is unusable.
    body: Option<Result<Value, ApiError>>,
}

impl Call {
    fn with_body(
        operation: Operation,
        detector_id: Result<Path<String>, PathRejection>,
        body: Result<Bytes, BytesRejection>,
    ) -> Self {
        let (detector_id, path_error) = match detector_id {
            Ok(Path(id)) => (Some(id), None),
            Err(rejection) => (None, Some(ApiError::bad_request(rejection.body_text()))),
        };
        let body = match (path_error, body) {
            (Some(error), _) => Err(error),
            (None, Err(rejection)) => Err(ApiError::bad_request(rejection.body_text())),
            (None, Ok(bytes)) if bytes.iter().all(u8::is_ascii_whitespace) => {
                Ok(Value::Object(serde_json::Map::new()))
            }
            (None, Ok(bytes)) => match serde_json::from_slice::<Value>(&bytes) {
                Ok(value @ Value::Object(_)) => Ok(value),
                Ok(_) => Err(ApiError::bad_request(
                    "The request body must be a JSON object.",
                )),
                Err(error) => Err(ApiError::bad_request(format!(
                    "The request body is not valid JSON: {error}"
                ))),
            },
        };
        Self {
            operation,
            detector_id,
            body: Some(body),
        }
    }
}

/// The pipeline every call goes through.
async fn serve(
    state: &AppState,
    headers: &HeaderMap,
    call: Call,
    run: impl FnOnce(&AppState, &str, &Value) -> Result<Answer, ApiError>,
) -> Response {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let credential = match parse_authorization(authorization) {
        Ok(credential) => credential,
        Err(error) => {
            state.calls.record_unauthenticated();
            tracing::warn!(operation = %call.operation, ?error, "refused: no usable signature");
            return match error {
                AuthError::Missing => ApiError::missing_authentication_token(),
                AuthError::Incomplete(why) => ApiError::incomplete_signature(why),
            }
            .into_response();
        }
    };
    let region = credential.region.as_str();
    let session_token = header_text(headers, "x-amz-security-token");
    let attempt = attempt_of(headers);
    let body_json = call
        .body
        .as_ref()
        .and_then(|body| body.as_ref().ok())
        .cloned();
    let mut cut = None;
    let result = if credential.service != "guardduty" {
        Err(ApiError::invalid_signature(format!(
            "Credential should be scoped to correct service: 'guardduty' (got '{}').",
            credential.service
        )))
    } else if let Err(error) = check_session_token(state, &credential, session_token.as_deref()) {
        Err(error)
    } else {
        let plan = state.fault_plan(region, call.operation, attempt.unwrap_or(1));
        if !plan.delay.is_zero() {
            tokio::time::sleep(plan.delay).await;
        }
        cut = plan.cut;
        match (plan.error, call.body) {
            (Some(error), _) => Err(error),
            (None, Some(Err(error))) => Err(error),
            (None, Some(Ok(body))) => run(state, region, &body),
            (None, None) => run(state, region, &Value::Null),
        }
    };
    let (response, status, finding_ids) = match result {
        Ok(answer) if cut.is_some() => {
            tracing::debug!(operation = %call.operation, region, ?cut, "cutting the connection");
            let response = cut_short(cut, "application/json", answer.body.to_string());
            (response, StatusCode::OK, Vec::new())
        }
        Ok(answer) => {
            let mut response = (StatusCode::OK, answer.body.to_string()).into_response();
            let json = HeaderValue::from_static("application/json");
            response.headers_mut().insert(header::CONTENT_TYPE, json);
            (response, StatusCode::OK, answer.finding_ids)
        }
        Err(error) => {
            let status = error.status;
            tracing::debug!(%status, error = error.header_type, message = %error.message);
            (error.into_response(), status, Vec::new())
        }
    };
    tracing::debug!(
        operation = %call.operation,
        region,
        access_key_id = %credential.access_key_id,
        status = status.as_u16(),
        ids = finding_ids.len(),
        "call"
    );
    state.calls.record(CallRecord {
        operation: call.operation,
        region: credential.region.clone(),
        access_key_id: credential.access_key_id.clone(),
        session_token,
        detector_id: call.detector_id,
        status: status.as_u16(),
        body: body_json,
        finding_ids,
        attempt,
        dropped: cut.is_some() && status == StatusCode::OK,
    });
    response
}

/// Refuses a key STS or the SSO portal handed out when the call does not carry that key's
/// session token, as AWS does ("The security token included in the request is invalid").
pub(crate) fn check_session_token(
    state: &AppState,
    credential: &SigV4Credential,
    session_token: Option<&str>,
) -> Result<(), ApiError> {
    let key = &credential.access_key_id;
    let expected = state.sts.session_token_of(key);
    match expected.or_else(|| state.sso.session_token_of(key)) {
        Some(expected) if session_token != Some(expected.as_str()) => {
            Err(ApiError::unrecognized_client())
        }
        _ => Ok(()),
    }
}

/// An answer whose connection is cut: before any byte (`BeforeAnswer`), or after the status
/// line, the headers with the full `Content-Length` and half of `body` (`MidAnswer`). The body
/// stream fails, and hyper closes a connection whose body failed; when it fails at once, hyper
/// has not written the head yet and the client gets nothing at all.
pub(crate) fn cut_short(cut: Option<Cut>, content_type: &'static str, body: String) -> Response {
    let bytes = Bytes::from(body);
    let length = bytes.len();
    let sent: Vec<Result<Bytes, std::io::Error>> = match cut {
        Some(Cut::MidAnswer) => vec![Ok(bytes.slice(..length / 2))],
        _ => Vec::new(),
    };
    let pause = !sent.is_empty();
    let failure = async move {
        if pause {
            // Give hyper the time to flush what was sent before the connection goes.
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection cut by the emulator",
        ))
    };
    let stream = futures_util::stream::iter(sent).chain(futures_util::stream::once(failure));
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    response
}

/// A header's value as text.
pub(crate) fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The SDK's attempt number, from `amz-sdk-request: attempt=N; max=M`.
pub(crate) fn attempt_of(headers: &HeaderMap) -> Option<u32> {
    let value = headers.get("amz-sdk-request")?.to_str().ok()?;
    value.split(';').find_map(|pair| {
        let (key, number) = pair.trim().split_once('=')?;
        (key == "attempt").then(|| number.trim().parse().ok())?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_attempt_number_the_sdk_sends() {
        let mut headers = HeaderMap::new();
        assert_eq!(attempt_of(&headers), None);
        headers.insert(
            "amz-sdk-request",
            HeaderValue::from_static("attempt=3; max=5"),
        );
        assert_eq!(attempt_of(&headers), Some(3));
        headers.insert(
            "amz-sdk-request",
            HeaderValue::from_static("ttl=20250601T000000Z; attempt=2; max=5"),
        );
        assert_eq!(attempt_of(&headers), Some(2));
    }
}
