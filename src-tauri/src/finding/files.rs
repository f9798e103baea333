//! Reading findings from files and folders: JSON, JSON Lines, and gzipped JSON Lines (the S3
//! export writes `AWSLogs/<account>/GuardDuty/<region>/YYYY/MM/DD/<uuid>.jsonl.gz`).
//!
//! A file that cannot be read is reported and the others are still read: one broken object in
//! an export of thousands must not hide the rest.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use serde_json::Value;

use super::parse::{Parsed, read_document};

/// The largest file read, compressed or not; larger ones are skipped with a message.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// The most decompressed bytes read from one `.gz` file.
const MAX_DECOMPRESSED_BYTES: u64 = 4 << 30;

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
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => collect_folder(&path, found, out),
            Ok(_) if is_findings_file(&path) && path.is_file() => found.push(path),
            _ => {}
        }
    }
}

/// Reads one file, whatever its name: `.gz` is decompressed, `.jsonl` is read line by line,
/// anything else as a sequence of JSON documents.
pub fn read_file(path: &Path) -> Parsed {
    let source = path.display().to_string();
    let mut out = Parsed::default();
    let size = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(error) => {
            out.skip(&source, None, format!("cannot read the file: {error}"));
            return out;
        }
    };
    if size == 0 {
        out.skip(&source, None, "the file is empty");
        return out;
    }
    if size > MAX_FILE_BYTES {
        out.skip(
            &source,
            None,
            format!("the file is {size} bytes, over the limit of {MAX_FILE_BYTES}: split it"),
        );
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
        .unwrap_or_default()
        .to_lowercase();
    let (reader, inner_name): (Box<dyn Read>, &str) = match name.strip_suffix(".gz") {
        Some(inner) => (
            Box::new(MultiGzDecoder::new(file).take(MAX_DECOMPRESSED_BYTES)),
            inner,
        ),
        None => (Box::new(file), name.as_str()),
    };
    let reader = BufReader::new(reader);
    if inner_name.ends_with(".jsonl") || inner_name.ends_with(".ndjson") {
        read_lines(reader, &source, &mut out);
    } else {
        read_stream(reader, &source, &mut out);
    }
    out
}

/// JSON Lines: one document a line; a broken line is skipped and the next one read.
fn read_lines(reader: impl BufRead, source: &str, out: &mut Parsed) {
    let mut line_number: u32 = 0;
    for line in reader.split(b'\n') {
        line_number = line_number.saturating_add(1);
        let line = match line {
            Ok(line) => line,
            Err(error) => {
                out.skip(source, Some(line_number), read_error(&error));
                return;
            }
        };
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => read_document(&value, source, Some(line_number), out),
            Err(error) => out.skip(
                source,
                Some(line_number),
                format!("not valid JSON: {}", json_error(&error)),
            ),
        }
    }
}

/// A file of one or more JSON documents, one after another.
fn read_stream(mut reader: impl Read, source: &str, out: &mut Parsed) {
    let mut bytes = Vec::new();
    if let Err(error) = reader.read_to_end(&mut bytes) {
        out.skip(source, None, read_error(&error));
        if bytes.is_empty() {
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
                read_document(&value, source, Some(line), out);
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
            match text.rfind(" at line ") {
                Some(at) => text[..at].to_owned(),
                None => text,
            }
        }
    }
}

fn read_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            "the compressed file ends too early (truncated download?); lines before it were read"
                .to_owned()
        }
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => {
            format!("cannot decompress the file: {error}")
        }
        _ => format!("cannot read the file: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
