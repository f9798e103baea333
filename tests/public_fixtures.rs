//! Every public finding document in `../shared/fixtures/public-findings` (real schemas from
//! public projects, with their quirks) parses to the values it holds, or is reported; none
//! panics. The folder sits beside the repository in CI; elsewhere this says it was not found.

use std::path::{Path, PathBuf};

use threat_review::finding::{Finding, files};

fn folder() -> Option<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/public-findings");
    if folder.is_dir() {
        Some(folder)
    } else {
        eprintln!(
            "{} is not there: the public fixtures were not checked",
            folder.display()
        );
        None
    }
}

/// (file, finding id prefix, account, region, instance, type, severity, indicators, sample)
type Expected = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
    &'static str,
    f64,
    &'static [&'static str],
    bool,
);

const EXPECTED: &[Expected] = &[
    (
        "Trojan-EC2-BlackholeTraffic_DNS__elastic-integrations__api-finding.json",
        "d60123456789",
        Some("123412341234"),
        "us-east-1",
        Some("i-99999999"),
        "Trojan:EC2/BlackholeTraffic!DNS",
        5.0,
        &["GeneratedFindingDomainName"],
        true,
    ),
    (
        "Trojan-EC2-BlackholeTraffic__elastic-integrations__api-finding.json",
        "06bf27df0ab8",
        Some("123456789012"),
        "us-east-2",
        Some("i-99999999"),
        "Trojan:EC2/BlackholeTraffic",
        5.0,
        &["203.0.113.144"],
        true,
    ),
    (
        "Trojan-EC2-BlackholeTraffic__guardduty-soar__eventbridge-pascalcase-detail.json",
        "51d54042fc0a",
        Some("1234567891234"),
        "us-east-1",
        Some("i-99999999"),
        "Trojan:EC2/BlackholeTraffic",
        5.0,
        &["198.51.100.0"],
        true,
    ),
    (
        "Trojan-EC2-DGADomainRequest.B__guardduty-soar__eventbridge-pascalcase-detail.json",
        "25608f290d06",
        Some("1234567891234"),
        "us-east-1",
        Some("i-99999999"),
        "Trojan:EC2/DGADomainRequest.B",
        8.0,
        &["GeneratedFindingDomainName"],
        true,
    ),
    (
        "Trojan-EC2-DGADomainRequest.B__terraform-aws-guardduty-s3__per-finding-s3-object.json",
        "10b3562e61fa",
        Some("000000000000"),
        "eu-west-1",
        Some("i-99999999"),
        "Trojan:EC2/DGADomainRequest.B",
        8.0,
        &["GeneratedFindingDomainName"],
        true,
    ),
    (
        "Trojan-EC2-DNSDataExfiltration__guardduty-soar__eventbridge-pascalcase-detail.json",
        "859a6c2165c1",
        Some("1234567891234"),
        "us-east-1",
        Some("i-99999999"),
        "Trojan:EC2/DNSDataExfiltration",
        8.0,
        &["GeneratedFindingAdditionalDomainName"],
        true,
    ),
    (
        "Trojan-EC2-DropPoint_DNS__alertchain__cli-get-findings-pascalcase.json",
        "034f3664616c",
        Some("123456789012"),
        "ap-northeast-1",
        Some("i-99999999"),
        "Trojan:EC2/DropPoint!DNS",
        8.0,
        &["GeneratedFindingDomainName"],
        true,
    ),
    (
        "Trojan-EC2-DropPoint_DNS__elastic-integrations__api-finding.json",
        "0ebf27df0ab7",
        Some("123456789012"),
        "us-east-2",
        Some("i-99999999"),
        "Trojan:EC2/DropPoint!DNS",
        5.0,
        &["GeneratedFindingDomainName"],
        true,
    ),
    (
        "Trojan-EC2-DropPoint__guardduty-soar__eventbridge-pascalcase-detail.json",
        "761daa759a22",
        Some("1234567891234"),
        "us-east-1",
        Some("i-99999999"),
        "Trojan:EC2/DropPoint",
        5.0,
        &["198.51.100.0"],
        true,
    ),
    (
        "edge_AttackSequence-IAM-CompromisedCredentials__panther-analysis__no-instanceDetails-nonISO-time.json",
        "8c258d654378",
        Some("123456789012"),
        "us-east-1",
        None,
        "AttackSequence:IAM/CompromisedCredentials",
        9.0,
        &[],
        false,
    ),
    (
        "edge_Persistence-Kubernetes-SuccessfulAnonymousAccess__elastic-integrations__no-instanceDetails.json",
        "250023a9abcd",
        Some("123412341234"),
        "us-east-1",
        None,
        "Persistence:Kubernetes/SuccessfulAnonymousAccess",
        8.0,
        &[],
        true,
    ),
    (
        "edge_PrivilegeEscalation-Runtime-DockerSocketAccessed__elastic-integrations__api-finding-malformed.json",
        "abcd1234",
        Some("123456789"),
        "us-west-1",
        Some("i-abcd1234"),
        "PrivilegeEscalation:Runtime/DockerSocketAccessed",
        5.0,
        &[],
        false,
    ),
    (
        "edge_Trojan-EC2-DriveBySourceTraffic_DNS__alertchain__cli-get-findings-type-payload-mismatch.json",
        "5d7da1b8ae2b",
        Some("123456789012"),
        "ap-northeast-1",
        Some("i-99999999"),
        "Trojan:EC2/DriveBySourceTraffic!DNS",
        8.0,
        &["198.51.100.0", "198.51.100.1"],
        true,
    ),
    (
        "edge_Trojan-EC2-DropPoint__orbit-portal__sns-email-nulls-redacted-ip.json",
        "123456789abc",
        Some("012345678910"),
        "ap-northeast-1",
        Some("i-99999999"),
        "Trojan:EC2/DropPoint",
        5.0,
        &["xxx.xx.xx.xx"],
        true,
    ),
    (
        "edge_UnauthorizedAccess-EC2-SSHBruteForce__guardduty-waf-acl__eventbridge-partial-envelope.json",
        "02be5693b63e",
        None,
        "us-east-1",
        Some("i-99999999"),
        "UnauthorizedAccess:EC2/SSHBruteForce",
        2.0,
        &["198.51.100.0"],
        true,
    ),
    (
        "other_Backdoor-EC2-CandCActivity.B__elastic-integrations__api-finding.json",
        "64bf27df0ab4",
        Some("123456789012"),
        "us-east-2",
        Some("i-99999999"),
        "Backdoor:EC2/C&CActivity.B",
        8.0,
        &["203.0.113.144"],
        true,
    ),
    (
        "other_Backdoor-EC2-DenialOfService.Tcp__zenn-content__eventbridge-ipv6-4enis.json",
        "9b2373d85dcf",
        Some("123456789012"),
        "us-west-2",
        Some("i-99999999"),
        "Backdoor:EC2/DenialOfService.Tcp",
        8.0,
        &["198.51.100.0"],
        true,
    ),
    (
        "other_Recon-EC2-PortProbeUnprotectedPort__sekoia-intake-formats__api-finding-portprobe.json",
        "ae7f69675d87",
        Some("111111111111"),
        "eu-west-2",
        Some("i-99999999"),
        "Recon:EC2/PortProbeUnprotectedPort",
        2.0,
        &["198.51.100.0", "198.51.100.1"],
        true,
    ),
    (
        "other_UnauthorizedAccess-EC2-TorRelay__sekoia-intake-formats__api-finding.json",
        "00f996e6c780",
        Some("111111111111"),
        "eu-west-2",
        Some("i-99999999"),
        "UnauthorizedAccess:EC2/TorRelay",
        8.0,
        &["198.51.100.0"],
        true,
    ),
];

