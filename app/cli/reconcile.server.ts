// npm run reconcile -- --date YYYY-MM-DD [--requeue]
// Compares every dossier submitted that day with the national portal's copy and prints the report.
import { parseArgs } from "node:util";
import { parseConfig } from "~/config.server";
import { reconcileDay } from "~/modules/sync/reconcile.server";
import { nationalPortalFrom } from "~/wiring.server";
import { openDb } from "~db/client.server";

const { values } = parseArgs({ options: { date: { type: "string" }, requeue: { type: "boolean", default: false } } });
if (!values.date || !/^\d{4}-\d{2}-\d{2}$/.test(values.date) || Number.isNaN(Date.parse(values.date))) {
  console.error("usage: npm run reconcile -- --date YYYY-MM-DD [--requeue]");
  process.exit(2);
}
const c = parseConfig(process.env);
const handle = await openDb({ databaseUrl: c.DATABASE_URL, pgliteDir: c.PGLITE_DIR });
try {
  const portal = nationalPortalFrom(c);
  const r = await reconcileDay(handle.db, portal, values.date, { requeue: values.requeue });
  console.log(`date ${r.date}: ${r.local} local, ${r.matching} matching, ${r.missingNationally.length} missing nationally, ${r.different.length} different, ${r.unreachable.length} not checked (unreachable)${values.requeue ? `, ${r.requeued} re-enqueued` : ""}`);
  for (const code of r.missingNationally) console.log(`missing   ${code}`);
  for (const code of r.different) console.log(`different ${code}`);
  for (const code of r.unreachable) console.log(`unchecked ${code}`);
  process.exitCode = r.missingNationally.length || r.different.length || r.unreachable.length ? 1 : 0;
} finally {
  await handle.close();
}
