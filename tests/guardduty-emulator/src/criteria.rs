//! ListFindings' `findingCriteria` and `sortCriteria`, evaluated against finding JSON.
//!
//! The product's promise is that filtering happens on the server. For tests to prove that, the
//! emulator has to filter the way the service does: any attribute path, string lists compared
//! against the value as text (booleans as `"true"`/`"false"`), numbers compared as numbers and
//! times as epoch milliseconds, with both the current operator names and the older aliases.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use crate::time::parse_iso_millis;

/// One operator of a condition, with its operand.
#[derive(Debug, Clone, PartialEq)]
enum Operator {
    /// `equals` / `eq`: some value equals one of the strings.
    Equals(Vec<String>),
    /// `notEquals` / `neq`: no value equals any of the strings.
    NotEquals(Vec<String>),
    /// `matches`: some value matches one of the `*` patterns.
    Matches(Vec<String>),
    /// `notMatches`: no value matches any of the `*` patterns.
    NotMatches(Vec<String>),
    /// `greaterThan` / `gt`.
    GreaterThan(f64),
    /// `greaterThanOrEqual` / `gte`.
    GreaterThanOrEqual(f64),
    /// `lessThan` / `lt`.
    LessThan(f64),
    /// `lessThanOrEqual` / `lte`.
    LessThanOrEqual(f64),
}

/// A parsed `findingCriteria`: every condition must hold for a finding to match.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Criteria {
    conditions: Vec<(String, Operator)>,
}

impl Criteria {
    /// Reads the `findingCriteria` member of a ListFindings body (`None` or `null`: no
    /// criteria, everything matches). The error says what is wrong, for a 400 response.
    pub fn from_request(finding_criteria: Option<&Value>) -> Result<Self, String> {
        let criterion = match finding_criteria {
            None | Some(Value::Null) => return Ok(Self::default()),
            Some(Value::Object(object)) => match object.get("criterion") {
                None | Some(Value::Null) => return Ok(Self::default()),
                Some(Value::Object(criterion)) => criterion,
                Some(_) => return Err("findingCriteria.criterion must be an object".into()),
            },
            Some(_) => return Err("findingCriteria must be an object".into()),
        };
        let mut conditions = Vec::new();
        for (attribute, condition) in criterion {
            let Value::Object(condition) = condition else {
                return Err(format!("the condition on '{attribute}' must be an object"));
            };
            for (name, operand) in condition {
                if operand.is_null() {
                    continue;
                }
                let operator = parse_operator(name, operand)
                    .map_err(|why| format!("the condition on '{attribute}': {why}"))?;
                conditions.push((attribute.clone(), operator));
            }
        }
        Ok(Self { conditions })
    }

    /// Whether `finding` satisfies every condition.
    pub fn matches(&self, finding: &Value) -> bool {
        self.conditions.iter().all(|(attribute, operator)| {
            let values = values_at(finding, attribute);
            evaluate(operator, &values)
        })
    }
}

fn parse_operator(name: &str, operand: &Value) -> Result<Operator, String> {
    let strings = || -> Result<Vec<String>, String> {
        let Value::Array(items) = operand else {
            return Err(format!("'{name}' takes a list of strings"));
        };
        items
            .iter()
            .map(|item| match item {
                Value::String(text) => Ok(text.clone()),
                _ => Err(format!("'{name}' takes a list of strings")),
            })
            .collect()
    };
    let number = || -> Result<f64, String> {
        match operand {
            Value::Number(number) if number.is_i64() || number.is_u64() => number
                .as_f64()
                .ok_or_else(|| format!("'{name}' is out of range")),
            _ => Err(format!("'{name}' takes an integer")),
        }
    };
    Ok(match name {
        "equals" | "eq" => Operator::Equals(strings()?),
        "notEquals" | "neq" => Operator::NotEquals(strings()?),
        "matches" => Operator::Matches(strings()?),
        "notMatches" => Operator::NotMatches(strings()?),
        "greaterThan" | "gt" => Operator::GreaterThan(number()?),
        "greaterThanOrEqual" | "gte" => Operator::GreaterThanOrEqual(number()?),
        "lessThan" | "lt" => Operator::LessThan(number()?),
        "lessThanOrEqual" | "lte" => Operator::LessThanOrEqual(number()?),
        other => return Err(format!("unknown operator '{other}'")),
    })
}

