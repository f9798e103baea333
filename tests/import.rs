//! `threat-review import`, `sample` and `--version` through the real binary: the JSON and CSV
//! contracts of ARCHITECTURE.md on the project's own fixtures.

mod common;

use std::io::Write;

use common::{csv_rows, finding_ids, fixture, json, run, threat_review};
use serde_json::Value;

const C2: &str = "Backdoor:EC2/C&CActivity.B!DNS";
const DROP: &str = "Trojan:EC2/DropPoint";

#[test]
fn imports_a_folder_of_every_format_into_the_json_contract() {
    let home = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(threat_review(home.path())
        .arg("import")
        .arg(fixture("findings"))
        .arg("--json"));
    assert_eq!(code, 0, "{stderr}");
    let out = json(&stdout);

    let order: Vec<&str> = out["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["instanceId"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            "i-0fixture00000000a", // 8.0, last seen 29 Nov
            "i-0fixture00000000d", // 8.0, 27 Nov (EventBridge, PascalCase)
            "i-0fixture00000000e", // 8.0, 24 Nov (a !DNS type carrying a port probe)
            "i-0fixture00000000b", // 8.0, 23 Nov (archived DGA kept and marked)
            "i-0fixture0000000aa", // 8.0, 19 Nov (hostile strings)
            "i-0fixture00000000c", // 5.0 (CLI, PascalCase)
            "i-0fixture00000000f", // no severity at all
        ]
    );

    let first = &out["groups"][0];
    assert_eq!(first["accountId"], "444455556666");
    assert_eq!(first["region"], "eu-west-1");
    assert_eq!(first["instanceName"], "payments-api");
    assert_eq!(first["findingCount"], 2);
    assert_eq!(first["eventCount"], 44);
    assert_eq!(first["maxSeverity"], 8.0);
    assert_eq!(first["severityLabel"], "High");
    assert_eq!(first["firstSeen"], "2026-11-20T07:59:00Z");
    assert_eq!(first["lastSeen"], "2026-11-29T10:15:00Z");
    assert_eq!(first["types"], serde_json::json!([C2, DROP]));
    assert_eq!(
        first["indicators"],
        serde_json::json!(["203.0.113.50", "c2.fixture-bad.example"])
    );
    let finding = &first["findings"][0];
    assert_eq!(finding["id"], "a1c2");
    assert_eq!(finding["type"], C2);
    assert_eq!(finding["severity"], 8.0);
    assert_eq!(finding["severityLabel"], "High");
    assert_eq!(
        finding["indicators"],
        serde_json::json!(["c2.fixture-bad.example"])
    );
    assert_eq!(finding["updatedAt"], "2026-11-29T10:15:30.120Z");
    assert_eq!(finding["archived"], false);
    assert_eq!(finding["sample"], false);
    assert_eq!(first["findings"][1]["id"], "a1c3");
    assert_eq!(first["findings"][1]["indicatorDetails"][0]["port"], 443);

    let eventbridge = &out["groups"][1];
    assert_eq!(
        eventbridge["accountId"], "777788889999",
        "account from the envelope"
    );
    assert_eq!(
        eventbridge["region"], "us-west-2",
        "region from the envelope"
    );

    let mismatch = &out["groups"][2]["findings"][0];
    assert_eq!(
        mismatch["indicators"],
        serde_json::json!(["198.51.100.7", "198.51.100.8"])
    );

    let archived = &out["groups"][3]["findings"];
    assert!(
        archived
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["archived"] == true)
    );

    let nulls = &out["groups"][6];
    assert_eq!(nulls["severityLabel"], "Unknown");
    assert_eq!(nulls["instanceName"], Value::Null);
    assert_eq!(
        nulls["indicators"],
        serde_json::json!(["xxx.xx.xx.xx"]),
        "redacted stays text"
    );

    assert_eq!(out["withoutInstance"][0]["id"], "g1b2");
    assert_eq!(out["outOfScope"], 1, "the port probe of another type");
    assert_eq!(out["skipped"], serde_json::json!([]));
    assert!(out.get("regions").is_none(), "regions belong to pulls");
    assert_eq!(finding_ids(&out).len(), 12);
}

