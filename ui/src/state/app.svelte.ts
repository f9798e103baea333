/**
 * The window's state: what is loaded, and every action the analyst can take on it. Components
 * read these fields and call these methods; every command failure lands in `alerts`.
 */
import type {
  FindingView,
  GroupSummary,
  ProfileList,
  ReviewSummary,
  SignedIn,
} from "../lib/bindings";
import * as ipc from "../lib/ipc";
import { defang } from "../lib/defang";
import { lifetimeWords } from "../lib/lifetime";
import { shortTime } from "../lib/time";
import { plural } from "../lib/words";
import { Alerts } from "./alerts.svelte";
import { Clock } from "./clock.svelte";
import { GroupDetail } from "./detail.svelte";
import { GroupList } from "./groups.svelte";
import { KeychainProfiles } from "./keychain.svelte";
import { MfaPrompt, type MfaRequest } from "./mfa.svelte";
import { PullControls } from "./pull.svelte";
import { SsoSignIn } from "./sso.svelte";

/** The last SSO sign-in of this session, and when it finished (milliseconds since the epoch). */
type LastSignIn = SignedIn & { at: number };

export class AppState {
  readonly alerts = new Alerts();
  readonly pull = new PullControls();
  readonly list = new GroupList();
  readonly detail = new GroupDetail();
  readonly clock = new Clock();
  readonly mfa = new MfaPrompt();
  readonly keychain = new KeychainProfiles((list) => {
    this.takeProfiles(list);
  });
  readonly sso = new SsoSignIn((signedIn) => {
    this.signedIn(signedIn);
  });

  /** The app's version, from the Rust side. */
  version = $state("");
  /** What the current results hold; null until the first frame's data arrived. */
  review = $state.raw<ReviewSummary | null>(null);
  /** Findings without an instance, once the analyst opened that section. */
  withoutInstance = $state.raw<FindingView[] | null>(null);
  /** True while a dialog-backed command (open, export) waits for the analyst. */
  busy = $state(false);
  /** The last SSO sign-in, which renews a profile's credentials until the next pull reports. */
  lastSignIn = $state.raw<LastSignIn | null>(null);

  /** Something to export: results that hold at least one finding. */
  canExport = $derived(
    this.review !== null && this.review.origin.kind !== "empty" && this.review.findingCount > 0,
  );

  /**
   * When the selected profile's credentials expire, from whichever came last: the pull whose
   * results are on show, or a sign-in with that profile.
   */
  credentialsExpireAt = $derived.by(() => {
    const profile = this.pull.profileName;
    const review = this.review;
    const pulled =
      review !== null && review.origin.kind === "pull" && review.origin.profile === profile
        ? review
        : null;
    const signIn = this.lastSignIn?.profile === profile ? this.lastSignIn : null;
    if (signIn !== null && (pulled === null || signIn.at > Date.parse(pulled.loadedAt))) {
      return signIn.expiresAt;
    }
    return pulled?.credentialsExpireAt ?? null;
  });

  /** What is left of the selected profile's credentials ("52 min left", "expired"), if known. */
  lifetime = $derived(
    this.credentialsExpireAt === null
      ? null
      : lifetimeWords(this.credentialsExpireAt, this.clock.now),
  );

  /** Whether the selected profile signs in through AWS SSO, so the window can sign in with it. */
  canSignIn = $derived(this.pull.profile?.kind === "sso");

  // Each switch of profile carries a number; the answer to an older switch is dropped.
  #switches = 0;

  /** Starts listening for pull progress and sign-in codes, then loads the first frame's data. */
  async start(): Promise<void> {
    // Progress only feeds the bar, so a window that cannot listen still shows its results.
    await this.attempt(() =>
      ipc.onPullProgress((progress) => {
        this.pull.report(progress);
      }),
    );
    await this.attempt(() =>
      ipc.onSsoDeviceCode((code) => {
        this.sso.showCode(code);
      }),
    );
    const startup = await this.attempt(() => ipc.startup());
    if (startup === undefined) return;
    this.version = startup.version;
    this.takeProfiles(startup.profiles, startup.knownRegions);
    await this.attempt(() => this.show(startup.review));
  }

  /** Replaces the results with `review`: the list starts over and the detail pane closes. */
  async show(review: ReviewSummary): Promise<void> {
    this.clock.tick();
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
    const request = { profile: this.pull.profileName, regions: $state.snapshot(this.pull.regions) };
    await this.sendPull(request, null);
  }

  /** Sends the pull the MFA dialog asks for again, with the code the analyst typed. */
  async pullWithCode(mfaCode: string): Promise<void> {
    const request = this.mfa.request;
    if (request === null || this.pull.running) return;
    this.mfa.error = null;
    await this.sendPull(request, mfaCode);
  }

