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
    rules: { "no-restricted-imports": ["error", serverOnly] },
  },
  // Routes stay thin: no SQL or drizzle in them.
  {
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "drizzle-orm", message: "Routes call modules; modules own queries." }], ...serverOnly }],
    },
  },
  // Integrations depend on nothing in the app.
  {
    files: ["integrations/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["~/*"], message: "integrations/ must not depend on app/." }] }] },
  },
);
