//! Hostile input and faults: files that are broken, unreadable, huge or made to hurt the reader,
//! and findings whose strings were written by an attacker. Nothing crashes, nothing readable is
//! lost, every skip names its file (and line), and every output keeps attacker text inert.
//!
//! The fuzzers in `fuzz/` (`make fuzz`) search for more such inputs; each one they find becomes
//! a test here, named after the fault it pins.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{csv_rows, finding_ids, fixture, json, run, threat_review};
use serde_json::Value;
use threat_review::catalog;
use threat_review::finding::files::{Limits, read_file_within};

const FINDING: &str = r#"{"id":"good","type":"Trojan:EC2/DropPoint","severity":5,
"resource":{"instanceDetails":{"instanceId":"i-0good"}}}"#;

/// Writes `content` to `name` under `dir`, making folders on the way.
fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    path
}

fn gzip(content: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(content).unwrap();
    encoder.finish().unwrap()
}

/// Runs the command, killing it (by its own pid) if it has not ended within a minute: a reader
/// that blocks must fail the test, not hang the suite.
fn run_within_a_minute(command: &mut Command) -> (i32, String, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the import did not end within a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    )
}

/// The `skipped` entries of `--json` output as (file name, line, reason).
fn skips(out: &Value) -> Vec<(String, Value, String)> {
    out["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            let source = s["source"].as_str().unwrap();
            let name = Path::new(source).file_name().unwrap().to_str().unwrap();
            (
                name.to_owned(),
                s["line"].clone(),
                s["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn running_as_root() -> bool {
    let id = Command::new("id").arg("-u").output().expect("id runs");
    String::from_utf8_lossy(&id.stdout).trim() == "0"
}

// Import errors: each bad file is named, the others are imported.

#[test]
fn a_folder_of_broken_files_names_each_one_and_imports_the_rest() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "good.json", FINDING.as_bytes());
    write(
        root,
        "prose.json",
        b"These are not the findings you are looking for.\n",
    );
    write(root, "binary.json", &[0xff, 0xfe, 0x00, 0x01, 0x9b, 0x1b]);
    write(root, "empty.jsonl", b"");
    write(
        root,
        "cloudtrail.json",
        br#"{"Records": [{"eventName": "ConsoleLogin"}]}"#,
    );
    write(root, "numbers.jsonl", b"1\n\"a string\"\nnull\n");
    let mut lines = String::new();
    for i in 0..100 {
        lines.push_str(
            &FINDING
                .replace('\n', "")
                .replace("good", &format!("cut{i}")),
        );
        lines.push('\n');
    }
    let whole = gzip(lines.as_bytes());
    write(root, "AWSLogs/cut.jsonl.gz", &whole[..whole.len() * 2 / 3]);

    let (code, stdout, stderr) = run(threat_review(home.path())
        .arg("import")
        .arg(root)
        .arg("--json"));
    assert_eq!(code, 3, "partial: {stderr}");
    let out = json(&stdout);
    let ids = finding_ids(&out);
    assert!(ids.contains(&"good".to_owned()), "{ids:?}");
    let cut_kept = ids.iter().filter(|id| id.starts_with("cut")).count();
    assert!(
        cut_kept > 0 && cut_kept < 100,
        "the lines before the cut are kept: {cut_kept}"
    );

    let skipped = skips(&out);
    let expect = |file: &str, line: Value, start: &str| {
        assert!(
            skipped
                .iter()
                .any(|(f, l, r)| f == file && *l == line && r.starts_with(start)),
            "no skip of {file}:{line} starting {start:?} in {skipped:#?}"
        );
    };
    expect("prose.json", 1.into(), "not valid JSON: expected value");
    expect("binary.json", 1.into(), "not valid JSON");
    expect("empty.jsonl", Value::Null, "the file is empty");
    expect("cloudtrail.json", 1.into(), "holds no GuardDuty finding");
    expect(
        "numbers.jsonl",
        1.into(),
        "is a number, not a finding document",
    );
    expect(
        "numbers.jsonl",
        2.into(),
        "is a string, not a finding document",
    );
    expect("numbers.jsonl", 3.into(), "is null, not a finding document");
    let cut_line = Value::from(cut_kept + 1);
    expect(
        "cut.jsonl.gz",
        cut_line,
        "the compressed file ends too early (truncated download?)",
    );
    assert_eq!(skipped.len(), 8, "{skipped:#?}");
    for (file, _, _) in &skipped {
        assert!(
            stderr.contains(file.as_str()),
            "stderr names {file}: {stderr}"
        );
    }
}

#[test]
fn exits_1_when_no_file_of_a_folder_could_be_read() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "prose.json", b"hello");
    write(dir.path(), "empty.json", b"");
    write(dir.path(), "cut.jsonl.gz", &gzip(FINDING.as_bytes())[..10]);
    let (code, stdout, stderr) = run(threat_review(home.path())
        .arg("import")
        .arg(dir.path())
        .arg("--json"));
    assert_eq!(code, 1, "{stderr}");
    let out = json(&stdout);
    assert_eq!(finding_ids(&out), Vec::<String>::new());
    assert_eq!(skips(&out).len(), 3);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_named_and_the_others_are_imported() {
    use std::os::unix::fs::PermissionsExt;

    // Root reads a file whatever its mode, so as root the permission case cannot be made;
    // the FIFO and dangling-link tests below cover unreadable files of other kinds.
    if running_as_root() {
        eprintln!("running as root, where chmod 000 does not stop reading: case not checked");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.json", FINDING.as_bytes());
    let locked = write(
        dir.path(),
        "locked.json",
        FINDING.replace("good", "x").as_bytes(),
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (code, stdout, stderr) = run(threat_review(home.path())
        .arg("import")
        .arg(dir.path())
        .arg("--json"));
    assert_eq!(code, 3, "{stderr}");
    let out = json(&stdout);
    assert_eq!(finding_ids(&out), ["good"]);
    let skipped = skips(&out);
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].0, "locked.json");
    assert!(
        skipped[0]
            .2
            .starts_with("cannot open the file: Permission denied"),
        "{skipped:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_findings_is_reported_not_waited_on() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.json", FINDING.as_bytes());
    let fifo = dir.path().join("pipe.jsonl");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());

    for target in [dir.path(), fifo.as_path()] {
        let (code, stdout, stderr) = run_within_a_minute(
            threat_review(home.path())
                .arg("import")
                .arg(target)
                .arg("--json"),
        );
        let out = json(&stdout);
        let expected_code = if target == fifo { 1 } else { 3 };
        assert_eq!(code, expected_code, "{stderr}");
        assert_eq!(
            skips(&out),
            [(
                "pipe.jsonl".to_owned(),
                Value::Null,
                "not a regular file (a folder, FIFO, socket or device): only files are read"
                    .to_owned()
            )]
        );
    }
}