fn check(file: &str, f: &Finding, e: &Expected) {
    let (_, id, account, region, instance, kind, severity, indicators, sample) = *e;
    assert!(f.id.starts_with(id), "{file}: id {}", f.id);
    assert_eq!(f.account_id.as_deref(), account, "{file}: account");
    assert_eq!(f.region.as_deref(), Some(region), "{file}: region");
    assert_eq!(f.instance_id(), instance, "{file}: instance");
    assert_eq!(f.finding_type, kind, "{file}: type");
    assert_eq!(f.severity, Some(severity), "{file}: severity");
    let values: Vec<&str> = f.indicators.iter().map(|i| i.value.as_str()).collect();
    assert_eq!(values, indicators, "{file}: indicators");
    assert_eq!(f.sample, sample, "{file}: sample");
}

#[test]
fn reads_the_values_of_every_single_finding_document() {
    let Some(folder) = folder() else { return };
    for expected in EXPECTED {
        let file = expected.0;
        let parsed = files::read_file(&folder.join(file));
        assert_eq!(parsed.skipped, [], "{file}");
        assert_eq!(parsed.findings.len(), 1, "{file}");
        check(file, &parsed.findings[0], expected);
    }
}

#[test]
fn reads_the_documents_that_hold_several_or_no_findings() {
    let Some(folder) = folder() else { return };
    let empty = files::read_file(
        &folder.join("edge_empty-findings-array__elastic-integrations__api-response.json"),
    );
    assert_eq!((empty.findings.len(), empty.skipped.len()), (0, 0));

    let two = files::read_file(&folder.join(
        "edge_two-findings-in-detail-array__panther-aws-events__eventbridge-nonstandard.json",
    ));
    let types: Vec<&str> = two
        .findings
        .iter()
        .map(|f| f.finding_type.as_str())
        .collect();
    assert_eq!(
        types,
        [
            "Backdoor:EC2/DenialOfService.Tcp",
            "UnauthorizedAccess:EC2/TorRelay"
        ]
    );
    assert!(
        two.findings
            .iter()
            .all(|f| f.account_id.as_deref() == Some("123456789012")),
        "the finding's account beats the envelope's"
    );

    let lines = files::read_file(
        &folder.join("mixed-6-lines__elastic-integrations__jsonl-s3-export-like.jsonl"),
    );
    assert_eq!(lines.skipped, []);
    assert_eq!(lines.findings.len(), 5, "five findings and an empty page");
    let with_instance = lines
        .findings
        .iter()
        .filter(|f| f.instance.is_some())
        .count();
    assert_eq!(with_instance, 2);
}

#[test]
fn reads_non_iso_times_and_keeps_what_cannot_be_read_empty() {
    let Some(folder) = folder() else { return };
    let parsed = files::read_file(&folder.join(EXPECTED[9].0));
    let finding = &parsed.findings[0];
    let updated = finding.updated_at.map(|t| threat_review::time::format(&t));
    assert_eq!(updated.as_deref(), Some("2025-02-25T20:40:06.721Z"));
}

#[test]
fn every_file_in_the_folder_is_read_or_reported_and_none_panics() {
    let Some(folder) = folder() else { return };
    let mut names: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.retain(|p| p.extension().is_some_and(|e| e == "json" || e == "jsonl"));
    assert_eq!(names.len(), 22);
    let all = files::read_paths(&[folder]).unwrap();
    assert_eq!(all.skipped, []);
    assert_eq!(all.findings.len(), 26);
    let in_scope = all
        .findings
        .iter()
        .filter(|f| threat_review::catalog::in_scope(&f.finding_type))
        .count();
    assert_eq!(in_scope, 12);
}
