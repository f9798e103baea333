//! Reading fixture files into the finding objects the emulator serves.
//!
//! Tests keep findings in files in the shapes they are found in: a GetFindings response
//! (`{"findings": [...]}`), a single finding, a JSON array of findings, or one finding per line
//! (`.jsonl`). For convenience an EventBridge envelope is unwrapped (its `detail`, with the
//! envelope's `region` kept as a hint for a detail without one) and a finding written with
//! PascalCase keys (the AWS CLI's form) gets its keys' first letters lowered, which is the
//! camelCase form GetFindings returns for every EC2 field. Older exports flatten
//! `service.additionalInfo` (`{"sample": true, ...}`); the service sends those keys inside the
//! JSON string `value`, so they are folded back into it. A record without a string `id` is an
//! error: the emulator could not serve it.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::{Map, Value};

/// A finding read from a file, with the region its envelope named, if any.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Loaded {
    /// The finding, with camelCase keys.
    pub finding: Value,
    /// The `region` of an EventBridge envelope around the finding.
    pub envelope_region: Option<String>,
}

/// Reads every finding in one file.
pub(crate) fn read_file(path: &Path) -> anyhow::Result<Vec<Loaded>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read fixture file {}", path.display()))?;
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let is_lines = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("jsonl"));
    let mut findings = Vec::new();
    if is_lines {
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let document: Value = serde_json::from_str(line)
                .with_context(|| format!("{} line {}: not JSON", path.display(), number + 1))?;
            collect(document, None, &mut findings)
                .with_context(|| format!("{} line {}", path.display(), number + 1))?;
        }
    } else {
        let document: Value =
            serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
        collect(document, None, &mut findings).with_context(|| path.display().to_string())?;
    }
    Ok(findings)
}

