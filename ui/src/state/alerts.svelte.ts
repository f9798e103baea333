/**
 * What the analyst is told about commands: failures stay in the alert region until dismissed,
 * and one plain notice ("Exported 12 rows to …") says what the last action did.
 */
import type { ErrorCode } from "../lib/bindings";
import { toAppError } from "../lib/ipc";

/** What the analyst can do about a failure from its alert, e.g. "Sign in". */
export type AlertAction = { label: string; run: () => void };

/** One failure shown in the alert region, with what to do about it when there is something. */
export type Alert = { id: number; code: ErrorCode; message: string; action: AlertAction | null };

/** Oldest alerts are dropped past this many, so a flapping command cannot flood the window. */
const MAX_ALERTS = 5;

export class Alerts {
  /** Failures not yet dismissed, oldest first. */
  errors = $state<Alert[]>([]);
  /** What the last finished action did, or null. */
  notice = $state<string | null>(null);

  #nextId = 1;

  /** Shows `error` (any rejection) in the alert region, offering `action`; returns its code. */
  fail(error: unknown, action: AlertAction | null = null): ErrorCode {
    const { code, message } = toAppError(error);
    const alert = { id: this.#nextId++, code, message, action };
    this.errors = [...this.errors, alert].slice(-MAX_ALERTS);
    return code;
  }

  /** Removes the alert `id`. */
  dismiss(id: number): void {
    this.errors = this.errors.filter((alert) => alert.id !== id);
  }

  /** Replaces the notice with `message`. */
  note(message: string): void {
    this.notice = message;
  }
}
