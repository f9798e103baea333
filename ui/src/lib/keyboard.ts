/**
 * The window's keyboard shortcuts, as a pure mapping from a key press to what it asks for, so
 * the rules (which keys, and when typing must win) are tested without a window.
 */

/** What a shortcut asks the window to do. */
export type KeyAction =
  | "focus-filter"
  | "leave-field"
  | "next"
  | "previous"
  | "open"
  | "copy-indicator"
  | "open-doc"
  | "export";

/** The parts of a `KeyboardEvent` the mapping reads. */
export type KeyPress = {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
};

const LETTERS: Record<string, KeyAction> = {
  "/": "focus-filter",
  j: "next",
  ArrowDown: "next",
  k: "previous",
  ArrowUp: "previous",
  c: "copy-indicator",
  o: "open-doc",
  e: "export",
};

/** True when keys typed at `target` are text or control its own value. */
function takesKeys(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** True when Enter on `target` already activates it (a button, a link, a summary). */
function activatesOnEnter(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return ["BUTTON", "A", "SUMMARY"].includes(target.tagName);
}

/** True when `target` is inside a dialog, whose keys (Escape included) are its own. */
function inDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest("dialog") !== null;
}

/** The action `press` asks for, or null when it belongs to the focused control or to nobody. */
export function keyAction(press: KeyPress): KeyAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (inDialog(press.target)) return null;
  if (takesKeys(press.target)) return press.key === "Escape" ? "leave-field" : null;
  if (press.key === "Enter") return activatesOnEnter(press.target) ? null : "open";
  return LETTERS[press.key] ?? null;
}
