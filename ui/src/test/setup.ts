/** Runs before every UI test file: each test starts with an empty document. */
import { cleanup } from "@testing-library/svelte";
import { afterEach } from "vitest";

afterEach(() => {
  cleanup();
});