#[cfg(unix)]
#[test]
fn a_dangling_link_named_like_findings_is_reported_not_dropped() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.json", FINDING.as_bytes());
    std::os::unix::fs::symlink(dir.path().join("gone.json"), dir.path().join("link.json")).unwrap();
    let (code, stdout, stderr) = run(threat_review(home.path())
        .arg("import")
        .arg(dir.path())
        .arg("--json"));
    assert_eq!(code, 3, "{stderr}");
    let out = json(&stdout);
    assert_eq!(finding_ids(&out), ["good"]);
    let skipped = skips(&out);
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0].0, "link.json");
    assert!(
        skipped[0]
            .2
            .starts_with("cannot read the file: No such file"),
        "{skipped:?}"
    );
}

// Deep and huge input: limits with clear messages, never a crash.

#[test]
fn deep_nesting_is_a_skipped_record_not_a_stack_overflow() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let deep = "[".repeat(100_000);
    write(dir.path(), "deep.json", deep.as_bytes());
    write(
        dir.path(),
        "deep.jsonl",
        format!("{}\n{deep}\n", FINDING.replace('\n', "")).as_bytes(),
    );
    let closed = format!("{}{}", "[".repeat(200), "]".repeat(200));
    write(dir.path(), "deep-but-closed.json", closed.as_bytes());
    let (code, stdout, stderr) = run(threat_review(home.path())
        .arg("import")
        .arg(dir.path())
        .arg("--json"));
    assert_eq!(code, 3, "{stderr}");
    let out = json(&stdout);
    assert_eq!(finding_ids(&out), ["good"]);
    let reason = "not valid JSON: nested more than 128 levels deep, which no finding is";
    assert_eq!(
        skips(&out),
        [
            (
                "deep-but-closed.json".to_owned(),
                1.into(),
                reason.to_owned()
            ),
            ("deep.json".to_owned(), 1.into(), reason.to_owned()),
            ("deep.jsonl".to_owned(), 2.into(), reason.to_owned()),
        ]
    );
}

