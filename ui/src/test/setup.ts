/** Runs before every UI test file: each test starts with an empty document. */
import { cleanup } from "@testing-library/svelte";
import { afterEach } from "vitest";

afterEach(() => {
  cleanup();
});

// jsdom has no modal dialogs; this stand-in opens and closes a <dialog> as browsers do
// (the `open` attribute, and a "close" event when it closes) for the components that use one.
const dialog: Partial<HTMLDialogElement> = HTMLDialogElement.prototype;
if (dialog.showModal === undefined) {
  dialog.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute("open", "");
  };
  dialog.close = function close(this: HTMLDialogElement) {
    if (!this.hasAttribute("open")) return;
    this.removeAttribute("open");
    this.dispatchEvent(new Event("close"));
  };
}
