/**
 * The detail pane's Indicators table: what one instance talked to, gathered from its findings so
 * each domain or IP appears once with its ports, the finding types that named it and how often.
 */
import type { FindingView, IndicatorKind } from "./bindings";

/** One distinct indicator of a group. */
export type IndicatorRow = {
  kind: IndicatorKind;
  /** The plain value, as the finding wrote it. */
  value: string;
  /** Remote ports seen with it, ascending. */
  ports: number[];
  /** Short finding types that named it, e.g. "C&CActivity.B!DNS". */
  types: string[];
  /** How many findings named it. */
  findings: number;
};

/** "C&CActivity.B!DNS" from "Backdoor:EC2/C&CActivity.B!DNS": the part after the last slash. */
export function shortType(type: string): string {
  return type.slice(type.lastIndexOf("/") + 1);
}

/** A finding's indicators with their kind; plain values without details are kept as domains. */
function detailsOf(
  finding: FindingView,
): { kind: IndicatorKind; value: string; port: number | null }[] {
  if (finding.indicatorDetails.length > 0) return finding.indicatorDetails;
  return finding.indicators.map((value) => ({ kind: "domain", value, port: null }));
}

/** The distinct indicators of `findings`, most often named first, then by value. */
export function indicatorRows(findings: readonly FindingView[]): IndicatorRow[] {
  const rows = new Map<string, IndicatorRow>();
  for (const finding of findings) {
    const type = shortType(finding.type);
    // A finding that names the same value twice (two ports) still counts once for it.
    const counted = new Set<string>();
    for (const detail of detailsOf(finding)) {
      const key = `${detail.kind} ${detail.value}`;
      let row = rows.get(key);
      if (row === undefined) {
        row = { kind: detail.kind, value: detail.value, ports: [], types: [], findings: 0 };
        rows.set(key, row);
      }
      if (detail.port !== null && !row.ports.includes(detail.port)) row.ports.push(detail.port);
      if (!row.types.includes(type)) row.types.push(type);
      if (!counted.has(key)) {
        counted.add(key);
        row.findings += 1;
      }
    }
  }
  for (const row of rows.values()) row.ports.sort((a, b) => a - b);
  return [...rows.values()].sort(
    (a, b) => b.findings - a.findings || a.value.localeCompare(b.value),
  );
}
