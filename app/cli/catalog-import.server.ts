// npm run catalog:import [-- --dry-run]
// Updates the catalogue from the national portal (LayDanhSachTTHC / LayThuTuc) configured by
// NATIONAL_PORTAL_*: a progress bar on stderr, then a summary of what changed on stdout.
// Exit code 0 when everything was read, 1 when some procedures could not be, 2 on bad usage or
// when the national portal could not be reached at all (nothing is written then).
import { parseArgs } from "node:util";
import { parseConfig } from "~/config.server";
import { CatalogImportError, importCatalog } from "~/modules/catalog/import.server";
import { nationalPortalFrom } from "~/wiring.server";
import { openDb } from "~db/client.server";

let values: { "dry-run"?: boolean };
try {
  ({ values } = parseArgs({ options: { "dry-run": { type: "boolean", default: false } } }));
} catch (e) {
  console.error(`${(e as Error).message}\nusage: npm run catalog:import [-- --dry-run]`);
  process.exit(2);
}

function progressBar(done: number, total: number, code: string) {
  if (process.stderr.isTTY) {
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    process.stderr.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${code.padEnd(10)}`);
    if (done === total) process.stderr.write("\n");
  } else if (done === total || done % Math.max(1, Math.ceil(total / 10)) === 0) {
    process.stderr.write(`${done}/${total} procedures read\n`);
  }
}

const c = parseConfig(process.env);
const handle = await openDb({ databaseUrl: c.DATABASE_URL, pgliteDir: c.PGLITE_DIR });
try {
  const portal = nationalPortalFrom(c);
  const s = await importCatalog(handle.db, portal, { dryRun: values["dry-run"], onProgress: progressBar });
  console.log(`${s.dryRun ? "dry run: " : ""}${s.listed} procedures listed nationally: ${s.added.length} added, ${s.updated.length} updated, ${s.unchanged} unchanged, ${s.failed.length} not read`);
  for (const code of s.added) console.log(`added     ${code}`);
  for (const u of s.updated) console.log(`updated   ${u.code} (${u.fields.join(", ")})${u.needsReview ? ` — review: ${u.needsReview}` : ""}`);
  for (const f of s.failed) console.log(`not read  ${f.code}: ${f.reason}`);
  process.exitCode = s.failed.length ? 1 : 0;
} catch (e) {
  if (!(e instanceof CatalogImportError)) throw e;
  console.error(`catalog import: ${e.message} — nothing was changed`);
  process.exitCode = 2;
} finally {
  await handle.close();
}
