import { describe, expect, it } from "vitest";
import { keyAction, type KeyPress } from "./keyboard";

function press(key: string, target: EventTarget | null = document.body, more = {}): KeyPress {
  return { key, ctrlKey: false, metaKey: false, altKey: false, target, ...more };
}

describe("keyAction", () => {
  it("maps the shortcut keys on the page", () => {
    expect(keyAction(press("/"))).toBe("focus-filter");
    expect(keyAction(press("j"))).toBe("next");
    expect(keyAction(press("ArrowDown"))).toBe("next");
    expect(keyAction(press("k"))).toBe("previous");
    expect(keyAction(press("ArrowUp"))).toBe("previous");
    expect(keyAction(press("Enter"))).toBe("open");
    expect(keyAction(press("c"))).toBe("copy-indicator");
    expect(keyAction(press("o"))).toBe("open-doc");
    expect(keyAction(press("e"))).toBe("export");
    expect(keyAction(press("x"))).toBeNull();
  });

  it("leaves typed keys to a text field, except Escape", () => {
    const input = document.createElement("input");
    expect(keyAction(press("j", input))).toBeNull();
    expect(keyAction(press("/", input))).toBeNull();
    expect(keyAction(press("Escape", input))).toBe("leave-field");
  });

  it("leaves Enter to a focused button, which opens by itself", () => {
    expect(keyAction(press("Enter", document.createElement("button")))).toBeNull();
    expect(keyAction(press("j", document.createElement("button")))).toBe("next");
  });

  it("leaves every key to an open dialog, Escape included, so the dialog can close", () => {
    const dialog = document.createElement("dialog");
    const button = document.createElement("button");
    const input = document.createElement("input");
    dialog.append(button, input);
    expect(keyAction(press("e", button))).toBeNull();
    expect(keyAction(press("Enter", dialog))).toBeNull();
    expect(keyAction(press("Escape", input))).toBeNull();
  });

  it("ignores keys held with a modifier", () => {
    expect(keyAction(press("c", document.body, { ctrlKey: true }))).toBeNull();
    expect(keyAction(press("e", document.body, { metaKey: true }))).toBeNull();
  });
});
