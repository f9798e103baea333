/** Svelte compiler options shared by Vite, svelte-check and eslint-plugin-svelte. */
export default {
  compilerOptions: {
    // Runes only: legacy `export let`, `$:` and stores are compile errors.
    runes: true,
  },
};
