/**
 * The words the window uses for the Rust side's enums, kept in one place so the toolbar, the
 * status line and the tests agree on them.
 */
import type {
  Profile,
  ProfileKind,
  RegionReport,
  RegionStatus,
  ReviewOrigin,
  SeverityLabel,
} from "./bindings";

const PROFILE_KINDS: Record<ProfileKind, string> = {
  static: "keys",
  sso: "SSO",
  "assume-role": "role",
  process: "process",
  "web-identity": "web identity",
  keychain: "keychain",
  other: "other",
};

/**
 * "prod (SSO)": a profile as the picker lists it; with what is left of its credentials when
 * that is known, "prod (SSO, 52 min left)".
 */
export function profileLabel(profile: Profile, lifetime: string | null = null): string {
  const kind = PROFILE_KINDS[profile.kind];
  return lifetime === null ? `${profile.name} (${kind})` : `${profile.name} (${kind}, ${lifetime})`;
}

const REGION_STATUSES: Record<RegionStatus, string> = {
  ok: "ok",
  "no-detector": "GuardDuty off",
  "not-enabled": "not enabled",
  denied: "denied",
  expired: "expired",
  error: "error",
};

/** What to do about a region that did not answer, shown in its tooltip. */
const REGION_FIXES: Record<RegionStatus, string | null> = {
  ok: null,
  "no-detector": "GuardDuty has no detector in this region, so there are no findings to read.",
  "not-enabled": "This opt-in region is not enabled for the account.",
  denied:
    "The profile may not call guardduty:ListDetectors, ListFindings or GetFindings here. " +
    "Ask for those permissions.",
  expired: "The credentials have expired. Sign in again (for SSO: aws sso login), then pull.",
  error: null,
};

/** The short word for a region's outcome, e.g. "GuardDuty off" for `no-detector`. */
export function regionStatusWord(status: RegionStatus): string {
  return REGION_STATUSES[status];
}

/** The tooltip of a region's status: the error message, then what to do about it. */
export function regionTooltip(report: RegionReport): string {
  const parts = [report.error, REGION_FIXES[report.status]].filter(
    (part): part is string => part !== null && part !== "",
  );
  return parts.join("\n");
}

/** "HIGH": the severity word that always stands beside the colour. */
export function severityWord(label: SeverityLabel): string {
  return label.toUpperCase();
}

/** "8.0": severities always carry one decimal, as GuardDuty shows them. */
export function severityNumber(severity: number): string {
  return severity.toFixed(1);
}

/** The CSS class that colours a severity bar; the word and number carry the meaning. */
export function severityClass(label: SeverityLabel): string {
  return `sev-${label.toLowerCase()}`;
}

/** Where the results come from, without the time. */
export function originWords(origin: ReviewOrigin): string {
  switch (origin.kind) {
    case "sample":
      return "Sample findings";
    case "pull":
      return origin.profile === null ? "Pulled" : `Pulled with ${origin.profile}`;
    case "import": {
      const count = origin.paths.length;
      return `Imported ${count} ${count === 1 ? "file" : "files"}`;
    }
    case "empty":
      return "Nothing loaded";
  }
}

/** "1 finding", "3 findings". */
export function plural(count: number, word: string): string {
  return `${count} ${count === 1 ? word : `${word}s`}`;
}
