// Which dossiers had their fee paid online, through the national payment platform (PayGov): the
// fact the national portal counts as DuocThanhToanTrucTuyen. A fee paid in cash at the counter
// (method 'cash'), a pending or failed attempt and a free procedure are not.
import { and, eq, inArray } from "drizzle-orm";
import type { AppDb, AppTx } from "~db/client.server";
import { payments } from "~db/schema";

/** The ids, among these dossiers, with a paid PayGov payment; one statement for all of them. */
export async function paidOnlineOf(db: AppDb | AppTx, dossierIds: readonly string[]): Promise<Set<string>> {
  if (dossierIds.length === 0) return new Set();
  const rows = await db.selectDistinct({ dossierId: payments.dossierId }).from(payments)
    .where(and(inArray(payments.dossierId, [...dossierIds]), eq(payments.status, "paid"), eq(payments.method, "paygov")));
  return new Set(rows.map((r) => r.dossierId!));
}
