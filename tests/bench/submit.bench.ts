// The citizen's submit action vs a bare Remix route on the same server, PostgreSQL, 32 connections.
// Submit = POST /nop/{draft}/xem-lai with intent=submit: the session and the draft are looked up,
// every step is re-validated, then one transaction writes the dossier (daily code), its first
// event, its audit entry, its sync job, its files, and its SMS and email; the answer is a 302 to
// /ho-so/{code}?moi=1. Every request submits a fresh, complete draft (prepared beforehand, spread
// over the commune committees; citizens each own several, so a session is touched at most once
// a minute as in real use). The sync and notification workers are off: their queues just fill.
// Target: submit serves at least 0.5 of the bare route's requests/s, with p99 under 250 ms.
import type autocannon from "autocannon";
import { eq } from "drizzle-orm";
import { verifyAuditLog } from "~/modules/audit/audit.server";
import { createSession, csrfTokenOf, tokenHash } from "~/modules/identity/sessions.server";
import { openDb } from "~db/client.server";
import { sessions } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { createScratchDatabase } from "../support/db";
import { communeCommittees, insertCitizens, insertReadyDrafts } from "../support/filing-drafts";
import { startPortal } from "../support/server";
import { cpuMs, load, median, type Measure } from "./lib";

const DRAFTS = Number(process.env.BENCH_SUBMIT_DRAFTS ?? 20_000);
const CITIZENS = Number(process.env.BENCH_SUBMIT_CITIZENS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_SUBMIT_ROUNDS ?? 7);
const SECONDS = Number(process.env.BENCH_SUBMIT_SECONDS ?? 6);
const CONNECTIONS = 32;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 250;
/** Web processes of the portal under test (WEB_CONCURRENCY; bare and submit are served by the same ones). */
const WEB_CONCURRENCY = process.env.BENCH_WEB_CONCURRENCY ?? "1";

