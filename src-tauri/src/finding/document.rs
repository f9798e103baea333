//! Reading a JSON finding document whatever its key style.
//!
//! The API and EventBridge write camelCase keys, `aws guardduty get-findings` writes PascalCase,
//! and hand-assembled files mix both. Every look-up here tries the camelCase key, then the same
//! key with its first letter upper-cased; a `null` counts as absent.

use serde_json::Value;

/// A borrowed JSON node with key-style-tolerant look-ups.
#[derive(Clone, Copy)]
pub(crate) struct Node<'a>(pub(crate) &'a Value);

impl<'a> Node<'a> {
    /// The child under `key` (camelCase), or its PascalCase twin; absent for `null`.
    pub(crate) fn get(self, key: &str) -> Option<Node<'a>> {
        let object = self.0.as_object()?;
        let found = object.get(key).or_else(|| object.get(&pascal_case(key)))?;
        (!found.is_null()).then_some(Node(found))
    }

    /// The node at a path of keys.
    pub(crate) fn at(self, path: &[&str]) -> Option<Node<'a>> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// A non-blank string at `path`, trimmed of nothing: values are kept as written.
    pub(crate) fn text(self, path: &[&str]) -> Option<&'a str> {
        let text = self.at(path)?.0.as_str()?;
        (!text.trim().is_empty()).then_some(text)
    }

    /// Like [`Node::text`], but owned; numbers are written as text (tools disagree on whether
    /// an account id or ASN is a string or a number).
    pub(crate) fn string(self, path: &[&str]) -> Option<String> {
        let node = self.at(path)?;
        match node.0 {
            Value::Number(number) => Some(number.to_string()),
            _ => node
                .0
                .as_str()
                .filter(|t| !t.trim().is_empty())
                .map(str::to_owned),
        }
    }

    /// A number at `path`, also when written as a numeric string.
    pub(crate) fn number(self, path: &[&str]) -> Option<f64> {
        let node = self.at(path)?;
        match node.0 {
            Value::Number(number) => number.as_f64(),
            Value::String(text) => text.trim().parse::<f64>().ok(),
            _ => None,
        }
        .filter(|n| n.is_finite())
    }

    /// A boolean at `path`, also when written as the string `"true"` or `"false"`.
    pub(crate) fn boolean(self, path: &[&str]) -> Option<bool> {
        match self.at(path)?.0 {
            Value::Bool(flag) => Some(*flag),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    /// The items of an array at `path`; empty when absent or not an array.
    pub(crate) fn items(self, path: &[&str]) -> impl Iterator<Item = Node<'a>> {
        self.at(path)
            .and_then(|node| node.0.as_array())
            .into_iter()
            .flatten()
            .filter(|item| !item.is_null())
            .map(Node)
    }

    /// Whether the node is a JSON object.
    pub(crate) fn is_object(self) -> bool {
        self.0.is_object()
    }
}

/// `accountId` becomes `AccountId`.
fn pascal_case(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_camel_and_pascal_keys_alike() {
        let camel = json!({"service": {"action": {"dnsRequestAction": {"domain": "a.example"}}}});
        let pascal = json!({"Service": {"Action": {"DnsRequestAction": {"Domain": "a.example"}}}});
        let path = ["service", "action", "dnsRequestAction", "domain"];
        assert_eq!(Node(&camel).text(&path), Some("a.example"));
        assert_eq!(Node(&pascal).text(&path), Some("a.example"));
    }

    #[test]
    fn treats_null_blank_and_wrong_types_as_absent() {
        let doc = json!({"a": null, "b": "  ", "c": [1], "d": {"e": 1}});
        let node = Node(&doc);
        assert!(node.get("a").is_none());
        assert_eq!(node.text(&["b"]), None);
        assert_eq!(node.text(&["c"]), None);
        assert_eq!(node.text(&["d", "e"]), None);
        assert_eq!(node.number(&["c"]), None);
        assert_eq!(node.items(&["d"]).count(), 0);
    }

    #[test]
    fn reads_numbers_and_booleans_written_as_strings() {
        let doc = json!({"severity": "8.0", "archived": "true", "count": 3, "asn": -1});
        let node = Node(&doc);
        assert_eq!(node.number(&["severity"]), Some(8.0));
        assert_eq!(node.boolean(&["archived"]), Some(true));
        assert_eq!(node.number(&["count"]), Some(3.0));
        assert_eq!(node.string(&["asn"]).as_deref(), Some("-1"));
    }
}
