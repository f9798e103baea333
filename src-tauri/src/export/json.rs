//! The `--json` output: one object with the groups, the findings without an instance, what was
//! left out, and (for a pull) how each region went.

use std::io::{self, Write};

use serde::Serialize;

use crate::aws::RegionReport;
use crate::finding::Skipped;
use crate::review::{FindingView, GroupView, Review};

/// The object `--json` prints.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewJson<'a> {
    /// One per instance, worst first, each with its findings.
    pub groups: Vec<GroupView>,
    /// The findings that name no instance.
    pub without_instance: Vec<FindingView>,
    /// Findings left out because of their type; `None` on a pull.
    pub out_of_scope: Option<usize>,
    /// Records and files that could not be read.
    pub skipped: &'a [Skipped],
    /// How each region went (pull only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regions: Option<&'a [RegionReport]>,
}

impl<'a> ReviewJson<'a> {
    /// The JSON view of `review`, with the region reports of a pull.
    pub fn of(review: &'a Review, regions: Option<&'a [RegionReport]>) -> ReviewJson<'a> {
        ReviewJson {
            groups: review
                .groups()
                .iter()
                .map(|g| GroupView::of(review, g))
                .collect(),
            without_instance: review.without_instance().map(FindingView::of).collect(),
            out_of_scope: review.out_of_scope,
            skipped: &review.skipped,
            regions,
        }
    }
}

/// Writes the JSON view of `review` to `out`, pretty-printed, with a final newline.
///
/// # Errors
///
/// Whatever writing to `out` fails with.
pub fn write(
    out: &mut dyn Write,
    review: &Review,
    regions: Option<&[RegionReport]>,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &ReviewJson::of(review, regions))?;
    out.write_all(b"\n")
}
