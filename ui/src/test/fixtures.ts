/** Values shaped exactly like the Rust side's answers, for the UI tests. */
import type {
  FindingView,
  GroupSummary,
  Profile,
  ProfileList,
  ReviewSummary,
  Startup,
} from "../lib/bindings";

const REMEDIATION = "https://docs.aws.amazon.com/guardduty/latest/ug/compromised-ec2.html";
const DNS_DOC =
  "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html#backdoor-ec2-ccactivitybdns";

export const prodProfile: Profile = {
  name: "prod-audit",
  kind: "sso",
  region: "us-east-1",
  source: "~/.aws/config",
};

export const labProfile: Profile = {
  name: "lab",
  kind: "static",
  region: "eu-west-1",
  source: "~/.aws/credentials",
};

export function review(overrides: Partial<ReviewSummary> = {}): ReviewSummary {
  return {
    origin: { kind: "pull", profile: "prod-audit", regions: ["us-east-1", "eu-west-1"] },
    loadedAt: "2024-12-03T14:02:00Z",
    groupCount: 2,
    findingCount: 15,
    withoutInstanceCount: 0,
    outOfScope: null,
    skipped: [],
    regions: [
      { profile: "prod-audit", region: "us-east-1", status: "ok", findings: 12, error: null },
      { profile: "prod-audit", region: "eu-west-1", status: "ok", findings: 3, error: null },
    ],
    sample: false,
    credentialsExpireAt: null,
    ...overrides,
  };
}

export const sampleReview: ReviewSummary = review({
  origin: { kind: "sample" },
  regions: [],
  sample: true,
});

/** What `select_profile` answers for a profile not pulled yet in this session. */
export const emptyReview: ReviewSummary = review({
  origin: { kind: "empty" },
  groupCount: 0,
  findingCount: 0,
  regions: [],
});

export const webFrontend: GroupSummary = {
  key: "123456789012/us-east-1/i-0a1b2c3d4e5f67890",
  accountId: "123456789012",
  region: "us-east-1",
  instanceId: "i-0a1b2c3d4e5f67890",
  instanceName: "web-frontend-2",
  instanceType: "t3.medium",
  vpcId: "vpc-0f1e2d3c",
  privateIp: "10.0.3.17",
  findingCount: 12,
  eventCount: 431,
  maxSeverity: 8,
  severityLabel: "High",
  firstSeen: "2024-12-02T09:14:00Z",
  lastSeen: "2024-12-03T11:20:00Z",
  types: ["Backdoor:EC2/C&CActivity.B!DNS", "Trojan:EC2/DropPoint"],
  indicators: ["203.0.113.7", "c2-relay.example", "drop.example.net"],
  sample: false,
};

export const batchWorker: GroupSummary = {
  key: "123456789012/eu-west-1/i-09f8e7d6c5b4a3210",
  accountId: "123456789012",
  region: "eu-west-1",
  instanceId: "i-09f8e7d6c5b4a3210",
  instanceName: null,
  instanceType: null,
  vpcId: null,
  privateIp: null,
  findingCount: 3,
  eventCount: 9,
  maxSeverity: 5.5,
  severityLabel: "Medium",
  firstSeen: "2024-12-01T08:00:00Z",
  lastSeen: "2024-12-01T10:00:00Z",
  types: ["UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"],
  indicators: ["198.51.100.23"],
  sample: false,
};

export function finding(overrides: Partial<FindingView> = {}): FindingView {
  return {
    id: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    type: "Backdoor:EC2/C&CActivity.B!DNS",
    typeTitle: "C&C activity (DNS)",
    title: "EC2 instance i-0a1b2c3d4e5f67890 is querying a domain name of a remote host.",
    accountId: "123456789012",
    region: "us-east-1",
    instanceId: "i-0a1b2c3d4e5f67890",
    instanceName: "web-frontend-2",
    severity: 8,
    severityLabel: "High",
    indicators: ["c2-relay.example"],
    indicatorDetails: [{ kind: "domain", value: "c2-relay.example", port: null }],
    threatLists: ["ProofPoint"],
    eventCount: 9,
    firstSeen: "2024-12-02T09:14:00Z",
    lastSeen: "2024-12-03T11:20:00Z",
    updatedAt: "2024-12-03T11:25:00Z",
    archived: false,
    sample: false,
    docUrl: DNS_DOC,
    remediationUrl: REMEDIATION,
    consoleUrl:
      "https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?search=id%3Da1b2",
    ...overrides,
  };
}

export const dropPointFinding: FindingView = finding({
  id: "f0e1d2c3b4a5968778695a4b3c2d1e0f",
  type: "Trojan:EC2/DropPoint",
  typeTitle: "Drop point",
  severity: 5,
  severityLabel: "Medium",
  indicators: ["203.0.113.7"],
  indicatorDetails: [{ kind: "ip", value: "203.0.113.7", port: 443 }],
  lastSeen: "2024-12-02T20:00:00Z",
  archived: true,
  docUrl: null,
  consoleUrl: null,
});

export const keychainProfile: Profile = {
  name: "contractor",
  kind: "keychain",
  region: "us-west-2",
  source: "keychain",
};

/** A profile that assumes a role behind an MFA device. */
export const roleProfile: Profile = {
  name: "ops-admin",
  kind: "assume-role",
  region: "us-east-1",
  source: "~/.aws/config",
};

/** A second SSO profile, signed in through IAM Identity Center. */
export const corpSsoProfile: Profile = {
  name: "corp-sso",
  kind: "sso",
  region: "eu-west-1",
  source: "~/.aws/config",
};

/** The profiles of `startupWith()`: two from ~/.aws, a keychain that answers. */
export function profileList(overrides: Partial<ProfileList> = {}): ProfileList {
  return {
    profiles: [prodProfile, labProfile],
    defaultProfile: "prod-audit",
    lastRegions: [],
    keychain: { available: true, message: null },
    ...overrides,
  };
}

export function startupWith(overrides: Partial<Startup> = {}): Startup {
  return {
    version: "0.1.0",
    profiles: profileList(),
    knownRegions: ["eu-west-1", "us-east-1", "us-west-2"],
    review: review(),
    ...overrides,
  };
}