fn evaluate(operator: &Operator, values: &[&Value]) -> bool {
    let any_equal = |wanted: &[String]| {
        values
            .iter()
            .any(|value| wanted.iter().any(|text| value_equals(value, text)))
    };
    let any_match = |patterns: &[String]| {
        values
            .iter()
            .filter_map(|value| as_text(value))
            .any(|text| {
                patterns
                    .iter()
                    .any(|pattern| wildcard_match(pattern, &text))
            })
    };
    let any_number =
        |test: &dyn Fn(f64) -> bool| values.iter().filter_map(|value| as_number(value)).any(test);
    match operator {
        Operator::Equals(wanted) => any_equal(wanted),
        Operator::NotEquals(wanted) => !any_equal(wanted),
        Operator::Matches(patterns) => any_match(patterns),
        Operator::NotMatches(patterns) => !any_match(patterns),
        Operator::GreaterThan(bound) => any_number(&|n| n > *bound),
        Operator::GreaterThanOrEqual(bound) => any_number(&|n| n >= *bound),
        Operator::LessThan(bound) => any_number(&|n| n < *bound),
        Operator::LessThanOrEqual(bound) => any_number(&|n| n <= *bound),
    }
}

/// Every non-null value at a dotted path; arrays on the way (network interfaces, addresses)
/// contribute each of their elements.
pub(crate) fn values_at<'a>(finding: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut current = vec![finding];
    for key in path.split('.') {
        let mut next = Vec::new();
        for value in current {
            push_flattened(value.get(key), &mut next);
        }
        current = next;
    }
    current
}

fn push_flattened<'a>(value: Option<&'a Value>, into: &mut Vec<&'a Value>) {
    match value {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => items
            .iter()
            .for_each(|item| push_flattened(Some(item), into)),
        Some(value) => into.push(value),
    }
}

/// A scalar as the service compares it with a string operand.
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn value_equals(value: &Value, wanted: &str) -> bool {
    if as_text(value).as_deref() == Some(wanted) {
        return true;
    }
    // 8 and "8.0" are the same severity.
    match (value, wanted.parse::<f64>()) {
        (Value::Number(number), Ok(wanted)) => number.as_f64() == Some(wanted),
        _ => false,
    }
}

/// A value as a number: numbers as they are, ISO-8601 times as epoch milliseconds, numeric
/// text as its number.
fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => parse_iso_millis(text)
            .map(|millis| millis as f64)
            .or_else(|| text.trim().parse::<f64>().ok().filter(|n| n.is_finite())),
        _ => None,
    }
}

/// `*` matches any run of characters; everything else matches itself.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return pattern == text;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// A parsed `sortCriteria`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SortCriteria {
    /// The attribute path to sort by.
    pub attribute: String,
    /// `orderBy: DESC`.
    pub descending: bool,
}

impl SortCriteria {
    /// Reads the `sortCriteria` member of a request body (`None` when absent or without an
    /// attribute name).
    pub fn from_request(sort_criteria: Option<&Value>) -> Result<Option<Self>, String> {
        let object: &Map<String, Value> = match sort_criteria {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Object(object)) => object,
            Some(_) => return Err("sortCriteria must be an object".into()),
        };
        let attribute = match object.get("attributeName") {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::String(name)) if !name.is_empty() => name.clone(),
            Some(_) => return Err("sortCriteria.attributeName must be a non-empty string".into()),
        };
        let descending = match object.get("orderBy") {
            None | Some(Value::Null) => false,
            Some(Value::String(order)) if order == "ASC" => false,
            Some(Value::String(order)) if order == "DESC" => true,
            Some(other) => {
                return Err(format!("sortCriteria.orderBy must be ASC or DESC: {other}"));
            }
        };
        Ok(Some(Self {
            attribute,
            descending,
        }))
    }

    /// Orders `indices` (into `findings`) by the attribute; ties keep their current order.
    /// Findings without the attribute come first in ascending order, last in descending.
    pub fn sort(&self, findings: &[Value], indices: &mut [usize]) {
        let keys: Vec<Option<SortKey>> = indices
            .iter()
            .map(|&index| {
                values_at(&findings[index], &self.attribute)
                    .first()
                    .map(|v| key(v))
            })
            .collect();
        let mut order: Vec<usize> = (0..indices.len()).collect();
        order.sort_by(|&a, &b| {
            let ordering = compare_keys(&keys[a], &keys[b]);
            if self.descending {
                ordering.reverse()
            } else {
                ordering
            }
        });
        let sorted: Vec<usize> = order.iter().map(|&position| indices[position]).collect();
        indices.copy_from_slice(&sorted);
    }
}

#[derive(Debug, Clone, PartialEq)]
enum SortKey {
    Number(f64),
    Text(String),
}

fn key(value: &Value) -> SortKey {
    match as_number(value) {
        Some(number) => SortKey::Number(number),
        None => SortKey::Text(as_text(value).unwrap_or_default()),
    }
}

