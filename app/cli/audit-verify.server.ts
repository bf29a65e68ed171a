// npm run audit:verify — recomputes the audit log's hash chain; exit code 1 naming the first bad row.
import { parseConfig } from "~/config.server";
import { verifyAuditLog } from "~/modules/audit/audit.server";
import { openDb } from "~db/client.server";

const c = parseConfig(process.env);
const handle = await openDb({ databaseUrl: c.DATABASE_URL, pgliteDir: c.PGLITE_DIR });
try {
  const r = await verifyAuditLog(handle.db);
  if (r.ok) console.log(`audit log OK: ${r.rows} rows, head ${r.head}`);
  else console.log(`audit log BROKEN at row ${r.badRowId ?? "?"}: ${r.reason} (${r.rows} rows verified before it)`);
  process.exitCode = r.ok ? 0 : 1;
} finally {
  await handle.close();
}
