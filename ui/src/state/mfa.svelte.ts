/**
 * The MFA question: a pull whose profile assumes a role behind an MFA device stops with
 * "mfa-required", and the window asks for the device's current code. The code itself is never
 * held here: the dialog's input passes it straight to the pull, which sends it to the Rust side.
 */

/** The pull the code is for: the one that stopped for it. */
export type MfaRequest = { profile: string | null; regions: string[] };

/**
 * The MFA device in an "mfa-required" message ("profile NAME needs an MFA code from SERIAL: pass
 * --mfa-code …"), or null when the message is not worded that way. Display only: the window
 * branches on the error's code, never on this text.
 */
export function mfaDevice(message: string): string | null {
  const end = message.lastIndexOf(": pass");
  const start = end < 0 ? -1 : message.lastIndexOf("from ", end);
  if (start < 0) return null;
  const device = message.slice(start + "from ".length, end).trim();
  return device === "" ? null : device;
}

export class MfaPrompt {
  /** The pull waiting for a code; null while the dialog is closed. */
  request = $state.raw<MfaRequest | null>(null);
  /** The MFA device to take the code from, or the Rust side's whole message if it names none. */
  device = $state("");
  /** Whether `device` is the device itself rather than the whole message. */
  deviceNamed = $state(false);
  /** Why the last code was refused, shown in the dialog (the window's alerts are behind it). */
  error = $state<string | null>(null);

  /** Whether the dialog is open. */
  open = $derived(this.request !== null);

  /** Opens the dialog for `request`, which the Rust side refused with `message`. */
  ask(request: MfaRequest, message: string): void {
    const device = mfaDevice(message);
    this.request = request;
    this.device = device ?? message;
    this.deviceNamed = device !== null;
    this.error = null;
  }

  /** Keeps the dialog open with the reason the code was refused. */
  refuse(message: string): void {
    this.error = message;
  }

  /** Closes the dialog. */
  hide(): void {
    this.request = null;
    this.error = null;
  }
}
