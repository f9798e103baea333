//! The readable summary the command line prints by default.
//!
//! Finding strings reach a terminal here, so control characters are escaped: a domain holding
//! an escape sequence must not be able to rewrite the analyst's screen.

use std::io::{self, Write};

use crate::aws::{RegionReport, RegionStatus};
use crate::review::{GroupSummary, Review};

/// Writes one line per instance group, then the findings without an instance and the region
/// statuses.
///
/// # Errors
///
/// Whatever writing to `out` fails with.
pub fn write(
    out: &mut dyn Write,
    review: &Review,
    regions: Option<&[RegionReport]>,
) -> io::Result<()> {
    if review.all_samples() {
        writeln!(
            out,
            "SAMPLE DATA: these are sample findings, not your account's."
        )?;
    }
    for group in review.groups() {
        let g = GroupSummary::of(review, group);
        let name = g
            .instance_name
            .as_deref()
            .map(|n| format!(" ({})", printable(n)))
            .unwrap_or_default();
        let more = match g.indicators.len() {
            0 => String::new(),
            1 => format!("  {}", printable(&g.indicators[0])),
            n => format!("  {} +{}", printable(&g.indicators[0]), n - 1),
        };
        writeln!(
            out,
            "{:<8} {:>4.1}  {}{}  {} {}  {} finding{}{}",
            g.severity_label.as_str().to_uppercase(),
            g.max_severity,
            printable(&g.instance_id),
            name,
            printable(g.account_id.as_deref().unwrap_or("-")),
            printable(g.region.as_deref().unwrap_or("-")),
            g.finding_count,
            if g.finding_count == 1 { "" } else { "s" },
            more,
        )?;
    }
    let groups = review.groups().len();
    let without = review.without_instance_count();
    writeln!(
        out,
        "{} finding{} on {} instance{}{}",
        review.findings().len(),
        if review.findings().len() == 1 {
            ""
        } else {
            "s"
        },
        groups,
        if groups == 1 { "" } else { "s" },
        if without > 0 {
            format!("; {without} without an instance")
        } else {
            String::new()
        },
    )?;
    if let Some(skipped) = review.out_of_scope.filter(|n| *n > 0) {
        writeln!(
            out,
            "{skipped} finding(s) of other types left out (--all-types keeps them)"
        )?;
    }
    for region in regions.unwrap_or_default() {
        let status = match region.status {
            RegionStatus::Ok => format!("ok, {} findings", region.findings),
            RegionStatus::NoDetector => "GuardDuty is not enabled (no detector)".to_owned(),
            other => format!("{other:?}").to_lowercase(),
        };
        let error = region
            .error
            .as_deref()
            .map(|e| format!(": {e}"))
            .unwrap_or_default();
        let profile = region
            .profile
            .as_deref()
            .map(|p| format!("{} ", printable(p)))
            .unwrap_or_default();
        writeln!(
            out,
            "{profile}{}: {status}{}",
            region.region,
            printable(&error)
        )?;
    }
    Ok(())
}

/// `text` with control characters and invisible formatting characters (bidirectional
/// overrides, zero-width characters) escaped, for a terminal.
pub fn printable(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if needs_escape(c) {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Control characters, and the invisible ones that can reorder or hide what a line says.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}')
        || c == '\u{FEFF}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_control_sequences() {
        assert_eq!(printable("evil\u{1b}[2J.example"), "evil\\u{1b}[2J.example");
        assert_eq!(printable("a\nb\tc"), "a\\nb\\tc");
        assert_eq!(printable("exe.\u{202e}fdp"), "exe.\\u{202e}fdp");
        assert_eq!(printable("a\u{200b}b"), "a\\u{200b}b");
        assert_eq!(printable("plain.example"), "plain.example");
    }
}
