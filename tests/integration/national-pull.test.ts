// The pull of national filings is incremental (docs/decisions/024-incremental-pull.md): against the
// real mock over HTTP, each round reads only what is new, a crash loses nothing, two instances
// receive each dossier once, and what cannot be received is skipped and shown, never half-stored.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pullFromNational, pullCursor, type PullOptions } from "~/modules/sync/inbound-pull.server";
import { openDb, type AppDb } from "~db/client.server";
import { seedCatalog } from "~db/seed";
import { NationalPortalHttp } from "~integrations/national-portal/http";
import type { NationalPortal } from "~integrations/national-portal/port";
import { startMock, type RunningMock } from "~integrations/national-portal/mock/server";
import { openTestDb, usingPostgres, type TestDb } from "../support/db";

let t: TestDb;
let mock: RunningMock;

beforeAll(async () => {
  t = await openTestDb({ poolMax: 10 });
  await seedCatalog(t.db);
  // no inbound endpoint: nothing is pushed, the pull is the only way in
  mock = await startMock({ port: 0 });
});
afterAll(async () => {
  await mock?.close();
  await t?.cleanup();
});
beforeEach(async () => {
  await fetch(`${mock.url}/__admin/reset`, { method: "POST" });
  await t.query("truncate dossiers, inbound_cursors, inbound_refusals cascade");
});

const portal = () => new NationalPortalHttp({ baseUrl: mock.url, username: "h49", password: "h49-secret", madonvi: "000.00.00.H49", timeoutMs: 5000 });
const pull = (opts: PullOptions = {}, db: AppDb = t.db, p: NationalPortal = portal()) => pullFromNational(db, p, { pageSize: 3, ...opts });

let n = 0;
async function fileOnNational(count = 1): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await fetch(`${mock.url}/api/citizen/filings`, {
      method: "POST",
      body: JSON.stringify({ MaTTHC: "1.004222", DonViXuLy: "000.05.31.H49", ChuHoSo: `Lê Văn C ${++n}`, SoDinhDanh: "022190000123", SoDienThoai: "0987654321" }),
    });
    expect(r.status).toBe(201);
    codes.push(((await r.json()) as { result: { MaHoSo: string } }).result.MaHoSo);
  }
  return codes;
}
const receipts = () => t.query<{ national_code: string; deliveries: number; via: string }>("select national_code, deliveries, via from inbound_receipts order by national_code");
/** National dossiers missing their first event or their receipt: must always be none. */
const partial = () => t.query(
  `select d.code from dossiers d where d.origin = 'national' and (
     not exists (select 1 from dossier_events e where e.dossier_id = d.id and e.seq = 1)
     or not exists (select 1 from inbound_receipts r where r.dossier_id = d.id))`);