fn compare_keys(a: &Option<SortKey>, b: &Option<SortKey>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(SortKey::Number(a)), Some(SortKey::Number(b))) => a.total_cmp(b),
        (Some(SortKey::Number(_)), Some(SortKey::Text(_))) => Ordering::Less,
        (Some(SortKey::Text(_)), Some(SortKey::Number(_))) => Ordering::Greater,
        (Some(SortKey::Text(a)), Some(SortKey::Text(b))) => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn finding(id: &str, kind: &str, archived: bool, severity: f64, updated: &str) -> Value {
        json!({
            "id": id,
            "type": kind,
            "severity": severity,
            "updatedAt": updated,
            "service": {"archived": archived, "count": 3},
            "resource": {"instanceDetails": {
                "instanceId": format!("i-{id}"),
                "networkInterfaces": [{"publicIp": "198.51.100.1"}, {"publicIp": "198.51.100.2"}]
            }}
        })
    }

    fn criteria(criterion: Value) -> Criteria {
        Criteria::from_request(Some(&json!({ "criterion": criterion }))).expect("valid criteria")
    }

    #[test]
    fn filters_by_type_equals_and_archived_false() {
        let wanted = criteria(json!({
            "type": {"equals": ["Trojan:EC2/DropPoint!DNS", "Trojan:EC2/BlackholeTraffic"]},
            "service.archived": {"equals": ["false"]}
        }));
        let updated = "2024-01-01T00:00:00.000Z";
        assert!(wanted.matches(&finding(
            "a",
            "Trojan:EC2/DropPoint!DNS",
            false,
            5.0,
            updated
        )));
        assert!(!wanted.matches(&finding(
            "b",
            "Trojan:EC2/DropPoint!DNS",
            true,
            5.0,
            updated
        )));
        assert!(!wanted.matches(&finding("c", "Trojan:EC2/DropPoint", false, 5.0, updated)));
    }

    #[test]
    fn type_names_compare_exactly_and_case_sensitively() {
        let wanted = criteria(json!({"type": {"eq": ["Backdoor:EC2/C&CActivity.B!DNS"]}}));
        let updated = "2024-01-01T00:00:00Z";
        assert!(wanted.matches(&finding(
            "a",
            "Backdoor:EC2/C&CActivity.B!DNS",
            false,
            8.0,
            updated
        )));
        assert!(!wanted.matches(&finding(
            "b",
            "Backdoor:EC2/C&CActivity.B",
            false,
            8.0,
            updated
        )));
        assert!(!wanted.matches(&finding(
            "c",
            "backdoor:ec2/c&cactivity.b!dns",
            false,
            8.0,
            updated
        )));
    }

    #[test]
    fn not_equals_excludes_listed_values_and_keeps_findings_without_the_field() {
        let wanted = criteria(json!({"service.archived": {"neq": ["true"]}}));
        assert!(wanted.matches(&finding("a", "t", false, 5.0, "2024-01-01T00:00:00Z")));
        assert!(!wanted.matches(&finding("b", "t", true, 5.0, "2024-01-01T00:00:00Z")));
        assert!(wanted.matches(&json!({"id": "c", "type": "t"})));
    }

    #[test]
    fn updated_at_compares_as_epoch_millis() {
        let wanted = criteria(json!({"updatedAt": {"greaterThanOrEqual": 1_700_000_000_000_i64}}));
        assert!(wanted.matches(&finding("a", "t", false, 5.0, "2023-11-14T22:13:20.000Z")));
        assert!(!wanted.matches(&finding("b", "t", false, 5.0, "2023-11-14T22:13:19.999Z")));
        let older = criteria(json!({"updatedAt": {"lt": 1_700_000_000_000_i64}}));
        assert!(older.matches(&finding("c", "t", false, 5.0, "2023-11-14T22:13:19.999Z")));
    }

    #[test]
    fn a_time_that_is_not_iso_never_satisfies_a_numeric_condition() {
        let wanted = criteria(json!({"updatedAt": {"gt": 0}}));
        assert!(!wanted.matches(&finding("a", "t", false, 5.0, "last tuesday")));
    }

    #[test]
    fn severity_compares_as_a_number_with_every_operator() {
        let high = finding("a", "t", false, 7.5, "2024-01-01T00:00:00Z");
        let cases = [
            (json!({"severity": {"greaterThan": 7}}), true),
            (json!({"severity": {"gte": 8}}), false),
            (json!({"severity": {"lessThan": 8}}), true),
            (json!({"severity": {"lte": 7}}), false),
            (json!({"severity": {"equals": ["7.5"]}}), true),
            (
                json!({"severity": {"greaterThan": 4, "lessThan": 7}}),
                false,
            ),
        ];
        for (criterion, expected) in cases {
            assert_eq!(
                criteria(criterion.clone()).matches(&high),
                expected,
                "{criterion}"
            );
        }
    }

    #[test]
    fn integer_and_decimal_forms_of_a_number_are_equal() {
        let wanted = criteria(json!({"severity": {"equals": ["8"]}}));
        assert!(wanted.matches(&finding("a", "t", false, 8.0, "2024-01-01T00:00:00Z")));
    }

    #[test]
    fn nested_paths_reach_into_arrays() {
        let updated = "2024-01-01T00:00:00Z";
        let by_instance =
            criteria(json!({"resource.instanceDetails.instanceId": {"equals": ["i-a"]}}));
        assert!(by_instance.matches(&finding("a", "t", false, 5.0, updated)));
        assert!(!by_instance.matches(&finding("b", "t", false, 5.0, updated)));
        let by_ip = criteria(json!({
            "resource.instanceDetails.networkInterfaces.publicIp": {"equals": ["198.51.100.2"]}
        }));
        assert!(by_ip.matches(&finding("a", "t", false, 5.0, updated)));
    }

    #[test]
    fn matches_understands_star_wildcards() {
        let wanted = criteria(json!({"type": {"matches": ["Trojan:EC2/*!DNS"]}}));
        let updated = "2024-01-01T00:00:00Z";
        assert!(wanted.matches(&finding(
            "a",
            "Trojan:EC2/DropPoint!DNS",
            false,
            5.0,
            updated
        )));
        assert!(!wanted.matches(&finding("b", "Trojan:EC2/DropPoint", false, 5.0, updated)));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("a*b*c", "aXbYc"));
        assert!(!wildcard_match("a*b*c", "aXcYb"));
        assert!(!wildcard_match("ab*ba", "aba"));
    }

    #[test]
    fn no_criteria_matches_everything() {
        let everything = Criteria::from_request(None).expect("no criteria");
        assert!(everything.matches(&json!({})));
        let empty = Criteria::from_request(Some(&json!({"criterion": {}}))).expect("empty");
        assert!(empty.matches(&json!({"id": "x"})));
    }

    #[test]
    fn malformed_criteria_are_rejected_with_a_reason() {
        let cases = [
            json!({"criterion": {"type": {"equals": "Trojan"}}}),
            json!({"criterion": {"type": {"equals": [1]}}}),
            json!({"criterion": {"updatedAt": {"gt": "yesterday"}}}),
            json!({"criterion": {"updatedAt": {"gt": 1.5}}}),
            json!({"criterion": {"type": {"like": ["x"]}}}),
            json!({"criterion": {"type": ["x"]}}),
            json!({"criterion": []}),
            json!("type"),
        ];
        for case in cases {
            assert!(Criteria::from_request(Some(&case)).is_err(), "{case}");
        }
    }

    #[test]
    fn sorts_by_updated_at_descending_with_ties_in_original_order() {
        let findings = vec![
            finding("a", "t", false, 5.0, "2024-01-02T00:00:00.000Z"),
            finding("b", "t", false, 5.0, "2024-01-03T00:00:00.000Z"),
            finding("c", "t", false, 5.0, "2024-01-02T00:00:00.000Z"),
            json!({"id": "d"}),
        ];
        let sort = SortCriteria::from_request(Some(&json!({
            "attributeName": "updatedAt", "orderBy": "DESC"
        })))
        .expect("valid sort")
        .expect("a sort");
        let mut indices = vec![0, 1, 2, 3];
        sort.sort(&findings, &mut indices);
        assert_eq!(indices, [1, 0, 2, 3]);
    }

    #[test]
    fn sorts_by_severity_ascending_numerically() {
        let updated = "2024-01-01T00:00:00Z";
        let findings = vec![
            finding("a", "t", false, 10.0, updated),
            finding("b", "t", false, 2.0, updated),
            finding("c", "t", false, 8.0, updated),
        ];
        let sort = SortCriteria {
            attribute: "severity".into(),
            descending: false,
        };
        let mut indices = vec![0, 1, 2];
        sort.sort(&findings, &mut indices);
        assert_eq!(indices, [1, 2, 0]);
    }

    #[test]
    fn sort_order_must_be_asc_or_desc() {
        let bad = json!({"attributeName": "severity", "orderBy": "UP"});
        assert!(SortCriteria::from_request(Some(&bad)).is_err());
        let none = SortCriteria::from_request(Some(&json!({}))).expect("no attribute");
        assert_eq!(none, None);
    }
}
