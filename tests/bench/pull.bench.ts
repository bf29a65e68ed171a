// One round of the inbound pull (LayHoSoTuDVCQG from the stored cursor, ADR 024) with 1,000 and
// with 100,000 national dossiers already received, on PostgreSQL. Each size has its own scratch
// database and mock (in this process, its own schema in that database): the filings and our
// dossiers, events, receipts and cursor seeded by SQL in bulk. Then PULL_ROUNDS paired rounds,
// alternating the sizes: PULL_NEW new filings and one pull round timed, its rows read from the
// answers counted, and the rows PostgreSQL read (pg_stat_user_tables: seq_tup_read + idx_tup_fetch,
// both schemas; best effort, backends flush these counters about once a second) measured.
// Verdict: the paired median of round time at 100,000 / at 1,000 <= 1.5 and the same rows read.
// For contrast: the old unpaged call's time and rows, and the page query's plan, at each size.
import { pullFromNational } from "~/modules/sync/inbound-pull.server";
import { openDb, type DbHandle } from "~db/client.server";
import { seedCatalog } from "~db/seed";
import { NationalPortalHttp } from "~integrations/national-portal/http";
import { pullCursorAt } from "~integrations/national-portal/mock/pull";
import { startMock } from "~integrations/national-portal/mock/server";
import { createScratchDatabase } from "../support/db";
import { median } from "./lib";

const SIZES = [1_000, 100_000];
const NEW = Number(process.env.PULL_NEW ?? 100);
const ROUNDS = Number(process.env.PULL_ROUNDS ?? 7);
const AGENCY = "000.05.31.H49";

/** Filings numbered from..to on the mock's side; with `received`, our dossiers, events and receipts for them too. */
async function seed(h: DbHandle, day: string, from: number, to: number, received: boolean) {
  await h.query(
    `insert into mock_national.citizen_filings (ma_ho_so, data, delivered)
     select code, jsonb_build_object('MaHoSo', code, 'MaTTHC', '1.004222', 'TenTTHC', 'Đăng ký thường trú', 'KenhThucHien', 2,
       'ChuHoSo', 'Công dân ' || i, 'LoaiDoiTuong', 1, 'NgayNopHoSo', $2 || '080000', 'TrangThaiHoSo', 1, 'DonViXuLy', $4::text), $5
     from (select i, $4 || '-' || $2 || '-' || lpad(i::text, 7, '0') as code from generate_series($1::int, $3::int) i) s`,
    [from, day, to, AGENCY, received],
  );
  if (!received) return;
  await h.query(
    `with d as (
       insert into dossiers (code, procedure_code, procedure_name, agency_code, channel, origin, applicant_name, status, submitted_at)
       select $4 || '-' || $2 || '-' || lpad(i::text, 7, '0'), '1.004222', 'Đăng ký thường trú', $4, 2, 'national', 'Công dân ' || i, 1, now()
       from generate_series($1::int, $3::int) i returning id, code, applicant_name),
     e as (insert into dossier_events (dossier_id, seq, status, actor_name, note, at) select id, 1, 1, applicant_name, 'Nộp trên Cổng Dịch vụ công quốc gia', now() from d)
     insert into inbound_receipts (national_code, dossier_id, via) select code, id, 'pull' from d`,
    [from, day, to, AGENCY],
  );
  // the cursor where a pull that received all of them would have left it
  const [{ seq }] = await h.query<{ seq: string }>("select max(seq)::text as seq from mock_national.citizen_filings");
  await h.query(
    "insert into inbound_cursors (name, position) values ('national-filings', $1) on conflict (name) do update set position = excluded.position",
    [pullCursorAt(seq)],
  );
}

/** Rows PostgreSQL has read so far, per table (sequential scans' tuples + index fetches). */
async function rowsScanned(h: DbHandle): Promise<Map<string, number>> {
  const rows = await h.query<{ t: string; n: string }>(
    "select schemaname || '.' || relname as t, (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::text as n from pg_stat_user_tables where schemaname in ('public', 'mock_national')");
  return new Map(rows.map((r) => [r.t, Number(r.n)]));
}
function scannedSince(before: Map<string, number>, after: Map<string, number>) {
  const by = [...after].map(([t, n]) => [t, n - (before.get(t) ?? 0)] as const).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return { total: by.reduce((a, [, n]) => a + n, 0), top: by.slice(0, 4).map(([t, n]) => `${t} ${n}`).join(", ") };
}
// statistics reach pg_stat_* when each backend flushes them (at most once a second)
const settle = () => new Promise((r) => setTimeout(r, 1500));

