//! Reading findings from files and folders: JSON, JSON Lines, and gzipped JSON Lines (the S3
//! export writes `AWSLogs/<account>/GuardDuty/<region>/YYYY/MM/DD/<uuid>.jsonl.gz`).
//!
//! A file that cannot be read is reported and the others are still read: one broken object in
//! an export of thousands must not hide the rest. A file may also have been made to hurt the
//! reader, so each one is read within [`Limits`]: a file too large, a `.gz` that decompresses
//! to too much (a gzip bomb), a JSON Lines record too long, or a document nested too deep is
//! stopped with a message instead of exhausting memory or the stack.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use serde_json::Value;

use super::parse::{Parsed, SkipBudget, read_document_within};

mod bounded;

use bounded::{Capped, human, next_line, over_limit};

/// The largest file read, compressed or not; larger ones are skipped with a message. A JSON
/// document (`.json`, `.json.gz`) is held in memory whole, so it may not decompress to more
/// than this either.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// The most bytes one gzipped JSON Lines file is decompressed to. Its lines are read one at a
/// time, so this bounds the time a gzip bomb can take, not memory.
pub const MAX_DECOMPRESSED_BYTES: u64 = 4 << 30;

/// The longest JSON Lines record read; a finding is a few KB, so a longer line is skipped.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// The most skipped records one file lists; the others are counted in one last entry.
pub const MAX_LISTED_SKIPS: usize = 1000;

/// The limits one file is read within; [`Limits::DEFAULT`] for every import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest file, and the most a JSON document (`.json`, `.json.gz`) decompresses to.
    pub file_bytes: u64,
    /// The most a gzipped JSON Lines file decompresses to.
    pub decompressed_bytes: u64,
    /// The longest JSON Lines record.
    pub line_bytes: usize,
    /// The most skipped records listed for one file.
    pub listed_skips: usize,
}

impl Limits {
    /// The limits of every import: [`MAX_FILE_BYTES`], [`MAX_DECOMPRESSED_BYTES`],
    /// [`MAX_LINE_BYTES`] and [`MAX_LISTED_SKIPS`].
    pub const DEFAULT: Limits = Limits {
        file_bytes: MAX_FILE_BYTES,
        decompressed_bytes: MAX_DECOMPRESSED_BYTES,
        line_bytes: MAX_LINE_BYTES,
        listed_skips: MAX_LISTED_SKIPS,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Why an import could not start at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A path the analyst named does not exist.
    #[error("{0} does not exist: check the path")]
    NotFound(PathBuf),
}

/// Reads every finding in `paths`: files of any name, and folders searched recursively for
/// `*.json`, `*.jsonl` and `*.jsonl.gz`.
///
/// # Errors
///
/// [`ImportError::NotFound`] when a named path does not exist; unreadable files and records are
/// reported in [`Parsed::skipped`] instead.
pub fn read_paths(paths: &[PathBuf]) -> Result<Parsed, ImportError> {
    if let Some(missing) = paths.iter().find(|p| std::fs::symlink_metadata(p).is_err()) {
        return Err(ImportError::NotFound(missing.clone()));
    }
    let mut out = Parsed::default();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            collect_folder(path, &mut found, &mut out);
            found.sort();
            for file in found {
                out.append(read_file(&file));
            }
        } else {
            out.append(read_file(path));
        }
    }
    Ok(out)
}

/// Whether a file in a folder looks like findings.
fn is_findings_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_lowercase();
    [".json", ".jsonl", ".jsonl.gz", ".json.gz"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

fn collect_folder(folder: &Path, found: &mut Vec<PathBuf>, out: &mut Parsed) {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) => {
            out.skip(
                &folder.display().to_string(),
                None,
                format!("cannot read the folder: {error}"),
            );
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Symbolic links to folders are not followed, so a link loop cannot hang the import.
        // Anything else named like findings is read or reported: a FIFO or a dangling link
        // says why it was not read rather than vanishing.
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => collect_folder(&path, found, out),
            Ok(_) if is_findings_file(&path) => found.push(path),
            _ => {}
        }
    }
}

