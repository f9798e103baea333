/**
 * The pull controls: which profile and regions to pull, whether a pull runs, and how far it got.
 */
import type { Profile, ProfileList, PullProgress } from "../lib/bindings";

export class PullControls {
  profiles = $state.raw<Profile[]>([]);
  /** Regions the Rust side offers in the picker. */
  knownRegions = $state.raw<string[]>([]);
  profileName = $state<string | null>(null);
  /** Regions ticked for the next pull. */
  regions = $state<string[]>([]);
  running = $state(false);
  /** The last progress report of the running pull. */
  progress = $state.raw<PullProgress | null>(null);

  /** The selected profile, or null when there is none. */
  profile = $derived(this.profiles.find((profile) => profile.name === this.profileName) ?? null);
  /** A pull needs a profile and at least one region, and only one runs at a time. */
  canPull = $derived(!this.running && this.profile !== null && this.regions.length > 0);
  /** Known regions, plus a profile's region the Rust side did not list. */
  regionChoices = $derived(
    [...this.knownRegions, ...this.regions]
      .filter((region, index, all) => all.indexOf(region) === index)
      .sort((a, b) => a.localeCompare(b)),
  );

  /**
   * Takes the profiles and regions the Rust side found, keeping the selection when it still
   * exists. A new selection starts on the regions of the last pull, else on the profile's own.
   */
  setChoices(list: ProfileList, knownRegions: string[]): void {
    this.profiles = list.profiles;
    this.knownRegions = knownRegions;
    const names = list.profiles.map((profile) => profile.name);
    if (this.profileName !== null && names.includes(this.profileName)) return;
    const preferred = list.defaultProfile !== null && names.includes(list.defaultProfile);
    this.selectProfile(preferred ? list.defaultProfile : (names[0] ?? null));
    if (this.profileName !== null && list.lastRegions.length > 0) {
      this.regions = [...list.lastRegions].sort((a, b) => a.localeCompare(b));
    }
  }

  /** Selects a profile; the regions become that profile's own region, if it has one. */
  selectProfile(name: string | null): void {
    this.profileName = name;
    const region = this.profile?.region ?? null;
    this.regions = region === null ? [] : [region];
  }

  /** Ticks or unticks `region`; the ticked regions stay in alphabetical order. */
  setRegion(region: string, on: boolean): void {
    const others = this.regions.filter((name) => name !== region);
    this.regions = on ? [...others, region].sort((a, b) => a.localeCompare(b)) : others;
  }

  /** Marks a pull as started, with no progress yet. */
  begin(): void {
    this.running = true;
    this.progress = null;
  }

  /** Records a progress report, if a pull is running. */
  report(progress: PullProgress): void {
    if (this.running) this.progress = progress;
  }

  /** Marks the pull as over, whatever its outcome. */
  end(): void {
    this.running = false;
    this.progress = null;
  }
}
