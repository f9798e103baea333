//! What the fuzz targets check, in one place: the CSV property, and that every output of a
//! review of whatever the parser read is well formed.
//!
//! A check that fails panics, which is a crash to libFuzzer: it keeps the input in
//! `fuzz/artifacts/<target>/`, and the input becomes a regression test in
//! `tests/hostile_input.rs`.

use std::collections::BTreeSet;

use threat_review::catalog;
use threat_review::export::csv::{Bom, COLUMNS};
use threat_review::export::{csv as csv_export, json, summary};
use threat_review::finding::{Finding, Parsed};
use threat_review::review::{Review, Scope};
use threat_review::time;

/// The rule of ARCHITECTURE.md: a cell that starts with `=`, `+`, `-`, `@`, tab or CR gets one
/// leading `'`, and nothing else changes. Written here again so that the writer is checked
/// against the rule, not against itself.
pub fn neutralised(raw: &str) -> String {
    match raw.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{raw}"),
        _ => raw.to_owned(),
    }
}

/// The raw value of every column of one finding, as ARCHITECTURE.md defines it; the console
/// link (the last column) is checked apart.
fn expected_cells(f: &Finding) -> Vec<String> {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let when = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.as_ref().map(time::format).unwrap_or_default()
    };
    // Several values in one cell are joined with "; "; a cell of only empty parts stays empty.
    let join = |parts: Vec<String>| {
        if parts.iter().all(String::is_empty) {
            String::new()
        } else {
            parts.join("; ")
        }
    };
    let instance = f.instance.as_ref();
    vec![
        text(&f.account_id),
        text(&f.region),
        instance.map(|i| i.id.clone()).unwrap_or_default(),
        instance.and_then(|i| i.name.clone()).unwrap_or_default(),
        f.finding_type.clone(),
        f.severity.map(|s| format!("{s:.1}")).unwrap_or_default(),
        f.severity_label().as_str().to_owned(),
        join(
            f.indicators
                .iter()
                .map(|i| i.kind.as_str().to_owned())
                .collect(),
        ),
        join(f.indicators.iter().map(|i| i.value.clone()).collect()),
        join(
            f.indicators
                .iter()
                .map(|i| i.port.map(|p| p.to_string()).unwrap_or_default())
                .collect(),
        ),
        f.threat_lists.join("; "),
        f.event_count.map(|c| c.to_string()).unwrap_or_default(),
        when(f.first_seen()),
        when(f.last_seen()),
        when(f.updated_at),
        f.archived.to_string(),
        text(&f.title),
        f.id.clone(),
        catalog::lookup(&f.finding_type)
            .map(|t| t.doc_url())
            .unwrap_or_default(),
        catalog::REMEDIATION_URL.to_owned(),
    ]
}

/// Writes `findings` as CSV and reads it back with the `csv` crate (RFC 4180): the header is
/// the contract, there is one row per finding, and every cell is its value with exactly the
/// neutralisation rule applied.
///
/// # Panics
///
/// When the property does not hold.
pub fn check_csv<'a>(findings: impl IntoIterator<Item = &'a Finding> + Clone, bom: Bom) {
    let mut out = Vec::new();
    let rows = csv_export::write(&mut out, findings.clone(), bom).expect("writing to memory");
    let text = String::from_utf8(out).expect("the CSV is UTF-8");
    let body = match bom {
        Bom::With => text.strip_prefix('\u{feff}').expect("the byte-order mark"),
        Bom::Without => text.as_str(),
    };
    let records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .expect("the CSV reads back");
    let findings: Vec<&Finding> = findings.into_iter().collect();
    assert_eq!(rows, findings.len());
    assert_eq!(records.len(), findings.len() + 1, "{body:?}");
    assert_eq!(records[0].iter().collect::<Vec<_>>(), COLUMNS);
    for (record, finding) in records[1..].iter().zip(&findings) {
        let cells: Vec<&str> = record.iter().collect();
        assert_eq!(cells.len(), COLUMNS.len());
        for (column, raw) in expected_cells(finding).iter().enumerate() {
            assert_eq!(
                cells[column],
                neutralised(raw),
                "column {} of finding {:?}",
                COLUMNS[column],
                finding.id
            );
        }
        check_console_link(cells[20], finding);
    }
}

/// The console link is only built from a region and id that look like AWS's.
fn check_console_link(cell: &str, f: &Finding) {
    let region = f.region.as_deref().unwrap_or_default();
    let region_ok = (1..=32).contains(&region.len())
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let id_ok = (1..=128).contains(&f.id.len())
        && f.id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if region_ok && id_ok {
        assert!(cell.starts_with("https://"), "{cell:?}");
        assert!(
            cell.ends_with(&format!("#/findings?fId={}", f.id)),
            "{cell:?}"
        );
    } else {
        assert_eq!(cell, "", "a link from region {region:?} and id {:?}", f.id);
    }
}

/// Builds a review of what was parsed and writes every output: the JSON is valid and carries
/// every finding id verbatim, the summary holds no control character but its line ends, and
/// the CSV keeps its property.
///
/// # Panics
///
/// When one of these does not hold.
pub fn check_outputs(parsed: Parsed) {
    for finding in &parsed.findings {
        assert!(!finding.id.trim().is_empty(), "a finding without an id");
        assert!(
            !finding.finding_type.trim().is_empty(),
            "a finding without a type"
        );
    }
    let review = Review::build(parsed.findings, Scope::AllTypes, parsed.skipped);

    let mut out = Vec::new();
    json::write(&mut out, &review, None).expect("writing to memory");
    let value: serde_json::Value = serde_json::from_slice(&out).expect("the JSON is valid");
    let mut ids = BTreeSet::new();
    for group in value["groups"].as_array().expect("groups") {
        for finding in group["findings"].as_array().expect("findings") {
            ids.insert(finding["id"].as_str().expect("id").to_owned());
        }
    }
    for finding in value["withoutInstance"]
        .as_array()
        .expect("withoutInstance")
    {
        ids.insert(finding["id"].as_str().expect("id").to_owned());
    }
    let expected: BTreeSet<String> = review.findings().iter().map(|f| f.id.clone()).collect();
    assert_eq!(ids, expected);

    let mut out = Vec::new();
    summary::write(&mut out, &review, None).expect("writing to memory");
    let text = String::from_utf8(out).expect("the summary is UTF-8");
    assert!(
        text.chars().all(|c| c == '\n' || !c.is_control()),
        "a control character reached the summary: {text:?}"
    );

    let ordered: Vec<&Finding> = review.findings_in_order().collect();
    check_csv(ordered.iter().copied(), Bom::Without);
}
