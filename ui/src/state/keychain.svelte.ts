/**
 * The Profiles dialog: keychain profiles the analyst adds and removes. Keys pass through `add`
 * on their way to the Rust side and are never kept here: the form holds them in its password
 * inputs only until the Rust side has them.
 */
import type { KeychainStatus, NewKeychainProfile, ProfileList } from "../lib/bindings";
import * as ipc from "../lib/ipc";

/** How an add ended; the form clears the keys it holds only when they were "added". */
export type AddOutcome = "added" | "exists" | "failed";

export class KeychainProfiles {
  /** Whether the dialog is open. */
  open = $state(false);
  /** Whether keys can be kept in the OS keychain, as the last profile list said. */
  status = $state.raw<KeychainStatus>({ available: true, message: null });
  /** The profile whose keys would be replaced, while the dialog asks. */
  replacing = $state<string | null>(null);
  /** The profile to remove, while the dialog asks. */
  removing = $state<string | null>(null);
  /** True while an add or remove waits for the Rust side. */
  busy = $state(false);
  /** Why the last add or remove failed, shown in the dialog (the window's alerts are behind it). */
  error = $state<string | null>(null);
  /** What the last add or remove did. */
  notice = $state<string | null>(null);

  readonly #onlist: (list: ProfileList) => void;

  /** `onlist` takes the profile list each change answers with. */
  constructor(onlist: (list: ProfileList) => void) {
    this.#onlist = onlist;
  }

  /** Opens the dialog with no question, failure or notice left from last time. */
  show(): void {
    this.replacing = null;
    this.removing = null;
    this.error = null;
    this.notice = null;
    this.open = true;
  }

  /** Closes the dialog. */
  hide(): void {
    this.open = false;
    this.replacing = null;
    this.removing = null;
  }

  /**
   * Sends `profile` to the keychain. When a keychain profile of that name exists and
   * `profile.replace` is false, nothing changes: `replacing` names it and the outcome is "exists".
   */
  async add(profile: NewKeychainProfile): Promise<AddOutcome> {
    if (this.busy || !this.status.available) return "failed";
    this.begin();
    try {
      this.#onlist(await ipc.addKeychainProfile(profile));
      this.notice = profile.replace
        ? `Replaced the keys of ${profile.name}.`
        : `Added ${profile.name}; its keys are in the keychain.`;
      return "added";
    } catch (error) {
      const { code, message } = ipc.toAppError(error);
      if (code === "profile-exists" && !profile.replace) {
        this.replacing = profile.name;
        return "exists";
      }
      // The keychain went away since the list was read: say so as the list would have.
      if (code === "keychain-unavailable") this.status = { available: false, message };
      else this.error = message;
      return "failed";
    } finally {
      this.busy = false;
    }
  }

  /** Drops the "replace the keys?" question (the analyst said no, or changed the form). */
  keepKeys(): void {
    this.replacing = null;
  }

  /** Asks whether to remove the keychain profile `name`. */
  askRemove(name: string): void {
    this.replacing = null;
    this.removing = name;
  }

  /** Drops the "remove?" question. */
  keepProfile(): void {
    this.removing = null;
  }

  /** Removes the keychain profile `name` and its keys. */
  async remove(name: string): Promise<void> {
    if (this.busy) return;
    this.begin();
    try {
      this.#onlist(await ipc.removeKeychainProfile(name));
      this.notice = `Removed ${name} and its keys.`;
    } catch (error) {
      this.error = ipc.toAppError(error).message;
    } finally {
      this.removing = null;
      this.busy = false;
    }
  }

  private begin(): void {
    this.busy = true;
    this.error = null;
    this.notice = null;
    this.replacing = null;
  }
}
