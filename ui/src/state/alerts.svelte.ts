/**
 * What the analyst is told about commands: failures stay in the alert region until dismissed,
 * and one plain notice ("Exported 12 rows to …") says what the last action did.
 */
import type { ErrorCode } from "../lib/bindings";
import { toAppError } from "../lib/ipc";

/** One failure shown in the alert region. */
export type Alert = { id: number; code: ErrorCode; message: string };

/** Oldest alerts are dropped past this many, so a flapping command cannot flood the window. */
const MAX_ALERTS = 5;

export class Alerts {
  /** Failures not yet dismissed, oldest first. */
  errors = $state<Alert[]>([]);
  /** What the last finished action did, or null. */
  notice = $state<string | null>(null);

  #nextId = 1;

  /** Shows `error` (any rejection) in the alert region and returns its code. */
  fail(error: unknown): ErrorCode {
    const { code, message } = toAppError(error);
    this.errors = [...this.errors, { id: this.#nextId++, code, message }].slice(-MAX_ALERTS);
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
