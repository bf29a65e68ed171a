// Adds up Vitest and Playwright JSON reports: prints "N passed, N failed", exits 1 on any failure
// or when nothing ran. Usage: tsx tests/support/summary.ts report.json…
import fs from "node:fs";

let passed = 0;
let failed = 0;
const missing: string[] = [];
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) {
    missing.push(file);
    continue;
  }
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  if (typeof r.numPassedTests === "number") {
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    // a test file that failed outside its tests (a hook, an import): one failure of its own
    for (const suite of r.testResults ?? []) {
      if (suite.status === "failed" && !(suite.assertionResults ?? []).some((a: { status: string }) => a.status === "failed")) {
        failed += 1;
        console.error(`failed outside its tests: ${suite.name}: ${String(suite.message ?? "").split("\n")[0]}`);
      }
    }
  } else if (r.stats) {
    passed += r.stats.expected + r.stats.flaky;
    failed += r.stats.unexpected;
  }
}
for (const m of missing) console.error(`missing report (the step crashed before reporting): ${m}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 || missing.length > 0 ? 1 : 0);
