import js from "@eslint/js";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";
import svelteConfig from "./ui/svelte.config.js";

/** Ways to put markup into the page that bypass Svelte's text escaping. */
const rawHtmlSinks = ["innerHTML", "outerHTML", "insertAdjacentHTML", "write", "writeln"].map(
  (property) => ({
    selector: `MemberExpression[property.name='${property}']`,
    message: "Finding strings are attacker-controlled: render them as text, never as markup.",
  }),
);

export default ts.config(
  { ignores: ["ui/dist/", "ui/src/lib/bindings.ts"] },
  js.configs.recommended,
  ...ts.configs.strictTypeChecked,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        project: ["./ui/tsconfig.json", "./ui/tsconfig.node.json"],
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: [".svelte"],
      },
    },
  },
  {
    files: ["ui/**/*.svelte", "ui/**/*.svelte.ts"],
    languageOptions: {
      parserOptions: { parser: ts.parser, svelteConfig },
    },
  },
  {
    // Inside .svelte files the linter's type program sees imported components as `any`;
    // svelte-check type-checks those files fully, so these rules would only report noise there.
    files: ["ui/**/*.svelte"],
    rules: {
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    files: ["ui/vite.config.ts"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    rules: {
      "svelte/no-at-html-tags": "error",
      "svelte/no-target-blank": "error",
      "svelte/button-has-type": "error",
      "no-restricted-syntax": ["error", ...rawHtmlSinks],
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
    },
  },
);