#[test]
fn a_json_lines_record_over_16_mib_is_skipped_and_the_next_line_read() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let good = FINDING.replace('\n', "");
    let huge = format!(
        "{{\"id\":\"huge\",\"type\":\"Trojan:EC2/DropPoint\",\"title\":\"{}\"}}",
        "A".repeat(17 << 20)
    );
    let body = format!("{huge}\n{}\n", good.replace("good", "after"));
    // Gzipped, the 17 MiB line costs the test about 17 KB on disk.
    write(dir.path(), "huge-line.jsonl.gz", &gzip(body.as_bytes()));
    let (code, stdout, stderr) = run(threat_review(home.path())
        .arg("import")
        .arg(dir.path())
        .arg("--json"));
    assert_eq!(code, 3, "{stderr}");
    let out = json(&stdout);
    assert_eq!(finding_ids(&out), ["after"]);
    assert_eq!(
        skips(&out),
        [(
            "huge-line.jsonl.gz".to_owned(),
            1.into(),
            format!(
                "line 1 is over 16 MiB: it is {} bytes, and a finding is a few KB",
                huge.len()
            )
        )]
    );
    assert!(
        stderr.contains("huge-line.jsonl.gz:1: line 1 is over 16 MiB"),
        "{stderr}"
    );
}

#[test]
fn a_gzip_bomb_is_stopped_at_the_decompressed_limit_with_a_message() {
    // The real limit is 4 GiB; the same reader with a 1 MiB limit meets a bomb of 32 MiB of
    // zeros (32 copies of one gzip member) that is 33 KB on disk.
    let dir = tempfile::tempdir().unwrap();
    let member = gzip(&vec![0; 1 << 20]);
    let mut bomb = gzip(format!("{}\n", FINDING.replace('\n', "")).as_bytes());
    bomb.extend(member.repeat(32));
    let lines = write(dir.path(), "bomb.jsonl.gz", &bomb);
    let document = write(dir.path(), "bomb.json.gz", &member.repeat(32));
    let limits = Limits {
        decompressed_bytes: 1 << 20,
        file_bytes: 512 << 10,
        ..Limits::DEFAULT
    };

    let out = read_file_within(&lines, &limits);
    assert_eq!(out.findings.len(), 1, "the line before the bomb is kept");
    assert_eq!(out.skipped.len(), 1);
    assert_eq!(out.skipped[0].line, Some(2));
    assert_eq!(
        out.skipped[0].reason,
        "the file decompresses to more than 1 MiB (a gzip bomb?): reading stopped there, the \
         lines before were read"
    );

    let out = read_file_within(&document, &limits);
    assert_eq!(out.findings, []);
    assert_eq!(out.skipped.len(), 1);
    assert_eq!(
        out.skipped[0].reason,
        "the file decompresses to more than 512 KiB, and a JSON document is read whole: split \
         it, or export JSON Lines"
    );
}

#[test]
fn a_file_of_many_broken_records_lists_the_first_thousand_and_counts_the_rest() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let zeros = format!("[{}]", ["0"; 5000].join(","));
    write(dir.path(), "zeros.json", zeros.as_bytes());
    write(dir.path(), "good.json", FINDING.as_bytes());
    let (code, stdout, stderr) = run(threat_review(home.path())
        .arg("import")
        .arg(dir.path())
        .arg("--json"));
    assert_eq!(code, 3, "{stderr}");
    let out = json(&stdout);
    assert_eq!(finding_ids(&out), ["good"]);
    let skipped = skips(&out);
    assert_eq!(skipped.len(), 1001);
    assert_eq!(skipped[999].2, "[999]: is a number, not a finding document");
    assert_eq!(
        skipped[1000],
        (
            "zeros.json".to_owned(),
            Value::Null,
            "4000 more records could not be read; only the first 1000 are listed".to_owned()
        )
    );
}

// Attacker-controlled strings: CSV, JSON, summary and links.

/// The payloads that lead every string field of `hostile/formula-prefixes.json`, in order.
const PAYLOADS: [&str; 6] = [
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
];

/// The hostile fixtures, imported with `--all-types` and the given output flags.
fn import_hostile(output: &[&str]) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    run(threat_review(home.path())
        .arg("import")
        .arg(fixture("hostile"))
        .arg("--all-types")
        .args(output))
}