/// Reads one file, whatever its name: `.gz` is decompressed, `.jsonl` is read line by line,
/// anything else as a sequence of JSON documents; within [`Limits::DEFAULT`].
pub fn read_file(path: &Path) -> Parsed {
    read_file_within(path, &Limits::DEFAULT)
}

/// Reads one file as [`read_file`] does, within `limits`.
pub fn read_file_within(path: &Path, limits: &Limits) -> Parsed {
    let source = path.display().to_string();
    let mut out = Parsed::default();
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(error) => {
            out.skip(&source, None, format!("cannot read the file: {error}"));
            return out;
        }
    };
    // A FIFO would block the import forever, and a device may never end: only files are read.
    if !meta.is_file() {
        out.skip(
            &source,
            None,
            "not a regular file (a folder, FIFO, socket or device): only files are read",
        );
        return out;
    }
    if let Some(reason) = size_problem(meta.len(), limits) {
        out.skip(&source, None, reason);
        return out;
    }
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) => {
            out.skip(&source, None, format!("cannot open the file: {error}"));
            return out;
        }
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    read_from(file, name, meta.len(), &source, limits, &mut out);
    out
}

/// Reads findings from bytes already in memory, as [`read_file_within`] reads a file named
/// `source`: its name decides the format.
pub fn read_bytes(source: &str, bytes: &[u8], limits: &Limits) -> Parsed {
    let mut out = Parsed::default();
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if let Some(reason) = size_problem(size, limits) {
        out.skip(source, None, reason);
        return out;
    }
    let name = Path::new(source)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    read_from(bytes, name, size, source, limits, &mut out);
    out
}

/// Why a file of `size` bytes is not read, if it is not.
fn size_problem(size: u64, limits: &Limits) -> Option<String> {
    if size == 0 {
        Some("the file is empty".to_owned())
    } else if size > limits.file_bytes {
        Some(format!(
            "the file is {size} bytes, over the limit of {}: split it",
            human(limits.file_bytes)
        ))
    } else {
        None
    }
}

/// Reads `size` bytes of a file called `name` from `reader`.
fn read_from(
    reader: impl Read,
    name: &str,
    size: u64,
    source: &str,
    limits: &Limits,
    out: &mut Parsed,
) {
    let name = name.to_lowercase();
    let (compressed, inner_name) = match name.strip_suffix(".gz") {
        Some(inner) => (true, inner),
        None => (false, name.as_str()),
    };
    let lines = inner_name.ends_with(".jsonl") || inner_name.ends_with(".ndjson");
    // Every reader is capped, so a file that grows while it is read is held to the limit too.
    let (most, over) = match (compressed, lines) {
        (true, true) => (
            limits.decompressed_bytes,
            format!(
                "the file decompresses to more than {} (a gzip bomb?): reading stopped there, \
                 the lines before were read",
                human(limits.decompressed_bytes)
            ),
        ),
        (true, false) => (
            limits.file_bytes,
            format!(
                "the file decompresses to more than {}, and a JSON document is read whole: \
                 split it, or export JSON Lines",
                human(limits.file_bytes)
            ),
        ),
        (false, _) => (
            limits.file_bytes,
            format!(
                "the file grew past {} while it was read: split it",
                human(limits.file_bytes)
            ),
        ),
    };
    let reader: Box<dyn Read> = if compressed {
        Box::new(Capped::new(MultiGzDecoder::new(reader), most, over))
    } else {
        Box::new(Capped::new(reader, most, over))
    };
    let mut budget = SkipBudget::new(limits.listed_skips);
    if lines {
        read_lines(BufReader::new(reader), source, limits, &mut budget, out);
    } else {
        let capacity = if compressed { 0 } else { size };
        read_stream(reader, capacity, source, &mut budget, out);
    }
    if budget.unlisted() > 0 {
        out.skip(
            source,
            None,
            format!(
                "{} more records could not be read; only the first {} are listed",
                budget.unlisted(),
                limits.listed_skips
            ),
        );
    }
}