  /** Closes the MFA dialog; the previous results stay, and a pull sent with a code is stopped. */
  async cancelMfa(): Promise<void> {
    if (!this.mfa.open) return;
    this.mfa.hide();
    // The stopped pull says "cancelled" itself when it rejects.
    if (this.pull.running) await this.cancelPull();
    else this.alerts.note("Pull cancelled; the previous results are kept.");
  }

  /** Asks the running pull to stop. */
  async cancelPull(): Promise<void> {
    await this.attempt(() => ipc.cancelPull());
  }

  /** Pulls what `request` asks for, with an MFA code when the analyst typed one. */
  private async sendPull(request: MfaRequest, mfaCode: string | null): Promise<void> {
    // Whatever arrives from an earlier switch of profile is older than this pull's results.
    this.#switches++;
    this.pull.begin();
    try {
      const review = await ipc.pull(request.profile, request.regions, mfaCode);
      this.mfa.hide();
      await this.show(review);
      this.alerts.note(`Pulled ${plural(review.findingCount, "finding")}.`);
    } catch (error) {
      this.pullFailed(request, mfaCode !== null, error);
    } finally {
      this.pull.end();
    }
  }

  /** Says why a pull failed: in the MFA dialog when it is about the code, else in the window. */
  private pullFailed(request: MfaRequest, sentCode: boolean, error: unknown): void {
    const { code, message } = ipc.toAppError(error);
    if (code === "mfa-required") {
      this.mfa.ask(request, message);
      return;
    }
    // STS refused the code (wrong, or used already): the dialog stays open for the next one.
    if (code === "no-credentials" && sentCode && this.mfa.open) {
      this.mfa.refuse(message);
      return;
    }
    this.mfa.hide();
    if (code === "cancelled") {
      this.alerts.note("Pull cancelled; the previous results are kept.");
      return;
    }
    // For an SSO profile the message says to run `aws sso login`; the window can do that itself.
    const profile = request.profile;
    const signIn =
      code === "no-credentials" && profile !== null && this.isSso(profile)
        ? { label: "Sign in", run: () => void this.signIn(profile) }
        : null;
    this.alerts.fail(error, signIn);
  }

  /** Whether the profile `name` signs in through AWS SSO. */
  private isSso(name: string): boolean {
    return this.pull.profiles.some((profile) => profile.name === name && profile.kind === "sso");
  }

  /** Opens the sign-in dialog for the SSO profile `name` and signs in with it. */
  async signIn(name: string): Promise<void> {
    if (this.sso.open || !this.isSso(name)) return;
    await this.sso.start(name);
  }

  /** Signs in with the selected profile, when it is an SSO one. */
  async signInSelected(): Promise<void> {
    const name = this.pull.profileName;
    if (name !== null) await this.signIn(name);
  }

  /** Records a finished sign-in and says until when it holds. */
  private signedIn(signedIn: SignedIn): void {
    this.clock.tick();
    this.lastSignIn = { ...signedIn, at: this.clock.now };
    this.alerts.note(`Signed in with ${signedIn.profile} until ${shortTime(signedIn.expiresAt)}.`);
  }

  /**
   * Switches to the profile `name`: the picker shows it at once, and the results become its
   * last ones (or nothing, until it is pulled) as soon as the Rust side answers.
   */
  async chooseProfile(name: string | null): Promise<void> {
    this.pull.selectProfile(name);
    await this.switchResults(name);
  }

  /** Reads the profiles again, e.g. after the analyst set one up. */
  async refreshProfiles(): Promise<void> {
    const list = await this.attempt(() => ipc.listProfiles());
    if (list !== undefined) this.takeProfiles(list);
  }

  /** Opens the Profiles dialog, with the keychain's state read afresh. */
  async openProfiles(): Promise<void> {
    this.keychain.show();
    await this.refreshProfiles();
  }

  /**
   * Takes a profile list from the Rust side. When the selected profile is gone (it was removed),
   * the picker falls back to the default one and the results follow it.
   */
  takeProfiles(list: ProfileList, knownRegions = this.pull.knownRegions): void {
    const before = this.pull.profileName;
    this.pull.setChoices(list, knownRegions);
    this.keychain.status = list.keychain;
    if (before !== null && this.pull.profileName !== before) {
      void this.switchResults(this.pull.profileName);
    }
  }

  /** Shows the last results of `name`, unless another switch started since. */
  private async switchResults(name: string | null): Promise<void> {
    const switched = ++this.#switches;
    const review = await this.attempt(() => ipc.selectProfile(name));
    if (review === undefined || switched !== this.#switches) return;
    await this.attempt(() => this.show(review));
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