#[test]
fn csv_cells_of_formula_prefixed_fields_come_back_with_exactly_one_quote() {
    let (code, stdout, stderr) = import_hostile(&["--csv", "-"]);
    assert_eq!(code, 0, "{stderr}");
    let rows = csv_rows(&stdout);
    assert_eq!(
        rows.len(),
        1 + 7 + 8 + 1,
        "header, formulas, control characters, long"
    );
    for (n, payload) in PAYLOADS.iter().enumerate() {
        let id = format!("'{payload}-id");
        let row = rows
            .iter()
            .find(|r| r[17] == id)
            .unwrap_or_else(|| panic!("row {id:?}"));
        let quoted = |suffix: &str| format!("'{payload}{suffix}");
        assert_eq!(row[0], quoted("-account"));
        assert_eq!(row[1], quoted("-region"));
        assert_eq!(row[2], quoted("-instance"));
        assert_eq!(row[3], quoted(" name"));
        assert_eq!(row[16], quoted(" title"));
        assert_eq!(row[10], quoted(" list"));
        if n % 2 == 1 {
            assert_eq!(
                row[8],
                quoted(&format!(".evil.example; {payload}203.0.113.9"))
            );
            assert_eq!(row[7], "domain; ip");
        } else {
            assert_eq!(row[8], quoted(".evil.example"));
        }
        assert_eq!(
            row[20], "",
            "no console link from region and id {payload:?}"
        );
    }
    let formula_type = rows.iter().find(|r| r[17] == "formula-type").unwrap();
    assert_eq!(formula_type[4], "'=cmd|' /C calc'!A0");
    assert_eq!(
        formula_type[18], "",
        "no documentation link for an unknown type"
    );
}

#[test]
fn csv_cells_of_control_characters_and_markup_come_back_unchanged() {
    let (code, stdout, stderr) = import_hostile(&["--csv", "-"]);
    assert_eq!(code, 0, "{stderr}");
    let rows = csv_rows(&stdout);
    let row = |id: &str| {
        rows.iter()
            .find(|r| r[17] == id)
            .unwrap_or_else(|| panic!("row {id:?}"))
    };
    assert_eq!(row("ansi")[8], "evil\u{1b}[2J\u{1b}[31m.example");
    assert_eq!(row("ansi")[3], "\u{1b}]0;pwned\u{7}web");
    assert_eq!(row("ansi")[10], "list\u{1b}[0m");
    assert_eq!(row("nul")[16], "a\u{0}b");
    assert_eq!(row("nul")[3], "\u{0}");
    assert_eq!(row("nul")[8], "nul\u{0}.example; 198.51.100.\u{0}7");
    assert_eq!(
        row("c0-c1-del")[16],
        "back\u{8}\u{8}space\u{7f} and CSI \u{9b}31m"
    );
    assert_eq!(row("c0-c1-del")[3], "line1\r\nline2");
    assert_eq!(row("bidi")[16], "invoice\u{202e}fdp.exe");
    assert_eq!(row("bidi")[8], "\u{200b}paypal.example\u{feff}");
    assert_eq!(row("markup")[16], "<script>alert(document.cookie)</script>");
    assert_eq!(row("markup")[8], "\"><svg onload=alert(1)>.example");
    assert_eq!(row("unicode")[3], "\u{645}\u{62b}\u{627}\u{644}");

    let long = rows.iter().find(|r| r[17].starts_with("long-")).unwrap();
    assert_eq!(long[17].len(), 1000);
    assert_eq!(long[8].len(), 100_000);
    assert!(long[8].ends_with("a.example"));
    assert_eq!(long[16], "T".repeat(100_000));
    assert_eq!(long[3], "N".repeat(100_000));
    assert_eq!(long[10], "L".repeat(100_000));
    assert_eq!(
        long[20], "",
        "an id over 128 characters gets no console link"
    );
}

