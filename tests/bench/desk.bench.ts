// The desk queue page with 1,000,000 dossiers vs with 10,000, same run, same server, PostgreSQL.
// Target: the large database keeps at least half the requests/s of the small one.
import { sql } from "drizzle-orm";
import { completeStaffLogin, startStaffLogin } from "~/modules/identity/staff-auth.server";
import { totpAt } from "~/modules/identity/totp";
import { openDb } from "~db/client.server";
import { seedCatalog } from "~db/seed";
import { DEMO_PASSWORD, DEMO_STAFF, seedDemoStaff } from "~db/seed-demo";
import { createScratchDatabase } from "../support/db";
import { startPortal } from "../support/server";
import { load } from "./lib";

const SMALL = Number(process.env.BENCH_DESK_SMALL ?? 10_000);
const LARGE = Number(process.env.BENCH_DESK_LARGE ?? 1_000_000);

async function fill(db: Awaited<ReturnType<typeof openDb>>, from: number, to: number) {
  // spread over every agency, one in 117 at the demo desk; dates over two years
  await db.db.execute(sql`
    with a as (select array_agg(code order by code) as codes, count(*)::int as n from agencies)
    insert into dossiers (code, procedure_code, procedure_name, agency_code, channel, applicant_name, applicant_id_number, status, submitted_at, due_at)
    select a.codes[1 + g % a.n] || '-' || to_char(timestamp '2025-01-01' + (g % 700) * interval '1 day', 'YYMMDD') || '-B' || lpad(g::text, 7, '0'),
           '1.004222', 'Đăng ký thường trú', a.codes[1 + g % a.n], 1 + g % 3, 'Công dân ' || g, lpad((22090000000 + g)::text, 12, '0'),
           1 + g % 10, timestamp with time zone '2025-01-01 08:00+07' + (g % 700) * interval '1 day' + (g % 480) * interval '1 minute',
           timestamp with time zone '2025-01-10 08:00+07' + (g % 700) * interval '1 day'
    from generate_series(${from}::int, ${to - 1}::int) g, a`);
}

export async function benchDesk(): Promise<boolean> {
  const scratch = await createScratchDatabase(process.env.DATABASE_URL!, "benchdesk");
  const h = await openDb({ databaseUrl: scratch.url });
  try {
    await seedCatalog(h.db);
    await seedDemoStaff(h.db);
    const login = async () => {
      const a = await startStaffLogin(h.db, { username: "motcua01", password: DEMO_PASSWORD, ip: `bench-${Math.random()}` });
      if (!a.ok) throw new Error(a.error.code);
      await h.query("update staff_users set last_totp_step = null where username = 'motcua01'");
      const b = await completeStaffLogin(h.db, a.value.token, totpAt(DEMO_STAFF[0].totpSecret, Date.now()));
      if (!b.ok) throw new Error(b.error.code);
      return b.value.token;
    };
    let t0 = performance.now();
    await fill(h, 0, SMALL);
    await h.query("analyze dossiers");
    console.log(`desk benchmark: ${SMALL} dossiers loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const portal = await startPortal({ databaseUrl: scratch.url, env: { LOG_LEVEL: "warn" } });
    const results: Record<string, number> = {};
    try {
      const url = `${portal.url}/can-bo/ho-so`;
      const measure = async (label: string) => {
        const token = await login();
        // the portal runs with NODE_ENV=production: the cookie carries the __Host- prefix
        const headers = { cookie: `__Host-qn_staff=${token}` };
        const probe = await fetch(url, { headers, redirect: "manual" });
        if (probe.status !== 200) throw new Error(`queue answered ${probe.status}`);
        const rows = ((await probe.text()).match(/<tr>/g) ?? []).length - 1;
        if (rows < 1) throw new Error("the queue page shows no dossier");
        await load(url, { connections: 16, seconds: 3, headers });
        const rps: number[] = [];
        for (let i = 0; i < 3; i++) rps.push((await load(url, { connections: 16, seconds: 8, headers })).rps);
        rps.sort((a, b) => a - b);
        results[label] = rps[1];
        console.log(`  ${label}: ${rps.map((r) => r.toFixed(0)).join(" / ")} req/s (median ${rps[1].toFixed(0)}), ${rows} rows on the first page`);
      };
      await measure(`${SMALL} dossiers`);
      t0 = performance.now();
      for (let from = SMALL; from < LARGE; from += 200_000) await fill(h, from, Math.min(LARGE, from + 200_000));
      await h.query("analyze dossiers");
      console.log(`  grew to ${LARGE} dossiers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      await measure(`${LARGE} dossiers`);
    } finally {
      await portal.stop();
    }
    const ratio = results[`${LARGE} dossiers`] / results[`${SMALL} dossiers`];
    console.log(`RATIO large/small = ${ratio.toFixed(2)} (target >= 0.50, i.e. within 2x) ${ratio >= 0.5 ? "PASS" : "FAIL"}`);
    return ratio >= 0.5;
  } finally {
    await h.close();
    await scratch.drop();
  }
}
