//! The CSV writer on any findings: read back with an RFC 4180 reader, every value comes back,
//! with exactly one leading `'` on cells that start with `=`, `+`, `-`, `@`, tab or CR, and
//! nothing else changed.

#![no_main]

use chrono::{DateTime, TimeZone, Utc};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use threat_review::catalog::FINDING_TYPES;
use threat_review::export::csv::Bom;
use threat_review::finding::{Finding, Indicator, IndicatorKind, Instance};

/// A string, often led by a character that matters to a spreadsheet or to CSV quoting, so the
/// fuzzer meets them early.
#[derive(Arbitrary, Debug)]
struct Text {
    lead: Option<Lead>,
    body: String,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Lead {
    Equals,
    Plus,
    Minus,
    At,
    Tab,
    CarriageReturn,
    LineFeed,
    Quote,
    DoubleQuote,
    Comma,
    Space,
    ByteOrderMark,
}

impl Text {
    fn into_string(self) -> String {
        let lead = self.lead.map(|lead| match lead {
            Lead::Equals => '=',
            Lead::Plus => '+',
            Lead::Minus => '-',
            Lead::At => '@',
            Lead::Tab => '\t',
            Lead::CarriageReturn => '\r',
            Lead::LineFeed => '\n',
            Lead::Quote => '\'',
            Lead::DoubleQuote => '"',
            Lead::Comma => ',',
            Lead::Space => ' ',
            Lead::ByteOrderMark => '\u{feff}',
        });
        lead.into_iter().chain(self.body.chars()).collect()
    }
}

#[derive(Arbitrary, Debug)]
enum Type {
    /// One of the ten, so the documentation column is filled.
    Catalog(u8),
    Other(Text),
}

#[derive(Arbitrary, Debug)]
struct InstanceInput {
    id: Text,
    name: Option<Text>,
}

#[derive(Arbitrary, Debug)]
struct IndicatorInput {
    domain: bool,
    value: Text,
    port: Option<u16>,
}

#[derive(Arbitrary, Debug)]
struct FindingInput {
    id: Text,
    finding_type: Type,
    account_id: Option<Text>,
    region: Option<Text>,
    title: Option<Text>,
    severity: Option<f64>,
    /// Milliseconds since the epoch: created, updated, first seen, last seen.
    times: [Option<i64>; 4],
    event_count: Option<u64>,
    archived: bool,
    sample: bool,
    instance: Option<InstanceInput>,
    indicators: Vec<IndicatorInput>,
    threat_lists: Vec<Text>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    findings: Vec<FindingInput>,
    bom: bool,
}

fn time(millis: Option<i64>) -> Option<DateTime<Utc>> {
    Utc.timestamp_millis_opt(millis?).single()
}

impl FindingInput {
    fn into_finding(self) -> Finding {
        let [created, updated, first, last] = self.times;
        Finding {
            id: self.id.into_string(),
            finding_type: match self.finding_type {
                Type::Catalog(n) => FINDING_TYPES[usize::from(n) % FINDING_TYPES.len()]
                    .name
                    .to_owned(),
                Type::Other(text) => text.into_string(),
            },
            account_id: self.account_id.map(Text::into_string),
            region: self.region.map(Text::into_string),
            title: self.title.map(Text::into_string),
            severity: self.severity,
            created_at: time(created),
            updated_at: time(updated),
            event_first_seen: time(first),
            event_last_seen: time(last),
            event_count: self.event_count,
            archived: self.archived,
            sample: self.sample,
            instance: self.instance.map(|i| Instance {
                id: i.id.into_string(),
                name: i.name.map(Text::into_string),
                ..Instance::default()
            }),
            indicators: self
                .indicators
                .into_iter()
                .map(|i| Indicator {
                    kind: if i.domain {
                        IndicatorKind::Domain
                    } else {
                        IndicatorKind::Ip
                    },
                    value: i.value.into_string(),
                    port: i.port,
                })
                .collect(),
            threat_lists: self
                .threat_lists
                .into_iter()
                .map(Text::into_string)
                .collect(),
        }
    }
}

fuzz_target!(|input: Input| {
    let findings: Vec<Finding> = input
        .findings
        .into_iter()
        .map(FindingInput::into_finding)
        .collect();
    let bom = if input.bom { Bom::With } else { Bom::Without };
    threat_review_fuzz::check_csv(&findings, bom);
});