#[test]
fn reads_an_s3_export_tree_and_keeps_the_latest_copy_of_each_finding() {
    let home = tempfile::tempdir().unwrap();
    let tree = tempfile::tempdir().unwrap();
    let folder = tree
        .path()
        .join("AWSLogs/444455556666/GuardDuty/eu-west-1/2026/11/30");
    std::fs::create_dir_all(&folder).unwrap();
    let lines = std::fs::read(fixture("s3-export-lines.jsonl")).unwrap();
    let file = std::fs::File::create(folder.join("5c1b7d0e-8f9a-4b3c-a2d1-0e9f8a7b6c5d.jsonl.gz"))
        .unwrap();
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    gz.write_all(&lines).unwrap();
    gz.finish().unwrap();

    let (code, stdout, stderr) = run(threat_review(home.path())
        .arg("import")
        .arg(tree.path())
        .arg("--json"));
    assert_eq!(code, 0, "{stderr}");
    let out = json(&stdout);
    assert_eq!(finding_ids(&out), ["a1c2", "h3c4"]);
    let a1c2 = &out["groups"][0]["findings"][0];
    assert_eq!(a1c2["updatedAt"], "2026-11-30T10:00:00Z");
    assert_eq!(a1c2["eventCount"], 57);
}

#[test]
fn reports_each_broken_file_and_line_and_keeps_the_rest() {
    let home = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(threat_review(home.path())
        .arg("import")
        .arg(fixture("broken"))
        .arg("--json"));
    assert_eq!(code, 3, "partial: {stderr}");
    let out = json(&stdout);
    assert_eq!(finding_ids(&out), ["k1"]);
    let skipped: Vec<(String, Value, String)> = out["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let file = s["source"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned();
            (
                file,
                s["line"].clone(),
                s["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expect = |file: &str, line: Value, start: &str| {
        assert!(
            skipped
                .iter()
                .any(|(f, l, r)| f == file && *l == line && r.starts_with(start)),
            "no skip of {file}:{line} starting {start:?} in {skipped:#?}"
        );
    };
    expect("empty.json", Value::Null, "the file is empty");
    expect("not-findings.json", 1.into(), "holds no GuardDuty finding");
    expect(
        "truncated.json",
        1.into(),
        "not valid JSON: the document ends too early",
    );
    expect("partly-broken.jsonl", 2.into(), "not valid JSON");
    expect("partly-broken.jsonl", 3.into(), "the finding has no \"id\"");
    assert_eq!(skipped.len(), 5);
    assert!(stderr.contains("partly-broken.jsonl:2"), "{stderr}");
}

#[test]
fn exits_1_when_nothing_could_be_read_and_2_for_a_missing_path() {
    let home = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(threat_review(home.path())
        .arg("import")
        .arg(fixture("broken/empty.json")));
    assert_eq!(code, 1, "{stderr}");
    let (code, _, stderr) =
        run(threat_review(home.path()).args(["import", "/nonexistent/findings"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("/nonexistent/findings does not exist"),
        "{stderr}"
    );
}

#[test]
fn writes_csv_whose_cells_read_back_with_only_formulas_neutralised() {
    let home = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(threat_review(home.path())
        .arg("import")
        .arg(fixture("findings"))
        .args(["--csv", "-"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\r\n"), "CRLF line ends");
    let rows = csv_rows(&stdout);
    assert_eq!(rows[0], threat_review::export::csv::COLUMNS);
    assert_eq!(rows.len(), 13, "header and 12 in-scope findings");

    let row = |id: &str| {
        rows.iter()
            .find(|r| r[17] == id)
            .unwrap_or_else(|| panic!("row {id}"))
    };
    let hostile = row("f0a1");
    assert_eq!(hostile[3], "'+SUM(1,2)");
    assert_eq!(hostile[8], "'=cmd|' /C calc'!A0.fixture-bad.example");
    assert_eq!(hostile[16], "'@malicious\ntitle <script>alert(1)</script>");
    assert_eq!(row("f0a2")[16], "'-2+3");
    assert_eq!(
        row("f0a2")[8],
        "<img src=x onerror=alert(1)>.fixture-bad.example"
    );
    assert_eq!(row("f0a3")[16], "'\tindented");
    assert_eq!(row("f0a3")[8], "xn--80ak6aa92e.example.\u{440}\u{444}");

    let drop_point = row("a1c3");
    assert_eq!(drop_point[7], "ip");
    assert_eq!(drop_point[8], "203.0.113.50");
    assert_eq!(drop_point[9], "443");
    assert_eq!(drop_point[5], "5.0");
    assert_eq!(drop_point[6], "Medium");
    assert_eq!(drop_point[10], "ProofPoint");
    assert_eq!(drop_point[12], "2026-11-21T07:00:00Z");
    assert_eq!(
        drop_point[18],
        "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html#trojan-ec2-droppoint"
    );
    assert_eq!(
        drop_point[19],
        "https://docs.aws.amazon.com/guardduty/latest/ug/compromised-ec2.html"
    );
    assert_eq!(
        drop_point[20],
        "https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?fId=a1c3"
    );
    let dns = row("a1c2");
    assert_eq!(
        (dns[7].as_str(), dns[9].as_str()),
        ("domain", ""),
        "no port for a domain"
    );
    let without_instance = row("g1b2");
    assert_eq!(
        (without_instance[2].as_str(), without_instance[3].as_str()),
        ("", "")
    );
}

#[test]
fn never_replaces_an_existing_csv_without_force() {
    let home = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("findings.csv");
    std::fs::write(&target, "the analyst's notes").unwrap();

    let (code, stdout, stderr) = run(threat_review(home.path())
        .arg("sample")
        .arg("--csv")
        .arg(&target));
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("already exists") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "the analyst's notes"
    );

    let (code, stdout, _) = run(threat_review(home.path())
        .arg("sample")
        .arg("--csv")
        .arg(&target)
        .args(["--force", "--bom"]));
    assert_eq!(code, 0);
    assert_eq!(stdout, "", "with --csv FILE stdout stays empty");
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.starts_with("\u{feff}account_id,"));
    assert_eq!(csv_rows(written.trim_start_matches('\u{feff}')).len(), 31);
    let left: Vec<_> = std::fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        [std::ffi::OsString::from("findings.csv")],
        "no temp file left behind"
    );
}

#[test]
fn prints_the_bundled_samples_marked_as_samples() {
    let home = tempfile::tempdir().unwrap();
    let (code, stdout, _) = run(threat_review(home.path()).args(["sample", "--json"]));
    assert_eq!(code, 0);
    let out = json(&stdout);
    assert_eq!(out["groups"].as_array().unwrap().len(), 5);
    let ids = finding_ids(&out);
    assert_eq!(ids.len(), 30);
    for group in out["groups"].as_array().unwrap() {
        assert!(
            group["findings"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["sample"] == true)
        );
    }
    let (_, summary, _) = run(threat_review(home.path()).arg("sample"));
    assert!(summary.starts_with("SAMPLE DATA"), "{summary}");
}

#[test]
fn prints_its_version() {
    let home = tempfile::tempdir().unwrap();
    let (code, stdout, _) = run(threat_review(home.path()).arg("--version"));
    assert_eq!(code, 0);
    assert_eq!(
        stdout.trim(),
        format!("threat-review {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn rejects_csv_and_json_together_as_bad_arguments() {
    let home = tempfile::tempdir().unwrap();
    let (code, _, stderr) =
        run(threat_review(home.path()).args(["sample", "--json", "--csv", "-"]));
    assert_eq!(code, 2, "{stderr}");
}
