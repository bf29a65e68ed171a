// One round of the inbound pull (LayHoSoTuDVCQG from the stored cursor, ADR 024) with 1,000 and
// with 100,000 national dossiers already received, on PostgreSQL, against the mock in this process
// on the same database (its own schema). Each size: the filings and our dossiers, receipts and
// cursor seeded by SQL in bulk; then ROUNDS times, PULL_NEW new filings and one round timed, its
// rows read from the answers counted, and the rows PostgreSQL read (pg_stat_user_tables: seq_tup_read
// + idx_tup_fetch, both schemas) measured. Verdict: round time at 100,000 / at 1,000 <= 1.5 (medians)
// and the same rows read. For contrast, the old unpaged call's time and rows at each size.
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
const ROUNDS = Number(process.env.PULL_ROUNDS ?? 5);
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

async function rowsScanned(h: DbHandle): Promise<number> {
  const [{ n }] = await h.query<{ n: string }>(
    "select coalesce(sum(coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)), 0)::text as n from pg_stat_user_tables where schemaname in ('public', 'mock_national')");
  return Number(n);
}
// statistics reach pg_stat_* when each backend flushes them (at most once a second)
const settle = () => new Promise((r) => setTimeout(r, 1500));

export async function benchPull(): Promise<boolean> {
  const scratch = await createScratchDatabase(process.env.DATABASE_URL!, "bench");
  const h = await openDb({ databaseUrl: scratch.url, poolMax: 10 });
  const mock = await startMock({ port: 0, databaseUrl: scratch.url });
  const portal = new NationalPortalHttp({ baseUrl: mock.url, username: "h49", password: "h49-secret", madonvi: "000.00.00.H49", timeoutMs: 60_000 });
  try {
    await seedCatalog(h.db);
    console.log(`pull benchmark: ${NEW} new filings per round, ${ROUNDS} rounds per size, PostgreSQL, mock in process`);
    const results: { size: number; ms: number; read: number; scanned: number; oldMs: number; oldRows: number }[] = [];
    let seeded = 0;
    let fresh = 10_000_000 - 1; // new filings' numbers, far from the seeded ones
    for (const size of SIZES) {
      const t0 = performance.now();
      await seed(h, "20261201", seeded + 1, size, true);
      seeded = size;
      await h.query("analyze");
      console.log(`  ${size} filings received (seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      const times: number[] = [];
      const reads: number[] = [];
      const scans: number[] = [];
      for (let round = -1; round < ROUNDS; round++) {
        await seed(h, "20261202", fresh - NEW + 1, fresh, false);
        fresh -= NEW;
        await settle();
        const before = await rowsScanned(h);
        const start = performance.now();
        const r = await pullFromNational(h.db, portal, { pageSize: 200 });
        const ms = performance.now() - start;
        await settle();
        const scanned = (await rowsScanned(h)) - before;
        if (r.kind !== "pulled" || r.error || r.created !== NEW) throw new Error(`round did not receive the ${NEW} new filings: ${JSON.stringify(r)}`);
        if (round < 0) continue; // warm-up
        times.push(ms);
        reads.push(r.read);
        scans.push(scanned);
        console.log(`    round ${round + 1}: ${ms.toFixed(0)} ms, ${r.read} rows read from the answers, ${scanned} rows read by PostgreSQL`);
      }
      // the old way, for contrast: the whole list in one call
      const o0 = performance.now();
      const old = await portal.call("LayHoSoTuDVCQG", {});
      const oldMs = performance.now() - o0;
      const oldRows = old.kind === "ok" && Array.isArray(old.answer.result) ? old.answer.result.length : -1;
      results.push({ size, ms: median(times), read: median(reads), scanned: median(scans), oldMs, oldRows });
      console.log(`  ${size}: median ${median(times).toFixed(0)} ms per round, ${median(reads)} rows read, ${median(scans)} rows scanned; unpaged call: ${oldMs.toFixed(0)} ms, ${oldRows} rows`);
    }
    const [small, big] = results;
    const ratio = big.ms / small.ms;
    const flat = ratio <= 1.5 && big.read === small.read;
    console.log(`RATIO round time ${big.size}/${small.size} = ${ratio.toFixed(2)} (target <= 1.5); rows read ${small.read} vs ${big.read}; rows scanned ${small.scanned} vs ${big.scanned} ${flat ? "PASS" : "FAIL"}`);
    return flat;
  } finally {
    await mock.close();
    await h.close();
    await scratch.drop();
  }
}