/// Every `*.json` and `*.jsonl` file under `dir`, recursively, in name order (hidden files and
/// folders left out).
pub(crate) fn fixture_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = std::fs::read_dir(&folder)
            .with_context(|| format!("cannot read fixture folder {}", folder.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", folder.display()))?;
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| {
                ext.eq_ignore_ascii_case("json") || ext.eq_ignore_ascii_case("jsonl")
            }) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Adds the findings a JSON document holds to `into`; `region` is the region of an enclosing
/// envelope.
pub(crate) fn collect(
    document: Value,
    region: Option<&str>,
    into: &mut Vec<Loaded>,
) -> anyhow::Result<()> {
    match document {
        Value::Array(items) => {
            for (index, item) in items.into_iter().enumerate() {
                collect(item, region, into).with_context(|| format!("element {index}"))?;
            }
            Ok(())
        }
        Value::Object(mut object) => {
            for key in ["findings", "Findings"] {
                if let Some(list) = object.remove(key) {
                    return collect(list, region, into);
                }
            }
            let is_finding = object.contains_key("id") || object.contains_key("Id");
            if !is_finding && let Some(detail) = object.remove("detail") {
                let envelope_region = object.get("region").and_then(Value::as_str).or(region);
                return collect(detail, envelope_region, into).context("EventBridge detail");
            }
            let finding = if !object.contains_key("id") && object.contains_key("Id") {
                lower_first_letters(Value::Object(object))
            } else {
                Value::Object(object)
            };
            if !finding.get("id").is_some_and(Value::is_string) {
                bail!("a finding needs a string \"id\"");
            }
            let finding = fold_additional_info(finding);
            into.push(Loaded {
                finding,
                envelope_region: region.map(str::to_owned),
            });
            Ok(())
        }
        other => {
            bail!("expected a finding, a list of findings or {{\"findings\": [...]}}, got {other}")
        }
    }
}

/// Moves flattened `service.additionalInfo` keys into its `value` JSON string, as the service
/// sends it; `type` stays beside `value`.
fn fold_additional_info(mut finding: Value) -> Value {
    let Some(info) = finding
        .get_mut("service")
        .and_then(|service| service.get_mut("additionalInfo"))
        .and_then(Value::as_object_mut)
    else {
        return finding;
    };
    let flattened: Vec<String> = info
        .keys()
        .filter(|key| *key != "value" && *key != "type")
        .cloned()
        .collect();
    if flattened.is_empty() {
        return finding;
    }
    let mut value = info
        .get("value")
        .and_then(Value::as_str)
        .and_then(|text| serde_json::from_str::<Map<String, Value>>(text).ok())
        .unwrap_or_default();
    for key in flattened {
        if let Some(moved) = info.remove(&key) {
            value.insert(key, moved);
        }
    }
    info.insert(
        "value".to_owned(),
        Value::String(Value::Object(value).to_string()),
    );
    finding
}

/// `{"Id": .., "Resource": {"InstanceDetails": ..}}` to `{"id": .., "resource": {..}}`.
fn lower_first_letters(value: Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .into_iter()
                .map(|(key, value)| {
                    let mut chars = key.chars();
                    let key = match chars.next() {
                        Some(first) => first.to_lowercase().chain(chars).collect(),
                        None => key,
                    };
                    (key, lower_first_letters(value))
                })
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(lower_first_letters).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn collected(document: Value) -> anyhow::Result<Vec<Value>> {
        let mut findings = Vec::new();
        collect(document, None, &mut findings)?;
        Ok(findings.into_iter().map(|loaded| loaded.finding).collect())
    }

    #[test]
    fn folds_flattened_additional_info_into_the_value_string_as_the_service_sends_it() {
        let document = json!({"id": "a", "service": {"additionalInfo": {
            "threatListName": "List", "sample": true, "type": "default",
            "value": "{\"unusual\":1}"}}});
        let found = collected(document).unwrap();
        let info = &found[0]["service"]["additionalInfo"];
        assert_eq!(info["type"], "default");
        assert!(info.get("sample").is_none());
        let value: Value = serde_json::from_str(info["value"].as_str().unwrap()).unwrap();
        assert_eq!(
            value,
            json!({"unusual": 1, "threatListName": "List", "sample": true})
        );
    }

    #[test]
    fn reads_a_response_a_single_finding_and_an_array() {
        let one = json!({"id": "a", "type": "t"});
        assert_eq!(
            collected(json!({"findings": [one.clone(), {"id": "b"}]}))
                .map(|f| f.len())
                .ok(),
            Some(2)
        );
        assert_eq!(collected(one.clone()).ok(), Some(vec![one.clone()]));
        assert_eq!(
            collected(json!([one.clone(), {"findings": [{"id": "c"}]}]))
                .map(|f| f.len())
                .ok(),
            Some(2)
        );
        assert_eq!(
            collected(json!({"findings": []})).map(|f| f.len()).ok(),
            Some(0)
        );
    }

    #[test]
    fn unwraps_eventbridge_and_lowers_pascal_case_keys() {
        let event = json!({
            "detail-type": "GuardDuty Finding",
            "source": "aws.guardduty",
            "detail": {"Id": "x", "Region": "us-east-1", "Service": {"Archived": false}}
        });
        let findings = collected(event).expect("an EventBridge event");
        assert_eq!(
            findings,
            [json!({"id": "x", "region": "us-east-1", "service": {"archived": false}})]
        );
    }

    #[test]
    fn a_partial_envelope_lends_its_region_to_a_detail_without_one() -> anyhow::Result<()> {
        let mut loaded = Vec::new();
        let envelope = json!({"region": "eu-west-2", "detail": {"id": "x", "type": "t"}});
        collect(envelope, Some("us-east-1"), &mut loaded)?;
        assert_eq!(loaded.len(), 1);
        assert_eq!(loaded[0].envelope_region.as_deref(), Some("eu-west-2"));
        Ok(())
    }

    #[test]
    fn a_record_without_an_id_is_an_error_that_says_where() {
        let error =
            collected(json!({"findings": [{"id": "a"}, {"type": "t"}]})).expect_err("no id");
        let text = format!("{error:#}");
        assert!(
            text.contains("element 1") && text.contains("\"id\""),
            "{text}"
        );
        assert!(collected(json!("text")).is_err());
    }

    #[test]
    fn reads_json_and_jsonl_files_from_a_folder_tree() -> anyhow::Result<()> {
        let dir = std::env::temp_dir().join(format!("gd-emulator-load-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("nested"))?;
        std::fs::write(dir.join("a.json"), r#"{"findings": [{"id": "a"}]}"#)?;
        std::fs::write(
            dir.join("nested/b.jsonl"),
            "{\"id\": \"b\"}\n\n{\"id\": \"c\"}\n",
        )?;
        std::fs::write(dir.join("empty.json"), "")?;
        std::fs::write(dir.join("notes.txt"), "not a fixture")?;
        let files = fixture_files(&dir)?;
        let mut ids = Vec::new();
        for file in &files {
            ids.extend(
                read_file(file)?
                    .into_iter()
                    .filter_map(|l| l.finding["id"].as_str().map(String::from)),
            );
        }
        std::fs::remove_dir_all(&dir)?;
        assert_eq!(files.len(), 3);
        assert_eq!(ids, ["a", "b", "c"]);
        Ok(())
    }
}
