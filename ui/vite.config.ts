/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
const testing = process.env.VITEST !== undefined;

export default defineConfig({
  root,
  // Relative asset paths: Tauri serves the built files from its own protocol, not from "/".
  base: "./",
  clearScreen: false,
  // Keep Vite's and Vitest's caches beside the one node_modules at the repository root.
  cacheDir: "../node_modules/.vite",
  plugins: [svelte()],
  // Svelte 5 resolves its server build under Node unless told the tests run in a browser-like DOM.
  resolve: testing ? { conditions: ["browser"] } : {},
  server: {
    port: 1420,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The window's CSP allows only the app's own files, so no asset becomes a data: URL.
    assetsInlineLimit: 0,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
    mockReset: true,
    // A limit, not a measurement: on a loaded 2-core CI machine rendering 200 rows in jsdom can
    // take more than the default 5 s.
    testTimeout: 30_000,
  },
});
