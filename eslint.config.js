// Lint: TypeScript's recommended rules plus the module boundaries of docs/decisions/004.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const serverOnly = {
  patterns: [
    {
      group: ["~db/*", "~integrations/*", "**/db/*", "**/integrations/*"],
      message: "db/ and integrations/ are server-only: import them from *.server.ts modules (see docs/decisions/004).",
    },
  ],
};

/** The composition root (ADR 020): only server.ts and the CLIs build outside systems. */
const compositionRoot = {
  group: ["~/wiring.server", "**/wiring.server"],
  message: "Only server.ts and app/cli/ wire dependencies (docs/decisions/020): take what you need as a parameter or from context.services.",
};

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", ".cache/**", "node_modules/**", "data/**", "test-results/**", "playwright-report/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-syntax": ["error", { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name=/^(only|skip)$/]", message: "No focused or skipped tests." }],
    },
  },
  // Browser-reachable app code (everything but *.server.ts) must not reach the server-only folders.
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/**/*.server.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [...serverOnly.patterns, compositionRoot] }] },
  },
  // Server-side modules and helpers never reach for the composition root: dependencies are passed in.
  {
    files: ["app/modules/**/*.server.{ts,tsx}", "app/lib/**/*.server.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [compositionRoot] }] },
  },
  // Routes stay thin: no SQL or drizzle in them.
  {
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "drizzle-orm", message: "Routes call modules; modules own queries." }], patterns: [...serverOnly.patterns, compositionRoot] }],
    },
  },
  // Integrations depend on nothing in the app.
  {
    files: ["integrations/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["~/*"], message: "integrations/ must not depend on app/." }] }] },
  },
);
