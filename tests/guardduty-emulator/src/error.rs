//! Error responses in the shape of AWS REST-JSON errors.
//!
//! The SDK classifies an error by the `x-amzn-ErrorType` header first and the body's `__type`
//! second; GuardDuty sometimes sends different names in the two (`BadRequestException` in the
//! header, `InvalidInputException` in the body), so both are set explicitly here. Every error
//! the emulator sends goes through [`ApiError`], so clients see one consistent shape.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The header that names an error for the SDK.
pub(crate) const ERROR_TYPE_HEADER: &str = "x-amzn-ErrorType";

/// An error response: HTTP status, the name in the header, the name in the body, a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The name sent in `x-amzn-ErrorType`.
    pub header_type: &'static str,
    /// The name sent as `__type` (and `type`) in the body.
    pub body_type: &'static str,
    /// The human-readable message.
    pub message: String,
}

impl ApiError {
    fn new(
        status: StatusCode,
        header_type: &'static str,
        body_type: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            header_type,
            body_type,
            message: message.into(),
        }
    }

    /// 400 for a request whose values the service rejects (GuardDuty's usual validation error:
    /// `BadRequestException` in the header, `InvalidInputException` in the body).
    pub fn invalid_input(message: impl Into<String>) -> Self {
        let status = StatusCode::BAD_REQUEST;
        Self::new(
            status,
            "BadRequestException",
            "InvalidInputException",
            message,
        )
    }

    /// An STS error (`AccessDenied`, `ValidationError`, ...): the same name in both places; STS
    /// sends it as XML (see the `sts` module).
    pub fn sts(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self::new(status, code, code, message)
    }

    /// 400 for a request body that is not the JSON the operation takes.
    pub fn bad_request(message: impl Into<String>) -> Self {
        let status = StatusCode::BAD_REQUEST;
        Self::new(
            status,
            "BadRequestException",
            "BadRequestException",
            message,
        )
    }

    /// 404 for a path or method that is no GuardDuty operation the emulator serves.
    pub fn unknown_operation(method: &str, path: &str) -> Self {
        let message = format!("No operation is served at {method} {path}");
        let name = "UnknownOperationException";
        Self::new(StatusCode::NOT_FOUND, name, name, message)
    }

    /// 403 for a request without an `Authorization` header.
    pub fn missing_authentication_token() -> Self {
        let name = "MissingAuthenticationTokenException";
        Self::new(
            StatusCode::FORBIDDEN,
            name,
            name,
            "Missing Authentication Token",
        )
    }

    /// 403 for an `Authorization` header that is not a complete SigV4 header.
    pub fn incomplete_signature(message: impl Into<String>) -> Self {
        let name = "IncompleteSignatureException";
        Self::new(StatusCode::FORBIDDEN, name, name, message)
    }

    /// 403 for a request signed for another service.
    pub fn invalid_signature(message: impl Into<String>) -> Self {
        let name = "InvalidSignatureException";
        Self::new(StatusCode::FORBIDDEN, name, name, message)
    }

    /// 403 as AWS answers in an opt-in region the account has not enabled.
    pub fn unrecognized_client() -> Self {
        let name = "UnrecognizedClientException";
        let message = "The security token included in the request is invalid.";
        Self::new(StatusCode::FORBIDDEN, name, name, message)
    }

    /// 403 for expired session credentials.
    pub fn expired_token() -> Self {
        let name = "ExpiredTokenException";
        let message = "The security token included in the request is expired";
        Self::new(StatusCode::FORBIDDEN, name, name, message)
    }

    /// 429, the answer to a throttled call.
    pub fn too_many_requests() -> Self {
        let name = "TooManyRequestsException";
        Self::new(StatusCode::TOO_MANY_REQUESTS, name, name, "Rate exceeded")
    }

    /// 500, an internal failure of the service.
    pub fn internal_server_error() -> Self {
        let name = "InternalServerErrorException";
        let message = "The request failed due to an internal error (injected by the emulator).";
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, name, name, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "__type": self.body_type,
            "type": self.body_type,
            "message": self.message,
        });
        let mut response = (self.status, body.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.insert(
            ERROR_TYPE_HEADER,
            HeaderValue::from_static(self.header_type),
        );
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_input_sends_different_names_in_header_and_body() {
        let response = ApiError::invalid_input("bad detector").into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let header = response
            .headers()
            .get(ERROR_TYPE_HEADER)
            .expect("error type header");
        assert_eq!(header, "BadRequestException");
    }
}
