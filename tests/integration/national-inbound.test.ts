// Dossiers filed on the (mock) national portal reach the province once: pushed over HTTP,
// pushed twice, or never pushed and caught by the pull.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pullFromNational } from "~/modules/sync/inbound-pull.server";
import { handleInboundRequest } from "~/modules/sync/inbound.server";
import { syncDossier } from "~/modules/sync/sync.server";
import { seedCatalog } from "~db/seed";
import { NationalPortalHttp } from "~integrations/national-portal/http";
import { startMock, type RunningMock } from "~integrations/national-portal/mock/server";
import { openTestDb, type TestDb } from "../support/db";
import { freePort } from "../support/server";

const TOKEN = "inbound-test-token-0123456789";
let t: TestDb;
let mock: RunningMock;
let inbound: http.Server;
let inboundUrl: string;

beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  // a real HTTP endpoint in front of the same handler the Remix route uses
  inbound = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = new Request(`http://local${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
    const response = await handleInboundRequest(t.db, request, TOKEN);
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  });
  const port = await freePort();
  await new Promise<void>((r) => inbound.listen(port, "127.0.0.1", r));
  inboundUrl = `http://127.0.0.1:${port}/api/dvcqg/ho-so`;
  mock = await startMock({ port: 0, provinceInboundUrl: inboundUrl, provinceInboundToken: TOKEN });
});
afterAll(async () => {
  await mock?.close();
  inbound?.close();
  await t?.cleanup();
});

const portal = () => new NationalPortalHttp({ baseUrl: mock.url, username: "h49", password: "h49-secret", madonvi: "000.00.00.H49", timeoutMs: 2000 });
const delivery = (mode: string) => fetch(`${mock.url}/__admin/citizen-delivery`, { method: "POST", body: JSON.stringify({ mode }) });
let n = 0;
async function fileOnNational() {
  const r = await fetch(`${mock.url}/api/citizen/filings`, {
    method: "POST",
    body: JSON.stringify({ MaTTHC: "1.004222", DonViXuLy: "000.05.31.H49", ChuHoSo: `Trần Thị B ${++n}`, SoDinhDanh: "022190000123", SoDienThoai: "0987654321" }),
  });
  expect(r.status).toBe(201);
  return ((await r.json()) as { result: { MaHoSo: string } }).result.MaHoSo;
}
const local = (code: string) => t.query<{ id: string; origin: string; channel: number; status: number }>("select id, origin, channel, status from dossiers where code = $1", [code]);
async function waitFor<T>(fn: () => Promise<T[]>, ms = 8000): Promise<T[]> {
  const until = Date.now() + ms;
  for (;;) {
    const rows = await fn();
    if (rows.length || Date.now() > until) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("inbound dossiers from the national portal", () => {
  it("a pushed dossier appears within seconds, once, as a national online dossier", async () => {
    await delivery("normal");
    const code = await fileOnNational();
    const rows = await waitFor(() => local(code));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ origin: "national", channel: 2, status: 1 });
    // and the sync agrees with the national side without writing anything twice
    const s = await syncDossier(t.db, portal(), rows[0].id);
    expect(s.kind).toBe("synced");
    const d = (await (await fetch(`${mock.url}/__admin/dossiers?limit=1000`)).json()) as { dossiers: { MaHoSo: string; writes: number; progress: unknown[] }[] };
    expect(d.dossiers.find((x) => x.MaHoSo === code)).toMatchObject({ writes: 1, progress: [{ TrangThai: 1, duplicate: false }] });
  });

  it("a dossier delivered twice is created once", async () => {
    await delivery("twice");
    const code = await fileOnNational();
    await waitFor(() => t.query("select 1 from inbound_receipts where national_code = $1 and deliveries = 2", [code]));
    expect(await local(code)).toHaveLength(1);
    const [receipt] = await t.query<{ deliveries: number; via: string }>("select deliveries, via from inbound_receipts where national_code = $1", [code]);
    expect(receipt).toEqual({ deliveries: 2, via: "push" });
  });

  it("a dossier never pushed is caught by the pull, once", async () => {
    await delivery("never");
    const code = await fileOnNational();
    await new Promise((r) => setTimeout(r, 700));
    expect(await local(code)).toHaveLength(0);
    const first = await pullFromNational(t.db, portal());
    expect(first).toMatchObject({ created: 1 });
    const again = await pullFromNational(t.db, portal());
    expect(again).toMatchObject({ created: 0 });
    expect(await local(code)).toHaveLength(1);
    const [receipt] = await t.query<{ via: string }>("select via from inbound_receipts where national_code = $1", [code]);
    expect(receipt.via).toBe("pull");
    await delivery("normal");
  });

  it("refuses callers without the token, malformed bodies and unknown procedures", async () => {
    const post = (body: string, token?: string) => fetch(inboundUrl, { method: "POST", headers: token ? { authorization: `Bearer ${token}` } : {}, body });
    expect((await post("{}")).status).toBe(401);
    expect((await post("{}", "wrong-token-wrong-token")).status).toBe(401);
    expect((await post("{not json", TOKEN)).status).toBe(400);
    const bad = await post(JSON.stringify({ dossier: { MaHoSo: "x" } }), TOKEN);
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/MaHoSo/);
    const unknown = await post(JSON.stringify({ dossier: {
      MaHoSo: "000.05.31.H49-20261128-0009999", MaTTHC: "1.999999", TenTTHC: "x", KenhThucHien: 2, ChuHoSo: "A", LoaiDoiTuong: 1,
      NgayNopHoSo: "20261128080000", TrangThaiHoSo: 1, DonViXuLy: "000.05.31.H49",
    } }), TOKEN);
    expect(unknown.status).toBe(422);
    expect(await local("000.05.31.H49-20261128-0009999")).toHaveLength(0);
  });

  it("refuses a dossier with a NUL or another control character in any string, with its error code and no SQL", async () => {
    const dossier = {
      MaHoSo: "000.05.31.H49-20261128-0008888", MaTTHC: "1.004222", TenTTHC: "Đăng ký thường trú", KenhThucHien: 2, ChuHoSo: "Trần Thị B", LoaiDoiTuong: 1,
      NgayNopHoSo: "20261128080000", TrangThaiHoSo: 1, DonViXuLy: "000.05.31.H49", TrichYeuHoSo: "Dòng một\nDòng hai\tcột",
    };
    const post = (d: object) => fetch(inboundUrl, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ dossier: d }) });
    for (const [field, value] of [["ChuHoSo", "Trần\u0000Thị B"], ["TenTTHC", "x\u0000"], ["TrichYeuHoSo", "a\u0001b"], ["ChuHoSo", "\u007f"], ["TrichYeuHoSo", "\u0085"]]) {
      const r = await post({ ...dossier, [field]: value });
      const body = (await r.json()) as { error_code: number; message: string };
      expect(r.status, `${field} ${JSON.stringify(value)}`).toBe(400);
      expect(body.error_code).toBe(2);
      expect(body.message).toContain(field);
      expect(body.message).not.toMatch(/select|insert|PostgresError|violates|byte sequence/i);
    }
    expect(await local(dossier.MaHoSo)).toHaveLength(0);
    // tabs and line breaks in a summary are text, not control: that dossier is taken
    const fine = await post(dossier);
    expect(fine.status).toBe(200);
    expect(await local(dossier.MaHoSo)).toHaveLength(1);
  });
});
