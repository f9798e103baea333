//! SSO on the wire: the unsigned SSO OIDC and SSO portal calls, routed by path, answered in
//! JSON and logged apart; and the verification page a user would open.
//!
//! Errors name themselves in `x-amzn-ErrorType`, which is what `aws-sdk-ssooidc` and
//! `aws-sdk-sso` classify by (the body's `error` field, the OAuth code, is not read by them);
//! SSO OIDC errors carry `{"error", "error_description"}` and SSO portal errors
//! `{"message"}`, as the services send them.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;

use super::SsoError;
use crate::calls::{Operation, SsoCall};
use crate::error::ERROR_TYPE_HEADER;
use crate::query::query_param;
use crate::server::{Shared, header_text};
use crate::state::AppState;

/// The header the SSO portal reads the access token from.
const BEARER_HEADER: &str = "x-amz-sso_bearer_token";

/// `POST /client/register`: RegisterClient.
pub(crate) async fn register_client(
    State(state): State<Shared>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    oidc(
        &state,
        Operation::RegisterClient,
        body,
        |state, body, call| state.sso.register_client(body, call),
    )
}

/// `POST /device_authorization`: StartDeviceAuthorization.
pub(crate) async fn start_device_authorization(
    State(state): State<Shared>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let operation = Operation::StartDeviceAuthorization;
    oidc(&state, operation, body, |state, body, call| {
        state.sso.start_device_authorization(body, call)
    })
}

/// `POST /token`: CreateToken.
pub(crate) async fn create_token(
    State(state): State<Shared>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    oidc(&state, Operation::CreateToken, body, |state, body, call| {
        state.sso.create_token(body, call)
    })
}

/// `GET /federation/credentials?account_id=...&role_name=...`: GetRoleCredentials.
pub(crate) async fn get_role_credentials(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let bearer = header_text(&headers, BEARER_HEADER);
    let mut call = SsoCall {
        operation: Some(Operation::GetRoleCredentials),
        access_token: bearer.clone(),
        account_id: query_param(&query, "account_id"),
        role_name: query_param(&query, "role_name"),
        ..SsoCall::default()
    };
    let (account_id, role_name) = (call.account_id.clone(), call.role_name.clone());
    let result = state.sso.get_role_credentials(
        bearer.as_deref(),
        account_id.as_deref(),
        role_name.as_deref(),
        &mut call,
    );
    finish(&state, call, result)
}

/// `GET /device[?user_code=...]`: the verification page; with a user code it approves that
/// device authorization, as a user clicking "Allow" would.
pub(crate) async fn device_page(
    State(state): State<Shared>,
    RawQuery(query): RawQuery,
) -> Response {
    let user_code = query_param(&query.unwrap_or_default(), "user_code");
    match user_code {
        Some(code) if state.sso.decide(&code, true) => {
            tracing::info!(user_code = %code, "device authorization approved");
            Html(format!(
                "<p>Request {code} approved. You can close this window.</p>"
            ))
            .into_response()
        }
        Some(code) => {
            let page = Html(format!("<p>No pending request has the code {code}.</p>"));
            (StatusCode::NOT_FOUND, page).into_response()
        }
        None => Html("<p>Open this page with <code>?user_code=ABCD-EFGH</code> to approve.</p>")
            .into_response(),
    }
}

/// The common steps of an SSO OIDC call: parse the JSON body, run, answer, log.
fn oidc(
    state: &AppState,
    operation: Operation,
    body: Result<Bytes, BytesRejection>,
    run: impl FnOnce(&AppState, &Value, &mut SsoCall) -> Result<Value, SsoError>,
) -> Response {
    let mut call = SsoCall {
        operation: Some(operation),
        ..SsoCall::default()
    };
    let invalid = |why: String| SsoError::oidc("InvalidRequestException", why);
    let result = match body {
        Err(rejection) => Err(invalid(rejection.body_text())),
        Ok(bytes) => match serde_json::from_slice::<Value>(&bytes) {
            Ok(value @ Value::Object(_)) => run(state, &value, &mut call),
            Ok(_) => Err(invalid(
                "The request body must be a JSON object.".to_owned(),
            )),
            Err(error) => Err(invalid(format!(
                "The request body is not valid JSON: {error}"
            ))),
        },
    };
    finish(state, call, result)
}

/// Turns a result into the response and logs the call.
fn finish(state: &AppState, mut call: SsoCall, result: Result<Value, SsoError>) -> Response {
    let response = match result {
        Ok(answer) => {
            call.status = StatusCode::OK.as_u16();
            json_response(StatusCode::OK, &answer)
        }
        Err(error) => {
            call.status = error.status.as_u16();
            call.error = Some(error.name.to_owned());
            let mut response = json_response(error.status, &error.body());
            let name = HeaderValue::from_static(error.name);
            response.headers_mut().insert(ERROR_TYPE_HEADER, name);
            response
        }
    };
    tracing::debug!(
        operation = ?call.operation,
        status = call.status,
        error = ?call.error,
        "sso call"
    );
    state.calls.record_sso(call);
    response
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let json = HeaderValue::from_static("application/json");
    response.headers_mut().insert(header::CONTENT_TYPE, json);
    response
}
