/**
 * Signing in with an SSO profile from the window, instead of `aws sso login` in a terminal. The
 * Rust side opens the AWS sign-in page itself and sends the code to confirm there; the dialog
 * shows that code and waits, as the command does, until the analyst approved in the browser.
 */
import type { DeviceCode, SignedIn } from "../lib/bindings";
import * as ipc from "../lib/ipc";

export class SsoSignIn {
  /** The profile the dialog signs in with; null while the dialog is closed. */
  profile = $state<string | null>(null);
  /** The code to confirm in the browser, once the Rust side sent it. */
  deviceCode = $state.raw<DeviceCode | null>(null);
  /** Why the last sign-in failed, shown in the dialog (the window's alerts are behind it). */
  error = $state<string | null>(null);

  /** Whether the dialog is open. */
  open = $derived(this.profile !== null);

  readonly #onsigned: (signedIn: SignedIn) => void;
  // Each sign-in carries a number: only the latest one may change what the dialog shows.
  #attempts = 0;

  /** `onsigned` takes every sign-in that succeeded, even one whose dialog was closed. */
  constructor(onsigned: (signedIn: SignedIn) => void) {
    this.#onsigned = onsigned;
  }

  /** Opens the dialog and signs in with `profile`; resolves once the Rust side answered. */
  async start(profile: string): Promise<void> {
    const attempt = ++this.#attempts;
    this.profile = profile;
    this.deviceCode = null;
    this.error = null;
    try {
      const signedIn = await ipc.ssoSignIn(profile);
      if (attempt === this.#attempts) this.hide();
      this.#onsigned(signedIn);
    } catch (error) {
      // A sign-in the analyst walked away from (closed, or started again) says nothing more.
      if (attempt === this.#attempts && this.open) this.error = ipc.toAppError(error).message;
    }
  }

  /** Signs in again with the dialog's profile, after a failure. */
  async retry(): Promise<void> {
    if (this.profile !== null) await this.start(this.profile);
  }

  /** Shows the code the Rust side sent, while the dialog waits for one. */
  showCode(code: DeviceCode): void {
    if (this.open && this.error === null) this.deviceCode = code;
  }

  /** Closes the dialog; the Rust side keeps waiting until its code expires, which is harmless. */
  hide(): void {
    this.#attempts++;
    this.profile = null;
    this.deviceCode = null;
    this.error = null;
  }
}