describe("incremental pull of national filings", () => {
  it("reads only what is new: a round after nothing new reads 0 rows, later filings arrive after the cursor", async () => {
    const first = await fileOnNational(4);
    expect(await pull()).toMatchObject({ kind: "pulled", created: 4, read: 4, pages: 2, more: false });
    expect(await pull()).toMatchObject({ kind: "pulled", created: 0, read: 0, duplicates: 0 });
    const later = await fileOnNational(2);
    expect(await pull()).toMatchObject({ kind: "pulled", created: 2, read: 2, duplicates: 0 });
    expect((await receipts()).map((r) => [r.national_code, r.deliveries, r.via])).toEqual([...first, ...later].sort().map((c) => [c, 1, "pull"]));
    expect(await partial()).toEqual([]);
    expect((await pullCursor(t.db))?.position).toEqual(expect.any(String));
  });

  it("works off a backlog in bounded rounds, saying when more follows", async () => {
    await fileOnNational(7);
    expect(await pull({ maxPages: 2 })).toMatchObject({ created: 6, pages: 2, more: true });
    expect(await pull({ maxPages: 2 })).toMatchObject({ created: 1, more: false });
    expect(await receipts()).toHaveLength(7);
  });

  it("a round stopped in the middle of a page (abort, crash) stores none of that page and loses nothing", async () => {
    const codes = await fileOnNational(7);
    const stop = new AbortController();
    // the second page arrives, then the process is told to stop while storing it
    let pages = 0;
    const real = portal();
    const stopping: NationalPortal = Object.assign(Object.create(real) as NationalPortal, {
      pullNew: async (...args: Parameters<NationalPortal["pullNew"]>) => {
        const r = await real.pullNew(...args);
        if (++pages === 2) stop.abort();
        return r;
      },
    });
    expect(await pull({ signal: stop.signal }, t.db, stopping)).toMatchObject({ kind: "pulled", created: 3, error: "aborted" });
    expect(await receipts()).toHaveLength(3);
    expect(await partial()).toEqual([]);
    // the next round (this instance restarted, or another) starts from the last page stored
    expect(await pull()).toMatchObject({ created: 4, duplicates: 0, read: 4 });
    expect((await receipts()).map((r) => [r.national_code, r.deliveries])).toEqual(codes.sort().map((c) => [c, 1]));
  });

  it("a page the national side will not give stops the round where it was, and says why", async () => {
    await fileOnNational(2);
    await pull();
    const before = await pullCursor(t.db);
    await fileOnNational(1);
    mock.faults.set({ probabilities: { http502: 1 } });
    const failed = await pull();
    mock.faults.set({});
    expect(failed).toMatchObject({ kind: "pulled", created: 0, error: expect.stringMatching(/502/) });
    const after = await pullCursor(t.db);
    expect(after).toMatchObject({ position: before!.position, lastError: expect.stringMatching(/502/) });
    expect(await pull()).toMatchObject({ created: 1 });
    expect((await pullCursor(t.db))?.lastError).toBeNull();
  });

  it("skips an entry failing the contract or refused here, recorded for the operator, and moves on", async () => {
    const [good] = await fileOnNational(1);
    // straight into the mock's store: what a faulty national side might hand out
    const bad = { MaHoSo: "000.05.31.H49-20261208-9999999", DonViXuLy: "000.05.31.H49", ChuHoSo: "x".repeat(5000) };
    const foreign = { ...(await mockFiling(good)), MaHoSo: "000.05.31.H49-20261208-9999998", MaTTHC: "1.999999" };
    // a control character passes the contract but not what we take in (as on the push)
    const control = { ...foreign, MaHoSo: "000.05.31.H49-20261208-9999997", MaTTHC: "1.004222", ChuHoSo: "Lê\u0007Văn" };
    await mock.store.query("insert into mock_national.citizen_filings (ma_ho_so, data) values ($1, $2), ($3, $4), ($5, $6)", [
      bad.MaHoSo, JSON.stringify(bad), foreign.MaHoSo, JSON.stringify(foreign), control.MaHoSo, JSON.stringify(control),
    ]);
    const [after] = await fileOnNational(1);
    expect(await pull()).toMatchObject({ created: 2, unreadable: 2, refused: 1, read: 5 });
    expect((await receipts()).map((r) => r.national_code)).toEqual([good, after].sort());
    const refusals = await t.query<{ national_code: string; reason: string }>("select national_code, reason from inbound_refusals order by national_code");
    expect(refusals).toEqual([
      { national_code: control.MaHoSo, reason: expect.stringMatching(/ChuHoSo: có ký tự điều khiển/) },
      { national_code: foreign.MaHoSo, reason: expect.stringMatching(/1\.999999/) },
      { national_code: bad.MaHoSo, reason: expect.stringMatching(/MaTTHC/) },
    ]);
    expect(await t.query("select 1 from dossiers where code in ($1, $2, $3)", [bad.MaHoSo, foreign.MaHoSo, control.MaHoSo])).toEqual([]);
    // skipped once: the next round does not see them again
    expect(await pull()).toMatchObject({ read: 0 });
  });

  it("one instance at a time: a live lease elsewhere makes a round busy; an expired one is taken over", async () => {
    await fileOnNational(2);
    await t.query("insert into inbound_cursors (name, claimed_by, claimed_until) values ('national-filings', 'other', now() + interval '1 minute')");
    expect(await pull({ instance: "me" })).toEqual({ kind: "busy" });
    expect(await receipts()).toHaveLength(0);
    await t.query("update inbound_cursors set claimed_until = now() - interval '1 second'");
    expect(await pull({ instance: "me" })).toMatchObject({ created: 2 });
  });

  it("two instances pulling at once receive each dossier once", async () => {
    const [{ name }] = await t.query<{ name: string }>("select current_database() as name");
    const other = usingPostgres() ? await openDb({ databaseUrl: Object.assign(new URL(process.env.DATABASE_URL!), { pathname: `/${name}` }).toString() }) : null;
    try {
      const dbs = [t.db, other?.db ?? t.db];
      const codes: string[] = [];
      for (let round = 0; round < 6; round++) {
        codes.push(...(await fileOnNational(3)));
        const out = await Promise.all(dbs.map((db, i) => pull({ instance: `instance-${i}`, pageSize: 2 }, db)));
        expect(out.every((o) => o.kind === "busy" || !o.error), JSON.stringify(out)).toBe(true);
      }
      await pull({ instance: "instance-0" });
      expect((await receipts()).map((r) => [r.national_code, r.deliveries])).toEqual(codes.sort().map((c) => [c, 1]));
      expect(await partial()).toEqual([]);
    } finally {
      await other?.close();
    }
  });
});

async function mockFiling(code: string): Promise<Record<string, unknown>> {
  const [row] = await mock.store.query<{ data: Record<string, unknown> }>("select data from mock_national.citizen_filings where ma_ho_so = $1", [code]);
  return row.data;
}
