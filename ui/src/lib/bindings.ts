// Generated from the Rust types by `make bindings`; do not edit by hand.
// Every string that comes from a finding is attacker-controlled: render it as text.

/**
 * GuardDuty's severity bands, plus `Unknown` for a finding without a severity.
 */
export type SeverityLabel = "Unknown" | "Low" | "Medium" | "High" | "Critical";

/**
 * What kind of thing an indicator is.
 */
export type IndicatorKind = "domain" | "ip";

/**
 * A domain or address a finding says the instance communicated with.
 */
export type Indicator = { 
/**
 * Domain or IP.
 */
kind: IndicatorKind, 
/**
 * The value as written in the finding, never defanged, without port.
 */
value: string, 
/**
 * The remote port, when the finding gives one.
 */
port: number | null, };

/**
 * One finding as the UI and the JSON output show it.
 */
export type FindingView = { 
/**
 * GuardDuty's finding id.
 */
id: string, 
/**
 * The exact finding type.
 */
type: string, 
/**
 * The catalog's short title of the type; `None` outside the catalog.
 */
typeTitle: string | null, 
/**
 * GuardDuty's one-line summary.
 */
title: string | null, 
/**
 * The account.
 */
accountId: string | null, 
/**
 * The region.
 */
region: string | null, 
/**
 * The instance id, when the finding names one.
 */
instanceId: string | null, 
/**
 * The instance's `Name` tag.
 */
instanceName: string | null, 
/**
 * The severity number; 0 when the finding has none.
 */
severity: number, 
/**
 * The severity band.
 */
severityLabel: SeverityLabel, 
/**
 * Plain indicator values, without port.
 */
indicators: Array<string>, 
/**
 * The indicators with their kind and port.
 */
indicatorDetails: Array<Indicator>, 
/**
 * The threat lists that matched.
 */
threatLists: Array<string>, 
/**
 * How many times the activity was seen.
 */
eventCount: number | null, 
/**
 * First seen (ISO-8601 UTC).
 */
firstSeen: string | null, 
/**
 * Last seen (ISO-8601 UTC).
 */
lastSeen: string | null, 
/**
 * Last updated by GuardDuty (ISO-8601 UTC).
 */
updatedAt: string | null, 
/**
 * Whether the finding is archived.
 */
archived: boolean, 
/**
 * Whether the finding is a sample.
 */
sample: boolean, 
/**
 * The type's GuardDuty documentation; `None` outside the catalog.
 */
docUrl: string | null, 
/**
 * AWS's guide to remediating a compromised EC2 instance.
 */
remediationUrl: string, 
/**
 * The finding in the GuardDuty console.
 */
consoleUrl: string | null, };

/**
 * One instance and what it did, without its findings.
 */
export type GroupSummary = { 
/**
 * The key to ask for this group's findings with.
 */
key: string, 
/**
 * The account.
 */
accountId: string | null, 
/**
 * The region.
 */
region: string | null, 
/**
 * The instance id.
 */
instanceId: string, 
/**
 * The instance's `Name` tag, from its newest finding that has one.
 */
instanceName: string | null, 
/**
 * The instance type.
 */
instanceType: string | null, 
/**
 * The VPC.
 */
vpcId: string | null, 
/**
 * The first private address.
 */
privateIp: string | null, 
/**
 * How many findings.
 */
findingCount: number, 
/**
 * The sum of the findings' event counts.
 */
eventCount: number, 
/**
 * The highest severity.
 */
maxSeverity: number, 
/**
 * The band of the highest severity.
 */
severityLabel: SeverityLabel, 
/**
 * The earliest first-seen (ISO-8601 UTC).
 */
firstSeen: string | null, 
/**
 * The latest last-seen (ISO-8601 UTC).
 */
lastSeen: string | null, 
/**
 * The types, in catalog order.
 */
types: Array<string>, 
/**
 * The distinct indicator values, sorted.
 */
indicators: Array<string>, 
/**
 * Whether every finding of the group is a sample.
 */
sample: boolean, };

/**
 * Which groups the UI wants: those matching `filter`, from `offset`, at most `limit`.
 */
export type GroupQuery = { 
/**
 * Text to look for in instance, name, account, region, type and indicators.
 */
filter: string, 
/**
 * How many matching groups to pass over.
 */
offset: number, 
/**
 * How many groups to return at most.
 */
limit: number, };

/**
 * One page of groups.
 */
export type GroupPage = { 
/**
 * How many groups match the filter in all.
 */
total: number, 
/**
 * The offset this page starts at.
 */
offset: number, 
/**
 * The groups of this page.
 */
groups: Array<GroupSummary>, };

/**
 * A record or file that could not be read, and why.
 */
export type Skipped = { 
/**
 * The file (or other source) the record came from.
 */
source: string, 
/**
 * The 1-based line the record starts on, when that applies.
 */
line: number | null, 
/**
 * What was wrong, in words the analyst can act on.
 */
reason: string, };

/**
 * How the pull of one region ended.
 */
export type RegionStatus = "ok" | "no-detector" | "not-enabled" | "denied" | "expired" | "error";

/**
 * How one region's pull ended.
 */
export type RegionReport = { 
/**
 * The profile; `None` for the default chain.
 */
profile: string | null, 
/**
 * The region.
 */
region: string, 
/**
 * How it ended.
 */
status: RegionStatus, 
/**
 * How many findings it returned.
 */
findings: number, 
/**
 * What went wrong and what to do, when something did.
 */
error: string | null, };