/// JSON Lines: one document a line; a broken or over-long line is skipped and the next one read.
fn read_lines(
    mut reader: impl BufRead,
    source: &str,
    limits: &Limits,
    budget: &mut SkipBudget,
    out: &mut Parsed,
) {
    let mut line = Vec::new();
    let mut number: u32 = 0;
    loop {
        number = number.saturating_add(1);
        let length = match next_line(&mut reader, &mut line, limits.line_bytes) {
            Ok(Some(length)) => length,
            Ok(None) => return,
            Err(error) => {
                out.skip(source, Some(number), read_error(&error));
                return;
            }
        };
        if length > limits.line_bytes as u64 {
            budget.skip(out, source, Some(number), || {
                format!(
                    "line {number} is over {}: it is {length} bytes, and a finding is a few KB",
                    human(limits.line_bytes as u64)
                )
            });
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => read_document_within(&value, source, Some(number), out, budget),
            Err(error) => budget.skip(out, source, Some(number), || {
                format!("not valid JSON: {}", json_error(&error))
            }),
        }
    }
}

/// A file of one or more JSON documents, one after another, read whole into memory (at most
/// the file limit: the reader is capped).
fn read_stream(
    mut reader: impl Read,
    size: u64,
    source: &str,
    budget: &mut SkipBudget,
    out: &mut Parsed,
) {
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    if let Err(error) = reader.read_to_end(&mut bytes) {
        out.skip(source, None, read_error(&error));
        // A truncated download still holds the documents before the cut; a file over the limit
        // is not read at all, because its end is not known.
        if bytes.is_empty() || over_limit(&error).is_some() {
            return;
        }
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        out.skip(source, None, "the file holds only white space");
        return;
    }
    let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<Value>();
    let mut line: u32 = 1;
    let mut counted_to = 0;
    while let Some(next) = stream.next() {
        match next {
            Ok(value) => {
                read_document_within(&value, source, Some(line), out, budget);
                let end = stream.byte_offset();
                line = line.saturating_add(newlines(&bytes[counted_to..end]));
                counted_to = end;
                let rest = &bytes[end..];
                let blank = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
                line = line.saturating_add(newlines(&rest[..blank]));
                counted_to += blank;
            }
            Err(error) => {
                let at = u32::try_from(error.line()).ok().filter(|l| *l > 0);
                out.skip(
                    source,
                    at,
                    format!("not valid JSON: {}", json_error(&error)),
                );
                return;
            }
        }
    }
}

fn newlines(bytes: &[u8]) -> u32 {
    u32::try_from(bytes.iter().filter(|b| **b == b'\n').count()).unwrap_or(u32::MAX)
}

fn json_error(error: &serde_json::Error) -> String {
    match error.classify() {
        serde_json::error::Category::Eof => "the document ends too early (truncated?)".to_owned(),
        _ => {
            // serde_json appends " at line L column C"; the line is reported on its own.
            let text = error.to_string();
            let text = match text.rfind(" at line ") {
                Some(at) => &text[..at],
                None => &text,
            };
            if text == "recursion limit exceeded" {
                "nested more than 128 levels deep, which no finding is".to_owned()
            } else {
                text.to_owned()
            }
        }
    }
}

