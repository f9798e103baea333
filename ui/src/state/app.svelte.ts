/**
 * The window's state: what is loaded, and every action the analyst can take on it. Components
 * read these fields and call these methods; every command failure lands in `alerts`.
 */
import type { FindingView, GroupSummary, ReviewSummary } from "../lib/bindings";
import * as ipc from "../lib/ipc";
import { defang } from "../lib/defang";
import { plural } from "../lib/words";
import { Alerts } from "./alerts.svelte";
import { GroupDetail } from "./detail.svelte";
import { GroupList } from "./groups.svelte";
import { PullControls } from "./pull.svelte";

export class AppState {
  readonly alerts = new Alerts();
  readonly pull = new PullControls();
  readonly list = new GroupList();
  readonly detail = new GroupDetail();

  /** The app's version, from the Rust side. */
  version = $state("");
  /** What the current results hold; null until the first frame's data arrived. */
  review = $state.raw<ReviewSummary | null>(null);
  /** Findings without an instance, once the analyst opened that section. */
  withoutInstance = $state.raw<FindingView[] | null>(null);
  /** True while a dialog-backed command (open, export) waits for the analyst. */
  busy = $state(false);

  /** Something to export: results that hold at least one finding. */
  canExport = $derived(
    this.review !== null && this.review.origin.kind !== "empty" && this.review.findingCount > 0,
  );

  /** Starts listening for pull progress, then loads the first frame's data. */
  async start(): Promise<void> {
    // Progress only feeds the bar, so a window that cannot listen still shows its results.
    await this.attempt(() =>
      ipc.onPullProgress((progress) => {
        this.pull.report(progress);
      }),
    );
    const startup = await this.attempt(() => ipc.startup());
    if (startup === undefined) return;
    this.version = startup.version;
    this.pull.setChoices(startup.profiles, startup.knownRegions);
    await this.attempt(() => this.show(startup.review));
  }

  /** Replaces the results with `review`: the list starts over and the detail pane closes. */
  async show(review: ReviewSummary): Promise<void> {
    this.review = review;
    this.withoutInstance = null;
    this.detail.close();
    if (review.groupCount === 0) {
      this.list.clear();
      return;
    }
    await this.list.reload();
  }

  /** Pulls findings with the selected profile and regions. */
  async runPull(): Promise<void> {
    if (!this.pull.canPull) return;
    this.pull.begin();
    try {
      const review = await ipc.pull(this.pull.profileName, $state.snapshot(this.pull.regions));
      await this.show(review);
      this.alerts.note(`Pulled ${plural(review.findingCount, "finding")}.`);
    } catch (error) {
      const code = ipc.toAppError(error).code;
      if (code === "cancelled") this.alerts.note("Pull cancelled; the previous results are kept.");
      else this.alerts.fail(error);
    } finally {
      this.pull.end();
    }
  }

  /** Asks the running pull to stop. */
  async cancelPull(): Promise<void> {
    await this.attempt(() => ipc.cancelPull());
  }

  /** Reads the profiles again, e.g. after the analyst set one up. */
  async refreshProfiles(): Promise<void> {
    const list = await this.attempt(() => ipc.listProfiles());
    if (list !== undefined) this.pull.setChoices(list, this.pull.knownRegions);
  }

  /** Imports finding files the analyst picks. */
  async openFile(): Promise<void> {
    const review = await this.dialog(() => ipc.openFindings());
    if (review) await this.attempt(() => this.show(review));
  }

  /** Replaces the results with the bundled sample findings. */
  async loadSample(): Promise<void> {
    const review = await this.attempt(() => ipc.loadSample());
    if (review !== undefined) await this.attempt(() => this.show(review));
  }

  /** Exports the results as CSV where the analyst chooses. */
  async exportCsv(): Promise<void> {
    if (!this.canExport) return;
    const result = await this.dialog(() => ipc.exportCsv());
    if (result) this.alerts.note(`Exported ${plural(result.rows, "row")} to ${result.path}`);
  }

  /** Shows the list for `filter`. */
  async filterGroups(filter: string): Promise<void> {
    this.list.filter = filter;
    await this.attempt(() => this.list.reload());
  }

  /** Loads the next page of groups. */
  async loadMoreGroups(): Promise<void> {
    await this.attempt(() => this.list.loadMore());
  }

  /** Opens `group` in the detail pane. */
  async openGroup(group: GroupSummary): Promise<void> {
    this.list.point(group.key);
    await this.attempt(() => this.detail.open(group));
  }

  /** Opens the group under the keyboard cursor. */
  async openCurrent(): Promise<void> {
    const group = this.list.current;
    if (group !== null) await this.openGroup(group);
  }

  /** Loads the findings that name no instance. */
  async loadWithoutInstance(): Promise<void> {
    if (this.withoutInstance !== null) return;
    const findings = await this.attempt(() => ipc.withoutInstance());
    if (findings !== undefined) this.withoutInstance = findings;
  }

  /** Opens a link from the Rust side in the system browser. */
  async openLink(url: string): Promise<void> {
    await this.attempt(() => ipc.openLink(url));
  }

  /** Copies `text` to the clipboard; the notice names it as `shown` (defanged, or a count). */
  async copy(text: string, shown: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.alerts.note(`Copied ${shown}.`);
    } catch {
      this.alerts.fail({ code: "internal", message: "The clipboard is not available." });
    }
  }

  /** Copies the plain first indicator of the open group, else of the group under the cursor. */
  async copyFirstIndicator(): Promise<void> {
    const indicator = (this.detail.group ?? this.list.current)?.indicators[0];
    if (indicator !== undefined) await this.copy(indicator, defang(indicator));
  }

  /** Opens the documentation of the open group's newest finding type. */
  async openDoc(): Promise<void> {
    const url = this.detail.docUrl;
    if (url !== null) await this.openLink(url);
  }

  /** Runs `work`, sending a failure to the alert region; undefined when it failed. */
  private async attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      this.alerts.fail(error);
      return undefined;
    }
  }

  /** Like `attempt`, for a command that waits on a native dialog: one dialog at a time. */
  private async dialog<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    try {
      return await this.attempt(work);
    } finally {
      this.busy = false;
    }
  }
}