export async function benchSubmit(): Promise<boolean> {
  const scratch = await createScratchDatabase(process.env.DATABASE_URL!, "benchsubmit");
  const h = await openDb({ databaseUrl: scratch.url });
  try {
    let t0 = performance.now();
    await seedCatalog(h.db);
    const people = await insertCitizens(h.db, CITIZENS);
    const places = await communeCommittees(h.db);
    const ready = await insertReadyDrafts(h.db, Array.from({ length: DRAFTS }, (_, k) => people[k % CITIZENS]), places);
    // the portal runs with NODE_ENV=production: the cookie carries the __Host- prefix
    const credentials = new Map<string, { cookie: string; csrf: string }>();
    for (const c of people) {
      const token = await createSession(h.db, { kind: "citizen", userId: c.id, stage: "full", ttlMs: 8 * 3600_000, device: "bench" });
      const [row] = await h.db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
      credentials.set(c.id, { cookie: `__Host-qn_citizen=${token}`, csrf: csrfTokenOf(row) });
    }
    await h.query("analyze");
    console.log(`submit benchmark: WEB_CONCURRENCY=${WEB_CONCURRENCY}, ${CITIZENS} citizens, ${DRAFTS} complete drafts over ${places.length} commune committees, ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const portal = await startPortal({
      databaseUrl: scratch.url,
      env: { BENCH_ROUTES: "true", SYNC_WORKER: "false", NOTIFICATION_WORKER: "false", LOG_LEVEL: "warn", WEB_CONCURRENCY, CITIZEN_FRONT: "province" },
    });
    let next = 0;
    let good = 0;
    const bad = new Map<string, number>();
    const submitRequest = (d: (typeof ready)[number]) => {
      const who = credentials.get(d.citizen.id)!;
      return {
        method: "POST" as const,
        path: `/nop/${d.draftId}/xem-lai`,
        headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded" },
        body: `intent=submit&declaration=on&csrf=${encodeURIComponent(who.csrf)}`,
      };
    };
    const expected = (status: number, location: string | undefined) => status === 302 && /^\/ho-so\/[^/?]+\?moi=1$/.test(location ?? "");
    const generator: autocannon.Request[] = [{
      // a fresh draft for every request; past the last one, a draft that does not exist (counted as an error)
      setupRequest: (req) => ({ ...req, ...submitRequest(ready[next++] ?? { ...ready[0], draftId: "00000000-0000-4000-8000-000000000000" }) }),
      onResponse: (status, _body, _context, headers) => {
        const location = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === "location")?.[1];
        if (expected(status, location === undefined ? undefined : String(location))) good++;
        else bad.set(String(status), (bad.get(String(status)) ?? 0) + 1);
      },
    }];
    type Cpu = { server: number; db: number };
    const results: { bare: (Measure & { cpu: Cpu })[]; submit: (Measure & { ok: number; failed: number; cpu: Cpu })[] } = { bare: [], submit: [] };
    // CPU per request, from /proc: the portal (and its workers) and the PostgreSQL backends of the scratch database
    const database = new URL(scratch.url).pathname.slice(1);
    // read once the server has finished the requests in flight when the load stopped (their work
    // counts, but they are not in the total: an overestimate of at most 32 requests' worth)
    const cpuNow = async (): Promise<Cpu> => {
      await new Promise((r) => setTimeout(r, 1000));
      return { server: cpuMs({ pid: portal.proc.pid! }), db: cpuMs({ database }) };
    };
    const perRequest = (a: Cpu, b: Cpu, n: number): Cpu => ({ server: (b.server - a.server) / n, db: (b.db - a.db) / n });
    const cpuText = (c: Cpu) => `CPU/req server ${c.server.toFixed(1)} ms, PostgreSQL ${c.db.toFixed(1)} ms`;
    try {
      // one by hand first: the answer a browser gets
      const first = submitRequest(ready[next++]);
      const probe = await fetch(`${portal.url}${first.path}`, { method: first.method, headers: first.headers, body: first.body, redirect: "manual" });
      if (!expected(probe.status, probe.headers.get("location") ?? undefined)) {
        throw new Error(`submit answered ${probe.status} ${probe.headers.get("location") ?? ""}: ${(await probe.text()).slice(0, 300)}`);
      }
      console.log(`  probe: ${probe.status} → ${probe.headers.get("location")}`);
      const bare = `${portal.url}/bench/bare`;
      const submit = async () => {
        good = 0;
        bad.clear();
        const m = await load(portal.url, { connections: CONNECTIONS, seconds: SECONDS, requests: generator });
        return { ...m, ok: good, failed: [...bad.values()].reduce((a, b) => a + b, 0) + m.errors };
      };
      await load(bare, { connections: CONNECTIONS, seconds: 3 }); // warm-up
      const warm = await submit();
      console.log(`  warm-up submit ${warm.rps.toFixed(0)} req/s, ${warm.ok} ok, ${warm.failed} failed`);
      // Paired rounds: each bare run is followed at once by a submit run, so drift on this shared
      // machine hits both sides of a pair; the result is the median of the per-pair ratios.
      for (let i = 0; i < ROUNDS; i++) {
        const c0 = await cpuNow();
        const b = { ...(await load(bare, { connections: CONNECTIONS, seconds: SECONDS })), cpu: { server: 0, db: 0 } };
        const c1 = await cpuNow();
        b.cpu = perRequest(c0, c1, b.total);
        results.bare.push(b);
        console.log(`  round ${i + 1} bare   ${b.rps.toFixed(0).padStart(6)} req/s  p50 ${b.p50} ms  p99 ${b.p99} ms (open connections ${b.p99Warm} ms)  errors ${b.errors}  non-2xx ${b.non2xx}  ${cpuText(b.cpu)}`);
        const s = { ...(await submit()), cpu: { server: 0, db: 0 } };
        s.cpu = perRequest(c1, await cpuNow(), s.total);
        results.submit.push(s);
        const statuses = Object.entries(s.byStatus).map(([k, v]) => `${k}×${v}`).join(" ");
        console.log(`  round ${i + 1} submit ${s.rps.toFixed(0).padStart(6)} req/s  p50 ${s.p50} ms  p99 ${s.p99} ms (open connections ${s.p99Warm} ms)  ok ${s.ok}  failed ${s.failed} (${statuses}${bad.size ? `; unexpected ${[...bad].map(([k, v]) => `${k}×${v}`).join(" ")}` : ""})  ${cpuText(s.cpu)}`);
      }
    } finally {
      await portal.stop();
    }
    if (next > ready.length) console.log(`  DRAFTS EXHAUSTED: ${next - ready.length} requests had no fresh draft; raise BENCH_SUBMIT_DRAFTS`);

    // what the run left behind: one dossier, one sync job, two notifications per submission; the audit chain intact
    t0 = performance.now();
    const [{ dossiers, submitted, synced, notified }] = await h.query<{ dossiers: number; submitted: number; synced: number; notified: number }>(
      `select (select count(*) from dossiers where channel = 2)::int as dossiers, (select count(*) from drafts where submitted_dossier_id is not null)::int as submitted,
              (select count(*) from sync_state)::int as synced, (select count(*) from notifications)::int as notified`,
    );
    const audit = await verifyAuditLog(h.db);
    console.log(`  afterwards: ${dossiers} online dossiers, ${submitted} drafts submitted, ${synced} sync jobs queued, ${notified} notifications queued; audit log ${audit.ok ? `verifies (${audit.rows} rows)` : `BROKEN: ${JSON.stringify(audit)}`} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

    const bareRps = median(results.bare.map((m) => m.rps));
    const submitRps = median(results.submit.map((m) => m.rps));
    const ratio = median(results.submit.map((m, i) => m.rps / results.bare[i].rps));
    const p99 = median(results.submit.map((m) => m.p99));
    const failed = results.submit.reduce((a, m) => a + m.failed, 0);
    console.log(`bare   median ${bareRps.toFixed(0)} req/s, p99 ${median(results.bare.map((m) => m.p99))} ms (open connections ${median(results.bare.map((m) => m.p99Warm))} ms)`);
    console.log(`submit median ${submitRps.toFixed(0)} req/s, p50 ${median(results.submit.map((m) => m.p50))} ms, p99 ${p99} ms (worst round ${Math.max(...results.submit.map((m) => m.p99))} ms; open connections ${median(results.submit.map((m) => m.p99Warm))} ms)`);
    console.log(`ratio of medians = ${(submitRps / bareRps).toFixed(2)}`);
    const cpuMedian = (ms: { cpu: Cpu }[]): Cpu => ({ server: median(ms.map((m) => m.cpu.server)), db: median(ms.map((m) => m.cpu.db)) });
    console.log(`median ${cpuText(cpuMedian(results.bare))} (bare); ${cpuText(cpuMedian(results.submit))} (submit)`);
    const pass = ratio >= TARGET_RATIO && p99 < TARGET_P99_MS && failed === 0 && audit.ok && next <= ready.length;
    console.log(`RATIO submit/bare = ${ratio.toFixed(2)} (target >= ${TARGET_RATIO.toFixed(2)}), p99 ${p99} ms (target < ${TARGET_P99_MS}); failed ${failed} — ${pass ? "PASS" : "FAIL"}`);
    return pass;
  } finally {
    await h.close();
    await scratch.drop();
  }
}
