import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const alias = {
  "~": fileURLToPath(new URL("./app", import.meta.url)),
  "~db": fileURLToPath(new URL("./db", import.meta.url)),
  "~integrations": fileURLToPath(new URL("./integrations", import.meta.url)),
  "~locales": fileURLToPath(new URL("./locales", import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One fork per file keeps PGlite's WASM memory bounded on 2 cores.
    pool: "forks",
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      { extends: true, test: { name: "integration", include: ["tests/integration/**/*.test.ts"] } },
      // Needs `remix build` first: spawns the real server process.
      // npm run test:reliability: fault matrices, crash loops, several workers (PostgreSQL).
      { extends: true, test: { name: "reliability", include: ["tests/reliability/**/*.test.ts"], fileParallelism: false, testTimeout: 1_200_000 } },
      { extends: true, test: { name: "system", include: ["tests/system/**/*.test.ts"], fileParallelism: false } },
    ],
  },
});