fn read_error(error: &io::Error) -> String {
    if let Some(over) = over_limit(error) {
        return over.to_string();
    }
    match error.kind() {
        io::ErrorKind::UnexpectedEof => {
            "the compressed file ends too early (truncated download?); lines before it were read"
                .to_owned()
        }
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
            format!("cannot decompress the file: {error}")
        }
        _ => format!("cannot read the file: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Skipped;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    const FINDING: &str = r#"{"id":"f1","type":"Trojan:EC2/DropPoint","severity":5}"#;

    fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    fn gzip(content: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(content).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn reads_jsonl_and_reports_the_broken_line_by_number() {
        let dir = tempfile::tempdir().unwrap();
        let body = format!("{FINDING}\n\n{{broken\n{}\n", FINDING.replace("f1", "f2"));
        let out = read_file(&write(dir.path(), "x.jsonl", body.as_bytes()));
        let ids: Vec<&str> = out.findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["f1", "f2"]);
        assert_eq!(out.skipped.len(), 1);
        assert_eq!(out.skipped[0].line, Some(3));
        assert!(
            out.skipped[0].reason.starts_with("not valid JSON"),
            "{:?}",
            out.skipped
        );
    }

    #[test]
    fn reads_gzipped_jsonl_and_keeps_lines_before_a_truncation() {
        let dir = tempfile::tempdir().unwrap();
        let mut body = String::new();
        for i in 0..200 {
            body.push_str(&FINDING.replace("f1", &format!("f{i}")));
            body.push('\n');
        }
        let whole = gzip(body.as_bytes());
        let out = read_file(&write(dir.path(), "a.jsonl.gz", &whole));
        assert_eq!(out.findings.len(), 200);
        assert_eq!(out.skipped, []);

        let cut = read_file(&write(dir.path(), "b.jsonl.gz", &whole[..whole.len() / 2]));
        assert!(
            !cut.findings.is_empty() && cut.findings.len() < 200,
            "{}",
            cut.findings.len()
        );
        assert_eq!(cut.skipped.len(), 1);
        assert!(
            cut.skipped[0].reason.contains("ends too early"),
            "{:?}",
            cut.skipped
        );
    }

    #[test]
    fn numbers_the_lines_of_concatenated_documents() {
        let dir = tempfile::tempdir().unwrap();
        let body = format!(
            "\n{FINDING}\n\n{}\n{{\"nothing\": 1}}",
            FINDING.replace("f1", "f2")
        );
        let out = read_file(&write(dir.path(), "c.json", body.as_bytes()));
        assert_eq!(out.findings.len(), 2);
        assert_eq!(out.skipped[0].line, Some(5));
    }

    #[test]
    fn skips_empty_and_blank_files_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let empty = read_file(&write(dir.path(), "e.json", b""));
        assert_eq!(empty.skipped[0].reason, "the file is empty");
        let blank = read_file(&write(dir.path(), "b.json", b" \n "));
        assert_eq!(blank.skipped[0].reason, "the file holds only white space");
    }

    #[test]
    fn reads_folders_recursively_in_name_order_and_ignores_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "AWSLogs/1/GuardDuty/eu-west-1/2026/12/01/b.jsonl.gz",
            &gzip(FINDING.as_bytes()),
        );
        write(
            root,
            "AWSLogs/1/GuardDuty/eu-west-1/2026/12/01/a.json",
            FINDING.replace("f1", "f0").as_bytes(),
        );
        write(root, "notes.txt", b"not findings");
        write(root, "bad.json", b"{");
        let out = read_paths(&[root.to_path_buf()]).unwrap();
        let ids: Vec<&str> = out.findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["f0", "f1"]);
        assert_eq!(out.skipped.len(), 1);
        assert!(out.skipped[0].source.ends_with("bad.json"));
    }

    #[test]
    fn refuses_a_path_that_does_not_exist() {
        let error = read_paths(&[PathBuf::from("/nonexistent/threat-review")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "/nonexistent/threat-review does not exist: check the path"
        );
    }

    /// Small limits, so the tests reach each one with a few KB.
    fn small() -> Limits {
        Limits {
            file_bytes: 64 << 10,
            decompressed_bytes: 256 << 10,
            line_bytes: 256,
            listed_skips: 3,
        }
    }

    /// `members` copies of one gzip member of `size` zeros: a bomb that costs little to build,
    /// since the decoder reads concatenated members as one stream.
    fn bomb(size: usize, members: usize) -> Vec<u8> {
        gzip(&vec![0; size]).repeat(members)
    }

    #[test]
    fn skips_a_line_over_the_line_limit_and_reads_the_lines_around_it() {
        let long = format!("{{\"id\":\"{}\",\"type\":\"t\"}}", "x".repeat(1000));
        let body = format!("{FINDING}\n{long}\n{}\n", FINDING.replace("f1", "f2"));
        let out = read_bytes("x.jsonl", body.as_bytes(), &small());
        let ids: Vec<&str> = out.findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["f1", "f2"]);
        assert_eq!(
            out.skipped,
            [Skipped {
                source: "x.jsonl".into(),
                line: Some(2),
                reason: "line 2 is over 256 bytes: it is 1020 bytes, and a finding is a few KB"
                    .into(),
            }]
        );
    }

    #[test]
    fn keeps_a_line_of_exactly_the_line_limit() {
        let line = format!("{FINDING}{}", " ".repeat(256 - FINDING.len()));
        let out = read_bytes("x.jsonl", line.as_bytes(), &small());
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.skipped, []);
    }

    #[test]
    fn stops_a_gzip_bomb_at_the_decompressed_limit_and_keeps_the_lines_before_it() {
        // A finding, then 64 members of 64 KiB of zeros: 4 MiB, sixteen times the limit.
        let mut bytes = gzip(format!("{FINDING}\n").as_bytes());
        bytes.extend(bomb(64 << 10, 64));
        assert!(bytes.len() < 16 << 10, "the bomb is small: {}", bytes.len());
        let out = read_bytes("bomb.jsonl.gz", &bytes, &small());
        assert_eq!(out.findings.len(), 1);
        assert_eq!(
            out.skipped,
            [Skipped {
                source: "bomb.jsonl.gz".into(),
                line: Some(2),
                reason: "the file decompresses to more than 256 KiB (a gzip bomb?): reading \
                         stopped there, the lines before were read"
                    .into(),
            }]
        );
    }

    #[test]
    fn stops_a_gzipped_document_at_the_file_limit_because_it_is_read_whole() {
        let out = read_bytes("bomb.json.gz", &bomb(64 << 10, 4), &small());
        assert_eq!(out.findings, []);
        let reasons: Vec<&str> = out.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "the file decompresses to more than 64 KiB, and a JSON document is read whole: \
              split it, or export JSON Lines"
            ]
        );
    }

    #[test]
    fn reads_a_gzipped_file_of_exactly_the_decompressed_limit() {
        let line = format!("{FINDING}{}\n", " ".repeat(255 - FINDING.len()));
        let bytes = gzip(line.repeat(1024).as_bytes());
        let out = read_bytes("full.jsonl.gz", &bytes, &small());
        assert_eq!(out.findings.len(), 1024);
        assert_eq!(out.skipped, []);
    }

    #[test]
    fn refuses_a_file_over_the_file_limit_before_reading_it() {
        let out = read_bytes("big.json", &vec![b' '; (64 << 10) + 1], &small());
        assert_eq!(
            out.skipped[0].reason,
            "the file is 65537 bytes, over the limit of 64 KiB: split it"
        );
    }

    #[test]
    fn reports_deep_nesting_as_a_skipped_record_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        for name in ["deep.json", "deep.jsonl"] {
            let limits = Limits {
                line_bytes: 1 << 20,
                file_bytes: 1 << 20,
                ..small()
            };
            let out = read_bytes(name, deep.as_bytes(), &limits);
            assert_eq!(
                out.skipped,
                [Skipped {
                    source: name.into(),
                    line: Some(1),
                    reason: "not valid JSON: nested more than 128 levels deep, which no finding is"
                        .into(),
                }],
                "{name}"
            );
        }
    }

    #[test]
    fn lists_the_first_skipped_records_of_a_file_and_counts_the_rest() {
        let many = format!("[{}]", ["0"; 10].join(","));
        let out = read_bytes("zeros.json", many.as_bytes(), &small());
        let reasons: Vec<&str> = out.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "[0]: is a number, not a finding document",
                "[1]: is a number, not a finding document",
                "[2]: is a number, not a finding document",
                "7 more records could not be read; only the first 3 are listed",
            ]
        );
        let lines = "{\n".repeat(5);
        let out = read_bytes("broken.jsonl", lines.as_bytes(), &small());
        let last = out.skipped.last().unwrap();
        assert_eq!(out.skipped.len(), 4);
        assert_eq!(
            last.reason,
            "2 more records could not be read; only the first 3 are listed"
        );
    }

    #[cfg(unix)]
    #[test]
    fn reports_a_fifo_named_like_findings_instead_of_waiting_on_it() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        write(dir.path(), "good.json", FINDING.as_bytes());
        let out = read_paths(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.skipped.len(), 1);
        assert!(out.skipped[0].source.ends_with("pipe.json"));
        assert_eq!(
            out.skipped[0].reason,
            "not a regular file (a folder, FIFO, socket or device): only files are read"
        );
    }
}