/** The plan of the mock's page query from a cursor: what PostgreSQL reads for one page. */
async function pagePlan(h: DbHandle): Promise<string> {
  const [{ seq }] = await h.query<{ seq: string }>("select (max(seq) - $1)::text as seq from mock_national.citizen_filings", [NEW]);
  const rows = await h.query<{ "QUERY PLAN": string }>(
    `explain (analyze, costs off, timing off, summary off) select f.seq, f.data from mock_national.citizen_filings f
     where split_part(f.data->>'DonViXuLy', '.', 4) = 'H49' and f.seq > $1::bigint order by f.seq limit 201`, [seq]);
  return rows.map((r) => r["QUERY PLAN"].trim()).join(" / ");
}

interface Setup { size: number; h: DbHandle; drop(): Promise<void>; close(): Promise<void>; portal: NationalPortalHttp; fresh: number }

async function setUp(size: number): Promise<Setup> {
  const scratch = await createScratchDatabase(process.env.DATABASE_URL!, "bench");
  const h = await openDb({ databaseUrl: scratch.url, poolMax: 10 });
  const mock = await startMock({ port: 0, databaseUrl: scratch.url });
  await seedCatalog(h.db);
  const t0 = performance.now();
  await seed(h, "20261201", 1, size, true);
  await h.query("vacuum analyze"); // or autovacuum of the fresh rows runs under the measured rounds
  console.log(`  ${size} filings received (seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return {
    size, h, drop: () => scratch.drop(), close: async () => { await mock.close(); await h.close(); }, fresh: 9_999_999,
    portal: new NationalPortalHttp({ baseUrl: mock.url, username: "h49", password: "h49-secret", madonvi: "000.00.00.H49", timeoutMs: 60_000 }),
  };
}

/** NEW new filings, then one round timed. */
async function measureRound(s: Setup) {
  await seed(s.h, "20261202", s.fresh - NEW + 1, s.fresh, false);
  s.fresh -= NEW;
  await settle();
  const before = await rowsScanned(s.h);
  const start = performance.now();
  const r = await pullFromNational(s.h.db, s.portal, { pageSize: 200 });
  const ms = performance.now() - start;
  await settle();
  const scanned = scannedSince(before, await rowsScanned(s.h));
  if (r.kind !== "pulled" || r.error || r.created !== NEW) throw new Error(`round did not receive the ${NEW} new filings: ${JSON.stringify(r)}`);
  return { ms, read: r.read, scanned };
}

export async function benchPull(): Promise<boolean> {
  console.log(`pull benchmark: ${NEW} new filings per round, ${ROUNDS} paired rounds (1,000 then 100,000, each on its own database and mock), PostgreSQL`);
  const setups: Setup[] = [];
  try {
    for (const size of SIZES) setups.push(await setUp(size));
    const runs = setups.map(() => [] as Awaited<ReturnType<typeof measureRound>>[]);
    // paired rounds, alternating the sizes so drift on this shared machine hits both alike
    for (let round = -1; round < ROUNDS; round++) {
      for (const [k, s] of setups.entries()) {
        const m = await measureRound(s);
        if (round < 0) continue; // warm-up
        runs[k].push(m);
        console.log(`    round ${round + 1} at ${s.size}: ${m.ms.toFixed(0)} ms, ${m.read} rows read from the answers, ${m.scanned.total} rows read by PostgreSQL (${m.scanned.top})`);
      }
    }
    for (const [k, s] of setups.entries()) {
      // the old way, for contrast: the whole list in one call
      const o0 = performance.now();
      const old = await s.portal.call("LayHoSoTuDVCQG", {});
      const oldMs = performance.now() - o0;
      const oldRows = old.kind === "ok" && Array.isArray(old.answer.result) ? old.answer.result.length : -1;
      console.log(`  ${s.size}: median ${median(runs[k].map((m) => m.ms)).toFixed(0)} ms per round, ${median(runs[k].map((m) => m.read))} rows read, median ${median(runs[k].map((m) => m.scanned.total))} rows read by PostgreSQL; unpaged call: ${oldMs.toFixed(0)} ms, ${oldRows} rows`);
      console.log(`  ${s.size}: page query plan: ${await pagePlan(s.h)}`);
    }
    const pairs = runs[1].map((m, i) => m.ms / runs[0][i].ms);
    const ratio = median(pairs);
    const reads = runs.map((r) => median(r.map((m) => m.read)));
    const flat = ratio <= 1.5 && reads[0] === reads[1];
    console.log(`RATIO round time ${SIZES[1]}/${SIZES[0]} = ${ratio.toFixed(2)} paired median (pairs ${pairs.map((p) => p.toFixed(2)).join(", ")}; target <= 1.5); rows read ${reads.join(" vs ")} ${flat ? "PASS" : "FAIL"}`);
    return flat;
  } finally {
    for (const s of setups) {
      await s.close();
      await s.drop();
    }
  }
}
