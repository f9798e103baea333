//! The CSV export: one row per finding, RFC 4180, UTF-8, CRLF.
//!
//! The first 21 columns are a contract (later features may only append). Several values in one
//! cell are joined with `; ` in the same order across columns. A cell that a spreadsheet would
//! run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`: finding
//! text is written by attackers, and a CSV is opened in Excel.

use std::io::{self, Write};

use crate::catalog;
use crate::finding::Finding;
use crate::time;

/// The fixed columns, in order.
pub const COLUMNS: [&str; 21] = [
    "account_id",
    "region",
    "instance_id",
    "instance_name",
    "finding_type",
    "severity",
    "severity_label",
    "indicator_kind",
    "indicator",
    "remote_port",
    "threat_list",
    "event_count",
    "first_seen",
    "last_seen",
    "updated_at",
    "archived",
    "title",
    "finding_id",
    "finding_doc_url",
    "remediation_url",
    "console_url",
];

/// Whether to start the file with a UTF-8 byte-order mark (Excel wants one to read UTF-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bom {
    /// Plain UTF-8.
    Without,
    /// UTF-8 with a byte-order mark.
    With,
}

/// Writes `findings` as CSV to `out`; returns the number of rows written.
///
/// # Errors
///
/// Whatever writing to `out` fails with.
pub fn write<'a>(
    out: &mut dyn Write,
    findings: impl IntoIterator<Item = &'a Finding>,
    bom: Bom,
) -> io::Result<usize> {
    if bom == Bom::With {
        out.write_all(b"\xef\xbb\xbf")?;
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(COLUMNS)?;
    let mut rows = 0;
    for finding in findings {
        writer.write_record(
            row(finding)
                .iter()
                .map(|cell| neutralise(cell).into_owned()),
        )?;
        rows += 1;
    }
    writer.flush()?;
    Ok(rows)
}

/// The cells of one finding, before neutralisation.
fn row(f: &Finding) -> [String; 21] {
    let instance = f.instance.as_ref();
    let text = |value: Option<&String>| value.cloned().unwrap_or_default();
    let when = |at: Option<chrono::DateTime<chrono::Utc>>| at.as_ref().map(time::format);
    let join = |parts: Vec<String>| {
        // A cell of only empty parts (no indicator has a port) stays empty.
        if parts.iter().all(String::is_empty) {
            String::new()
        } else {
            parts.join("; ")
        }
    };
    let entry = catalog::lookup(&f.finding_type);
    [
        text(f.account_id.as_ref()),
        text(f.region.as_ref()),
        instance.map(|i| i.id.clone()).unwrap_or_default(),
        text(instance.and_then(|i| i.name.as_ref())),
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
        when(f.first_seen()).unwrap_or_default(),
        when(f.last_seen()).unwrap_or_default(),
        when(f.updated_at).unwrap_or_default(),
        f.archived.to_string(),
        text(f.title.as_ref()),
        f.id.clone(),
        entry
            .map(|t| t.doc_url_in(f.region.as_deref()))
            .unwrap_or_default(),
        catalog::remediation_url_in(f.region.as_deref()),
        f.region
            .as_deref()
            .and_then(|r| catalog::console_url(r, &f.id))
            .unwrap_or_default(),
    ]
}

/// Prefixes `'` to a cell a spreadsheet would read as a formula; leaves others unchanged.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Indicator, IndicatorKind, Instance};

    fn sample() -> Finding {
        Finding {
            id: "f1".into(),
            finding_type: "Trojan:EC2/DropPoint".into(),
            account_id: Some("123456789012".into()),
            region: Some("us-east-1".into()),
            title: Some("=HYPERLINK(\"http://x\")".into()),
            severity: Some(5.0),
            created_at: time::parse_text("2026-12-01T00:00:00Z"),
            updated_at: time::parse_text("2026-12-02T10:00:00.250Z"),
            event_first_seen: None,
            event_last_seen: None,
            event_count: Some(3),
            archived: false,
            sample: false,
            instance: Some(Instance {
                id: "i-1".into(),
                name: Some("web, \"front\"".into()),
                ..Instance::default()
            }),
            indicators: vec![
                Indicator {
                    kind: IndicatorKind::Ip,
                    value: "203.0.113.7".into(),
                    port: Some(443),
                },
                Indicator {
                    kind: IndicatorKind::Domain,
                    value: "x.example".into(),
                    port: None,
                },
            ],
            threat_lists: vec!["ProofPoint".into(), "Custom".into()],
        }
    }

    fn export(findings: &[Finding], bom: Bom) -> String {
        let mut out = Vec::new();
        write(&mut out, findings, bom).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_the_contract_header_and_one_crlf_row_per_finding() {
        let text = export(&[sample()], Bom::Without);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], COLUMNS.join(","));
        assert_eq!(lines.len(), 3, "{text:?}");
        assert_eq!(lines[2], "");
        assert_eq!(
            lines[1],
            "123456789012,us-east-1,i-1,\"web, \"\"front\"\"\",Trojan:EC2/DropPoint,5.0,Medium,\
             ip; domain,203.0.113.7; x.example,443; ,ProofPoint; Custom,3,2026-12-01T00:00:00Z,\
             2026-12-02T10:00:00.250Z,2026-12-02T10:00:00.250Z,false,\
             \"'=HYPERLINK(\"\"http://x\"\")\",f1,\
             https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html\
             #trojan-ec2-droppoint,https://docs.aws.amazon.com/guardduty/latest/ug/compromised-ec2.html,\
             https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?fId=f1"
        );
    }

    #[test]
    fn neutralises_every_formula_prefix_and_nothing_else() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
        for cell in ["", "1", "a=b", " =1", "'quoted", "2001:db8::1"] {
            assert_eq!(neutralise(cell), cell);
        }
    }

    #[test]
    fn leaves_unknown_values_empty() {
        let mut finding = sample();
        finding.severity = None;
        finding.instance = None;
        finding.indicators.clear();
        finding.region = None;
        let text = export(&[finding], Bom::Without);
        let row: Vec<String> = csv::Reader::from_reader(text.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(row[2], "");
        assert_eq!(row[5], "");
        assert_eq!(row[6], "Unknown");
        assert_eq!(row[9], "");
        assert_eq!(row[20], "");
    }

    #[test]
    fn starts_with_a_byte_order_mark_only_when_asked() {
        assert!(export(&[], Bom::With).starts_with('\u{feff}'));
        assert!(export(&[], Bom::Without).starts_with("account_id,"));
    }
}
