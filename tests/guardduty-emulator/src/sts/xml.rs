//! The XML of STS answers and errors (the AWS query protocol), with its escaping.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AssumedCredentials;
use crate::error::ApiError;

/// The XML namespace of every STS answer.
const NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

/// The answer to AssumeRole: the assumed role user and the credentials.
pub(super) fn assume_role(credentials: &AssumedCredentials, request_id: &str) -> String {
    format!(
        "<AssumeRoleResponse xmlns=\"{NAMESPACE}\">\n  <AssumeRoleResult>\n    \
             <AssumedRoleUser>\n      <Arn>{}</Arn>\n      <AssumedRoleId>{}</AssumedRoleId>\n    \
             </AssumedRoleUser>\n    <Credentials>\n      <AccessKeyId>{}</AccessKeyId>\n      \
             <SecretAccessKey>{}</SecretAccessKey>\n      <SessionToken>{}</SessionToken>\n      \
             <Expiration>{}</Expiration>\n    </Credentials>\n  </AssumeRoleResult>\n  \
             <ResponseMetadata>\n    <RequestId>{}</RequestId>\n  </ResponseMetadata>\n\
             </AssumeRoleResponse>\n",
        escape(&credentials.assumed_role_arn()),
        escape(&credentials.assumed_role_id()),
        escape(&credentials.access_key_id),
        escape(&credentials.secret_access_key),
        escape(&credentials.session_token),
        escape(&credentials.expiration),
        escape(request_id),
    )
}

/// The answer to GetCallerIdentity.
pub(super) fn caller_identity(account: &str, arn: &str, user_id: &str, request_id: &str) -> String {
    format!(
        "<GetCallerIdentityResponse xmlns=\"{NAMESPACE}\">\n  <GetCallerIdentityResult>\n    \
             <Arn>{}</Arn>\n    <UserId>{}</UserId>\n    <Account>{}</Account>\n  \
             </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>{}</RequestId>\n  \
             </ResponseMetadata>\n</GetCallerIdentityResponse>\n",
        escape(arn),
        escape(user_id),
        escape(account),
        escape(request_id),
    )
}

/// An STS error as XML, the shape the query protocol uses.
pub(crate) fn error_response(error: &ApiError, request_id: &str) -> Response {
    xml_response(error.status, error_xml(error, request_id))
}

/// The XML of an STS error: `Sender` for 4xx, `Receiver` else.
fn error_xml(error: &ApiError, request_id: &str) -> String {
    let kind = if error.status.is_client_error() {
        "Sender"
    } else {
        "Receiver"
    };
    format!(
        "<ErrorResponse xmlns=\"{NAMESPACE}\">\n  <Error>\n    <Type>{kind}</Type>\n    \
         <Code>{}</Code>\n    <Message>{}</Message>\n  </Error>\n  <RequestId>{}</RequestId>\n\
         </ErrorResponse>\n",
        escape(sts_code(error.header_type)),
        escape(&error.message),
        escape(request_id),
    )
}

/// A 200-or-error XML answer with the `text/xml` content type STS uses.
pub(crate) fn xml_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    response
}

/// The name STS uses for an error the GuardDuty-shaped faults produce.
fn sts_code(code: &str) -> &str {
    match code {
        "ExpiredTokenException" => "ExpiredToken",
        "TooManyRequestsException" => "Throttling",
        "InternalServerErrorException" => "InternalFailure",
        "UnrecognizedClientException" => "InvalidClientTokenId",
        other => other,
    }
}

/// Escapes text for an XML element.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_xml_with_sender_or_receiver_and_sts_names() {
        let denied = ApiError::sts(StatusCode::FORBIDDEN, "AccessDenied", "no <way> & no");
        let denied = error_xml(&denied, "req-9");
        assert!(denied.contains("<Type>Sender</Type>"), "{denied}");
        assert!(denied.contains("<Code>AccessDenied</Code>"), "{denied}");
        assert!(
            denied.contains("<Message>no &lt;way&gt; &amp; no</Message>"),
            "{denied}"
        );
        assert!(denied.contains("<RequestId>req-9</RequestId>"), "{denied}");
        let expired = error_xml(&ApiError::expired_token(), "r");
        assert!(expired.contains("<Code>ExpiredToken</Code>"), "{expired}");
        let failed = error_xml(&ApiError::internal_server_error(), "r");
        assert!(failed.contains("<Type>Receiver</Type>"), "{failed}");
    }
}
