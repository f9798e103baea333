/**
 * The detail pane: the group the analyst opened, its findings once they arrive, and whether
 * indicators are shown plain or defanged.
 */
import type { FindingView, GroupSummary } from "../lib/bindings";
import { indicatorRows } from "../lib/indicators";
import { groupFindings } from "../lib/ipc";

export class GroupDetail {
  /** The open group, or null when none is. */
  group = $state.raw<GroupSummary | null>(null);
  /** Its findings, newest first as the Rust side gives them; empty until they arrive. */
  findings = $state.raw<FindingView[]>([]);
  loading = $state(false);
  /** Indicators are defanged unless the analyst asks to see them plain. */
  plain = $state(false);

  /** The distinct indicators of the open group's findings. */
  indicators = $derived(indicatorRows(this.findings));
  /** AWS's remediation guide; every finding carries the same one. */
  remediationUrl = $derived(this.findings[0]?.remediationUrl ?? null);
  /** The documentation of the newest finding's type, for the `o` shortcut. */
  docUrl = $derived(this.findings.find((finding) => finding.docUrl !== null)?.docUrl ?? null);

  // As in the list: an answer for a group that is no longer open is dropped.
  #generation = 0;

  /** Opens `group` and loads its findings. */
  async open(group: GroupSummary): Promise<void> {
    const generation = ++this.#generation;
    this.group = group;
    this.findings = [];
    this.loading = true;
    try {
      const findings = await groupFindings(group.key);
      if (generation === this.#generation) this.findings = findings;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Closes the pane (the results were replaced). */
  close(): void {
    this.#generation++;
    this.group = null;
    this.findings = [];
    this.loading = false;
  }
}
