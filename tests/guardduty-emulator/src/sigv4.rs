//! Reading the SigV4 `Authorization` header: who is calling, and for which region.
//!
//! GuardDuty is regional, and the only place a request names its region is the credential
//! scope of its signature (`Credential=AKID/DATE/REGION/SERVICE/aws4_request`). The emulator
//! reads that scope and the access key id, so tests can see which credentials and regions the
//! client used. It never checks the signature itself: it does not know the secret.

/// What the emulator learns from a request's `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigV4Credential {
    /// The access key id, the first element of the credential scope.
    pub access_key_id: String,
    /// The signing date (`YYYYMMDD`).
    pub date: String,
    /// The region the request was signed for.
    pub region: String,
    /// The signing service name (`guardduty` for every GuardDuty call).
    pub service: String,
    /// The lower-case header names listed in `SignedHeaders`.
    pub signed_headers: Vec<String>,
}

/// Why a request's `Authorization` header could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// There was no `Authorization` header at all (AWS: `MissingAuthenticationTokenException`).
    Missing,
    /// The header was there but is not a complete SigV4 header (AWS:
    /// `IncompleteSignatureException`); the text says what is wrong.
    Incomplete(String),
}

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Parses the value of an `Authorization` header (`None` when the request had none).
pub fn parse_authorization(header: Option<&str>) -> Result<SigV4Credential, AuthError> {
    let header = header
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .ok_or(AuthError::Missing)?;
    let Some(params) = header.strip_prefix(ALGORITHM) else {
        return Err(AuthError::Incomplete(format!(
            "Authorization header must start with '{ALGORITHM}' (got '{}')",
            header.split_whitespace().next().unwrap_or_default()
        )));
    };
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for pair in params.split(',') {
        let Some((key, value)) = pair.trim().split_once('=') else {
            continue;
        };
        match key.trim() {
            "Credential" => credential = Some(value.trim()),
            "SignedHeaders" => signed_headers = Some(value.trim()),
            "Signature" => signature = Some(value.trim()),
            _ => {}
        }
    }
    let missing: Vec<&str> = [
        ("Credential", credential),
        ("SignedHeaders", signed_headers),
        ("Signature", signature),
    ]
    .iter()
    .filter(|(_, value)| value.is_none_or(str::is_empty))
    .map(|(name, _)| *name)
    .collect();
    if !missing.is_empty() {
        let wanted: Vec<String> = missing
            .iter()
            .map(|name| format!("Authorization header requires '{name}' parameter."))
            .collect();
        return Err(AuthError::Incomplete(wanted.join(" ")));
    }
    let scope: Vec<&str> = credential.unwrap_or_default().split('/').collect();
    match scope.as_slice() {
        [akid, date, region, service, "aws4_request"]
            if [akid, date, region, service]
                .iter()
                .all(|part| !part.is_empty()) =>
        {
            Ok(SigV4Credential {
                access_key_id: (*akid).to_owned(),
                date: (*date).to_owned(),
                region: (*region).to_owned(),
                service: (*service).to_owned(),
                signed_headers: signed_headers
                    .unwrap_or_default()
                    .split(';')
                    .map(str::to_ascii_lowercase)
                    .collect(),
            })
        }
        _ => Err(AuthError::Incomplete(format!(
            "Credential should be 'ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request' (got '{}')",
            credential.unwrap_or_default()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "AWS4-HMAC-SHA256 Credential=AKIDEMULATORTEST/20240501/eu-west-1/\
        guardduty/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0123abcd";

    #[test]
    fn reads_access_key_region_and_service_from_the_credential_scope() {
        let credential = parse_authorization(Some(HEADER)).expect("valid header");
        assert_eq!(credential.access_key_id, "AKIDEMULATORTEST");
        assert_eq!(credential.date, "20240501");
        assert_eq!(credential.region, "eu-west-1");
        assert_eq!(credential.service, "guardduty");
        assert_eq!(
            credential.signed_headers,
            ["content-type", "host", "x-amz-date"]
        );
    }

    #[test]
    fn a_missing_or_blank_header_is_missing() {
        assert_eq!(parse_authorization(None), Err(AuthError::Missing));
        assert_eq!(parse_authorization(Some("  ")), Err(AuthError::Missing));
    }

    #[test]
    fn another_scheme_is_incomplete() {
        let error = parse_authorization(Some("Bearer abc")).expect_err("not sigv4");
        assert!(matches!(error, AuthError::Incomplete(text) if text.contains("Bearer")));
    }

    #[test]
    fn a_header_without_signature_names_what_is_missing() {
        let header = "AWS4-HMAC-SHA256 Credential=AK/20240501/us-east-1/guardduty/aws4_request";
        let error = parse_authorization(Some(header)).expect_err("incomplete");
        let AuthError::Incomplete(text) = error else {
            panic!("expected Incomplete, got {error:?}");
        };
        assert!(
            text.contains("'SignedHeaders'") && text.contains("'Signature'"),
            "{text}"
        );
        assert!(!text.contains("'Credential'"), "{text}");
    }

    #[test]
    fn a_short_credential_scope_is_incomplete() {
        let header = "AWS4-HMAC-SHA256 Credential=AK/20240501/guardduty/aws4_request, \
            SignedHeaders=host, Signature=00";
        assert!(matches!(
            parse_authorization(Some(header)),
            Err(AuthError::Incomplete(_))
        ));
    }
}
