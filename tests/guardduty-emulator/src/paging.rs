//! Opaque `nextToken`s that are bound to the query they page through.
//!
//! The service's tokens are opaque and a wrong one is refused. The emulator's tokens carry the
//! offset of the next page and a check value computed from that offset and a fingerprint of the
//! query (region, detector, criteria, sort), so a made-up token, or one replayed against another
//! query, is refused with 400 just as a client bug would be on the real service.

use serde_json::Value;

use crate::ids::fnv1a;

/// A stable fingerprint of a query: `parts` plus JSON values written with sorted keys (the
/// order a client happens to serialize its map in does not matter).
pub(crate) fn fingerprint(parts: &[&str], values: &[Option<&Value>]) -> u64 {
    let mut text = String::new();
    for part in parts {
        text.push_str(part);
        text.push('\u{1}');
    }
    for value in values {
        match value {
            Some(value) => write_canonical(value, &mut text),
            None => text.push_str("absent"),
        }
        text.push('\u{1}');
    }
    fnv1a(&[text.as_bytes()])
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(object) => {
            let mut keys: Vec<&String> = object.keys().collect();
            keys.sort();
            out.push('{');
            for key in keys {
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(member) = object.get(key) {
                    write_canonical(member, out);
                }
                out.push(',');
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for item in items {
                write_canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The token for the page starting at `offset` of the query with this fingerprint.
pub(crate) fn encode(fingerprint: u64, offset: usize) -> String {
    let check = fnv1a(&[&fingerprint.to_le_bytes(), &(offset as u64).to_le_bytes()]);
    format!("{offset:x}.{check:016x}")
}

/// The offset a token stands for, if it was issued for this query.
pub(crate) fn decode(token: &str, fingerprint: u64) -> Option<usize> {
    let (offset, _) = token.split_once('.')?;
    let offset = usize::from_str_radix(offset, 16).ok()?;
    (encode(fingerprint, offset) == token).then_some(offset)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_token_decodes_only_for_its_own_query() {
        let query = fingerprint(&["us-east-1"], &[Some(&json!({"a": 1}))]);
        let other = fingerprint(&["us-east-2"], &[Some(&json!({"a": 1}))]);
        let token = encode(query, 100);
        assert_eq!(decode(&token, query), Some(100));
        assert_eq!(decode(&token, other), None);
    }

    #[test]
    fn made_up_tokens_are_refused() {
        let query = fingerprint(&[], &[]);
        for token in ["", "50", "32.0000000000000000", "zz.ff", "not a token"] {
            assert_eq!(decode(token, query), None, "{token}");
        }
    }

    #[test]
    fn key_order_does_not_change_the_fingerprint() {
        let a: Value =
            serde_json::from_str(r#"{"x": {"p": 1, "q": [2]}, "y": true}"#).expect("json");
        let b: Value =
            serde_json::from_str(r#"{"y": true, "x": {"q": [2], "p": 1}}"#).expect("json");
        assert_eq!(fingerprint(&[], &[Some(&a)]), fingerprint(&[], &[Some(&b)]));
        assert_ne!(fingerprint(&[], &[Some(&a)]), fingerprint(&[], &[None]));
    }
}
