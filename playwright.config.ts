import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3210);
// Debian's chromium by default (Playwright cannot download its own browser on these machines);
// CHROMIUM_PATH points elsewhere, or "" uses Playwright's bundled Chromium.
// The citizen-side mocks (e-ID, population, PayGov, mail, SMS) on their own ports, configured from
// the same variables as the portal. Their ports follow E2E_PORT (3210 → 4120…4140), so two suites
// with different E2E_PORT values can run on one machine.
const at = (offset: number) => `http://127.0.0.1:${PORT + offset}`;
const MOCKS = {
  PUBLIC_URL: `http://127.0.0.1:${PORT}`,
  VNEID_ISSUER: at(910), VNEID_CLIENT_SECRET: "e2e-vneid-secret",
  POPULATION_URL: at(920), POPULATION_TOKEN: "e2e-population-token",
  PAYGOV_URL: at(930), PAYGOV_SECRET: "e2e-paygov-secret",
  SMTP_URL: `smtp://127.0.0.1:${PORT + 914}`, MOCK_MAIL_HTTP_PORT: String(PORT + 915),
  SMS_URL: at(916), SMS_TOKEN: "e2e-sms-token",
  // the mock national portal, which the portal's sync worker keeps up to date
  NATIONAL_PORTAL_URL: at(925),
};
export const E2E_MOCKS = {
  vneid: MOCKS.VNEID_ISSUER, paygov: MOCKS.PAYGOV_URL,
  mailApi: at(915), smsApi: MOCKS.SMS_URL, smsToken: MOCKS.SMS_TOKEN,
  national: MOCKS.NATIONAL_PORTAL_URL,
};

// Where citizens file online (ADR 025): the suite runs in either mode, specs assert that mode's journey.
export const E2E_FRONT: "national" | "province" = process.env.CITIZEN_FRONT === "province" ? "province" : "national";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Generous per-test budgets: these machines are shared and a loaded 2-core box runs axe scans
  // several times slower (a budget is not an assertion about speed; none is made here).
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: executablePath || undefined,
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ],
    },
    locale: "en-US", // the browser asks for English: the portal must still default to Vietnamese
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  webServer: [{
    // The production build (npm test builds first) served by server.ts. A fresh PGlite per run,
    // or the PostgreSQL database in E2E_DATABASE_URL.
    command: "rm -rf data/pglite-e2e data/files-e2e && exec node --import tsx server.ts",
    url: `http://127.0.0.1:${PORT}/readyz`,
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      PGLITE_DIR: "data/pglite-e2e",
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
      LOG_LEVEL: "warn",
      START_MOCKS: "false",
      SEED_DEMO_STAFF: "true",
      NATIONAL_INBOUND_TOKEN: "e2e-inbound-token-0123456789",
      SYNC_WORKER: "true",
      NOTIFICATION_WORKER: "true",
      STORAGE_DIR: "data/files-e2e",
      ALLOW_UNSCANNED_UPLOADS: "true", // no clamd on a test machine
      CITIZEN_FRONT: E2E_FRONT,
      ...MOCKS,
    },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  }, {
    command: "exec node --import tsx integrations/dev-mocks.ts",
    url: `${MOCKS.VNEID_ISSUER}/.well-known/openid-configuration`,
    env: MOCKS,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  }, {
    // no latency and no faults: the specs check what reached it, not how the sync copes
    command: `rm -rf data/mock-national-e2e && exec node --import tsx integrations/national-portal/mock/cli.ts --port ${PORT + 925} --dir data/mock-national-e2e --latency-ms 0 --province-inbound http://127.0.0.1:${PORT}/api/dvcqg/ho-so --inbound-token e2e-inbound-token-0123456789 --province-url http://127.0.0.1:${PORT}`,
    url: `${MOCKS.NATIONAL_PORTAL_URL}/openapi.json`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  }],
});
