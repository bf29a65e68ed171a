// What operators see of the sync: queue depth, lag, outcome rates, dead letters, a dossier's ledger.
import { desc, eq, sql } from "drizzle-orm";
import { selectRows, type AppDb } from "~db/client.server";
import { dossiers, syncAttempts, syncState } from "~db/schema";
import { queueStats } from "./sync.server";

export async function syncOverview(db: AppDb) {
  const queue = await queueStats(db);
  const rates = await selectRows<{ outcome: string; n: number; p50: number | null; p99: number | null }>(
    db,
    sql`select outcome, count(*)::int as n,
          percentile_cont(0.5) within group (order by latency_ms)::float8 as p50,
          percentile_cont(0.99) within group (order by latency_ms)::float8 as p99
        from ${syncAttempts} where at > now() - interval '1 hour' group by outcome order by outcome`,
  );
  const dead = await db
    .select({ code: dossiers.code, id: dossiers.id, deadAt: syncState.deadAt, lastError: syncState.lastError })
    .from(syncState).innerJoin(dossiers, eq(dossiers.id, syncState.dossierId))
    .where(sql`${syncState.deadAt} is not null`).orderBy(desc(syncState.deadAt)).limit(100);
  return {
    queue,
    rates,
    dead: dead.map((d) => ({ ...d, deadAt: d.deadAt?.toISOString() ?? null })),
  };
}

export async function dossierLedger(db: AppDb, code: string) {
  const [d] = await db
    .select({ id: dossiers.id, code: dossiers.code, status: dossiers.status, wanted: syncState.wantedVersion, synced: syncState.syncedVersion, deadAt: syncState.deadAt, lastError: syncState.lastError, attempts: syncState.attempts })
    .from(dossiers).leftJoin(syncState, eq(syncState.dossierId, dossiers.id)).where(eq(dossiers.code, code));
  if (!d) return null;
  const calls = await db.select().from(syncAttempts).where(eq(syncAttempts.dossierId, d.id)).orderBy(desc(syncAttempts.id)).limit(200);
  return {
    dossier: { ...d, deadAt: d.deadAt?.toISOString() ?? null },
    calls: calls.map((c) => ({ id: c.id, at: c.at.toISOString(), worker: c.worker, service: c.service, outcome: c.outcome, latencyMs: c.latencyMs, request: JSON.stringify(c.request), response: JSON.stringify(c.response) })),
  };
}

export async function dossierIdByCode(db: AppDb, code: string): Promise<string | null> {
  const [d] = await db.select({ id: dossiers.id }).from(dossiers).where(eq(dossiers.code, code));
  return d?.id ?? null;
}