#[test]
fn json_output_is_valid_and_carries_hostile_strings_verbatim() {
    let (code, stdout, stderr) = import_hostile(&["--json"]);
    assert_eq!(code, 0, "{stderr}");
    let out = json(&stdout);
    let mut findings: Vec<&Value> = Vec::new();
    for group in out["groups"].as_array().unwrap() {
        findings.extend(group["findings"].as_array().unwrap());
    }
    findings.extend(out["withoutInstance"].as_array().unwrap());
    assert_eq!(findings.len(), 16);
    let finding = |id: &str| {
        *findings
            .iter()
            .find(|f| f["id"] == id)
            .unwrap_or_else(|| panic!("finding {id:?}"))
    };
    for (n, payload) in PAYLOADS.iter().enumerate() {
        let f = finding(&format!("{payload}-id"));
        assert_eq!(f["accountId"], format!("{payload}-account"));
        assert_eq!(f["region"], format!("{payload}-region"));
        assert_eq!(f["instanceId"], format!("{payload}-instance"));
        assert_eq!(f["instanceName"], format!("{payload} name"));
        assert_eq!(f["title"], format!("{payload} title"));
        assert_eq!(
            f["threatLists"],
            serde_json::json!([format!("{payload} list")])
        );
        let mut indicators = vec![format!("{payload}.evil.example")];
        if n % 2 == 1 {
            indicators.push(format!("{payload}203.0.113.9"));
        }
        assert_eq!(f["indicators"], serde_json::json!(indicators));
        assert_eq!(f["consoleUrl"], Value::Null);
    }
    assert_eq!(finding("ansi")["instanceName"], "\u{1b}]0;pwned\u{7}web");
    assert_eq!(
        finding("ansi")["indicators"],
        serde_json::json!(["evil\u{1b}[2J\u{1b}[31m.example"])
    );
    assert_eq!(finding("nul")["title"], "a\u{0}b");
    assert_eq!(finding("c0-c1-del")["instanceName"], "line1\r\nline2");
    assert_eq!(finding("bidi")["title"], "invoice\u{202e}fdp.exe");
    assert_eq!(
        finding("markup")["title"],
        "<script>alert(document.cookie)</script>"
    );
    assert_eq!(
        finding("unicode")["title"],
        "\u{1f600} e\u{301} \u{645}\u{62b}\u{627}\u{644} \u{4f8b}"
    );
    assert_eq!(
        finding("hostile\u{1b}[0m-id")["accountId"],
        "4444\u{1b}[31m"
    );
    assert_eq!(finding("formula-type")["type"], "=cmd|' /C calc'!A0");
    // C0 characters travel as JSON escapes, so the raw output holds none but its line ends.
    assert!(
        stdout.chars().all(|c| c == '\n' || c >= ' '),
        "a raw C0 control character in the JSON output"
    );
}

#[test]
fn the_summary_escapes_control_characters_of_hostile_strings() {
    let (code, stdout, stderr) = import_hostile(&[]);
    assert_eq!(code, 0, "{stderr}");
    let raw: Vec<char> = stdout
        .chars()
        .filter(|c| *c != '\n' && c.is_control())
        .collect();
    assert_eq!(
        raw,
        Vec::<char>::new(),
        "control characters reached the terminal"
    );
    for escaped in [
        "(\\u{1b}]0;pwned\\u{7}web)",
        "evil\\u{1b}[2J\\u{1b}[31m.example",
        "(\\u{0})",
        "(line1\\r\\nline2)",
        "i-0hostile0000000g\\u{7}",
        "4444\\u{1b}[31m eu-west-1\\u{1b}[0m",
    ] {
        assert!(stdout.contains(escaped), "{escaped} not in {stdout}");
    }
}

#[test]
fn no_console_link_is_built_from_a_hostile_region_or_id() {
    let (code, stdout, stderr) = import_hostile(&["--csv", "-"]);
    assert_eq!(code, 0, "{stderr}");
    let rows = csv_rows(&stdout);
    let links: Vec<(&str, &str)> = rows[1..]
        .iter()
        .filter(|r| !r[20].is_empty())
        .map(|r| (r[17].as_str(), r[20].as_str()))
        .collect();
    // Only the findings whose region and id both look like AWS's get a link.
    let linked: Vec<&str> = links.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        linked.len(),
        [
            "formula-type",
            "ansi",
            "nul",
            "c0-c1-del",
            "bidi",
            "markup",
            "unicode"
        ]
        .len(),
        "{linked:?}"
    );
    for (id, link) in &links {
        assert_eq!(
            *link,
            format!(
                "https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1\
                 #/findings?fId={id}"
            )
        );
    }
    for (region, id) in [
        ("eu-west-1\u{1b}[0m", "abc"),
        ("eu-west-1.evil.example/x?", "abc"),
        ("eu-west-1", "../../etc/passwd"),
        ("eu-west-1", "hostile\u{1b}[0m-id"),
        ("=1+1", "abc"),
        ("eu-west-1", "a#b"),
        ("EU-WEST-1", "abc"),
        ("", "abc"),
        ("eu-west-1", ""),
        ("eu-west-1\u{202e}", "abc"),
    ] {
        assert_eq!(catalog::console_url(region, id), None, "{region:?} {id:?}");
    }
    assert_eq!(catalog::console_url("eu-west-1", &"a".repeat(129)), None);
}