/**
 * Where the current results came from.
 */
export type ReviewOrigin = { "kind": "empty" } | { "kind": "sample" } | { "kind": "pull", 
/**
 * The profile; `None` for the default chain.
 */
profile: string | null, 
/**
 * The regions asked for.
 */
regions: Array<string>, } | { "kind": "import", 
/**
 * The files.
 */
paths: Array<string>, };

/**
 * What the current result set holds; the groups are paged separately.
 */
export type ReviewSummary = { 
/**
 * Where the results came from.
 */
origin: ReviewOrigin, 
/**
 * When they were loaded (ISO-8601 UTC).
 */
loadedAt: string, 
/**
 * How many instance groups.
 */
groupCount: number, 
/**
 * How many findings in all.
 */
findingCount: number, 
/**
 * How many findings name no instance.
 */
withoutInstanceCount: number, 
/**
 * Findings left out because of their type; `None` when not known (a pull).
 */
outOfScope: number | null, 
/**
 * Records and files that could not be read.
 */
skipped: Array<Skipped>, 
/**
 * How each region went (pulls only).
 */
regions: Array<RegionReport>, 
/**
 * Whether the findings are samples.
 */
sample: boolean, 
/**
 * When the credentials of the pull expire (ISO-8601 UTC), when they are temporary.
 */
credentialsExpireAt: string | null, };

/**
 * How a profile gets its credentials.
 */
export type ProfileKind = "static" | "sso" | "assume-role" | "process" | "web-identity" | "keychain" | "other";

/**
 * One profile the analyst can pull with.
 */
export type Profile = { 
/**
 * The profile's name, as `--profile` takes it.
 */
name: string, 
/**
 * How it gets credentials.
 */
kind: ProfileKind, 
/**
 * Its region, or its source profile's region.
 */
region: string | null, 
/**
 * Where it is defined: `config`, `credentials`, or both.
 */
source: string, };

/**
 * Whether the OS keychain can be used.
 */
export type KeychainStatus = { 
/**
 * A keychain answered.
 */
available: boolean, 
/**
 * Why not, and what to do, when it did not.
 */
message: string | null, };

/**
 * The profiles, and which one to preselect.
 */
export type ProfileList = { 
/**
 * Every profile found.
 */
profiles: Array<Profile>, 
/**
 * The profile of the last pull, else `AWS_PROFILE`, else `default`, else the first.
 */
defaultProfile: string | null, 
/**
 * The regions of the last pull.
 */
lastRegions: Array<string>, 
/**
 * Whether keys can be kept in the OS keychain, and if not, why.
 */
keychain: KeychainStatus, };

/**
 * The keys typed into the add-profile form.
 */
export type NewKeychainProfile = { 
/**
 * The profile's name.
 */
name: string, 
/**
 * Its region.
 */
region: string | null, 
/**
 * The access key id.
 */
accessKeyId: string, 
/**
 * The secret access key.
 */
secretAccessKey: string, 
/**
 * The session token, for temporary keys.
 */
sessionToken: string | null, 
/**
 * Replace the keys of an existing keychain profile of that name.
 */
replace: boolean, };

/**
 * What the window needs for its first frame.
 */
export type Startup = { 
/**
 * The app's version.
 */
version: string, 
/**
 * The profiles.
 */
profiles: ProfileList, 
/**
 * The regions to offer.
 */
knownRegions: Array<string>, 
/**
 * The current results: the samples when there is no profile.
 */
review: ReviewSummary, };

/**
 * A snapshot of a running pull, for a progress bar.
 */
export type PullProgress = { 
/**
 * AWS calls answered so far.
 */
calls: number, 
/**
 * Findings received so far.
 */
findings: number, 
/**
 * Regions finished.
 */
regionsDone: number, 
/**
 * Regions in the pull.
 */
regionsTotal: number, };

/**
 * Where an export went.
 */
export type ExportResult = { 
/**
 * The file written.
 */
path: string, 
/**
 * How many findings (rows) it holds.
 */
rows: number, };

/**
 * What the analyst must do to approve the sign-in.
 */
export type DeviceCode = { 
/**
 * The code to confirm in the browser.
 */
userCode: string, 
/**
 * The page to open (with the code filled in, when AWS gives one).
 */
verificationUri: string, 
/**
 * When the code expires (ISO-8601 UTC).
 */
expiresAt: string, };

/**
 * A finished SSO sign-in.
 */
export type SignedIn = { 
/**
 * The profile signed in with.
 */
profile: string, 
/**
 * When the session expires (ISO-8601 UTC).
 */
expiresAt: string, };

/**
 * What kind of failure, for the UI to branch on.
 */
export type ErrorCode = "no-credentials" | "no-region" | "unknown-profile" | "pull-failed" | "pull-running" | "cancelled" | "unreadable" | "unknown-group" | "export-failed" | "mfa-required" | "sign-in-failed" | "keychain-unavailable" | "profile-exists" | "bad-profile" | "link-refused" | "internal";

/**
 * An error as the UI receives it.
 */
export type AppError = { 
/**
 * What kind of failure.
 */
code: ErrorCode, 
/**
 * What happened and what to do, in the analyst's words.
 */
message: string, };
