// Which dossiers had their fee paid online, through the national payment platform (PayGov): the
// fact the national portal counts as DuocThanhToanTrucTuyen. A fee paid in cash at the counter
// (method 'cash'), a pending or failed attempt and a free procedure are not.
import { sql, type SQL } from "drizzle-orm";
import { selectRows, uuidArray, type AppDb } from "~db/client.server";
import { payments } from "~db/schema";

/**
 * The ids, among these dossiers, with a paid PayGov payment, as a JSON array built by PostgreSQL:
 * a part of a statement that reads several tables in one snapshot (the sync worker's).
 */
export const paidOnlineJson = (dossierIds: SQL): SQL => sql`(
  select coalesce(json_agg(distinct p.dossier_id), '[]') from ${payments} p
  where p.dossier_id = any(${dossierIds}) and p.status = 'paid' and p.method = 'paygov')`;

/** The ids, among these dossiers, with a paid PayGov payment; one statement for all of them. */
export async function paidOnlineOf(db: AppDb, dossierIds: readonly string[]): Promise<Set<string>> {
  if (dossierIds.length === 0) return new Set();
  const [row] = await selectRows<{ paid: string[] }>(db, sql`select ${paidOnlineJson(uuidArray(dossierIds))} as paid`);
  return new Set(row.paid);
}
