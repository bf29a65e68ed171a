// Our own sync client sends the contract's canonical form: the mock's strict profile (which
// refuses every lenient form vendor systems use, ADR 023) accepts everything it sends — the real
// sync worker's whole flow, and a dossier carrying every list the mapping can fill.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toNationalDossier, toProgressRecord, type DossierRow, type EventRow } from "~/modules/sync/mapping.server";
import { queueStats, runSyncWorker } from "~/modules/sync/sync.server";
import { seedCatalog } from "~db/seed";
import { NationalPortalHttp } from "~integrations/national-portal/http";
import { startMock, type RunningMock } from "~integrations/national-portal/mock/server";
import { openTestDb, type TestDb } from "../support/db";
import { checkMock, makeDossiers } from "../support/sync-fixtures";

let t: TestDb;
let mock: RunningMock;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  mock = await startMock({ port: 0, profile: "strict" });
});
afterAll(async () => {
  await mock?.close();
  await t?.cleanup();
});

const portal = () => new NationalPortalHttp({ baseUrl: mock.url, username: "h49", password: "h49-secret", madonvi: "000.00.00.H49", timeoutMs: 2000 });
const admin = async <T>(path: string) => (await (await fetch(`${mock.url}${path}`)).json()) as T;

async function drain(deadlineMs: number) {
  const ctl = new AbortController();
  const run = runSyncWorker({ db: t.db, portal: portal(), workerId: "strict", concurrency: 4, pollMs: 20, baseBackoffMs: 20, maxBackoffMs: 300, signal: ctl.signal });
  const until = Date.now() + deadlineMs;
  while (Date.now() < until && (await queueStats(t.db)).pending > 0) await new Promise((r) => setTimeout(r, 100));
  ctl.abort();
  await run;
  return queueStats(t.db);
}

describe("our sync client against the strict profile", () => {
  it("drives dossiers through every status walk (submit → receive → … → return) with no refusal", async () => {
    expect(await admin("/__admin/profile")).toEqual({ profile: "strict" });
    const made = await makeDossiers(t.db, 12);
    expect(await drain(30_000)).toMatchObject({ pending: 0, dead: 0 });
    expect(await checkMock(mock.url, made)).toEqual([]);
    expect((await admin<{ refusals: unknown[] }>("/__admin/refusals")).refusals).toEqual([]);
  }, 60_000);

  it("sends nothing the production profile would warn about either", async () => {
    await fetch(`${mock.url}/__admin/reset`, { method: "POST" });
    await fetch(`${mock.url}/__admin/profile`, { method: "POST", body: JSON.stringify({ profile: "production" }) });
    try {
      const made = await makeDossiers(t.db, 6, new Date("2026-11-21T01:00:00Z"));
      expect(await drain(30_000)).toMatchObject({ pending: 0, dead: 0 });
      expect(await checkMock(mock.url, made)).toEqual([]);
      expect((await admin<{ warnings: unknown[] }>("/__admin/warnings")).warnings).toEqual([]);
    } finally {
      await fetch(`${mock.url}/__admin/profile`, { method: "POST", body: JSON.stringify({ profile: "strict" }) });
    }
  }, 60_000);

  it("accepts a dossier with every list the mapping fills: documents, results, fee, supplements, and its progress", async () => {
    const dossier = {
      id: "9b7f3c1e-2d4a-4b8e-9f6a-1c2d3e4f5a6b", code: "000.01.31.H49-261128-0901", procedureCode: "1.004222", procedureName: "Đăng ký thường trú",
      field: "Đăng ký, quản lý cư trú", agencyCode: "000.01.31.H49", channel: 2, applicantName: "Nguyễn Văn An", applicantIdNumber: "022085004517",
      applicantPhone: "0912345678", applicantEmail: "an@example.vn", summary: null, status: 5, feeVnd: 20_000,
      submittedAt: new Date("2026-11-28T01:00:00Z"), receivedAt: new Date("2026-11-28T02:00:00Z"), dueAt: new Date("2026-12-05T10:00:00Z"),
      returnedAt: null, finishedAt: null,
    } as unknown as DossierRow;
    const ev = (seq: number, status: number, at: string, extra: Partial<EventRow> = {}): EventRow => ({
      dossierId: dossier.id, seq, status, actorName: "Trần Thị Bình", actorTitle: "Chuyên viên", department: "Bộ phận một cửa", note: null, at: new Date(at), deadline: null, ...extra,
    });
    const events = [
      ev(1, 1, "2026-11-28T01:00:00Z"), ev(2, 2, "2026-11-28T02:00:00Z"), ev(3, 4, "2026-11-28T02:30:00Z"),
      ev(4, 5, "2026-11-28T03:00:00Z", { note: "Thiếu giấy tờ chứng minh chỗ ở", deadline: new Date("2026-12-03T10:00:00Z") }),
      ev(5, 4, "2026-11-29T02:15:00Z", { actorName: "Nguyễn Văn An", note: "Công dân đã bổ sung" }),
    ];
    const file = (id: string, fileName: string, slot: string, at: string) => ({ id, dossierId: dossier.id, fileName, slot, createdAt: new Date(at) });
    const docs = [
      file("4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f80", "to-khai.pdf", "to-khai", "2026-11-28T01:00:00Z"),
      file("5e6f7a8b-9c0d-4e1f-8a2b-4c5d6e7f8091", "so-do.pdf", "bo-sung", "2026-11-29T02:14:59Z"),
      file("0f1e2d3c-4b5a-4968-8776-655443322110", "ket-qua.pdf", "ket-qua", "2026-11-29T03:00:00Z"),
    ];
    const copy = toNationalDossier(dossier, 2, docs, { paidOnline: true, events });
    expect(copy.TaiLieuNop?.length).toBe(2);
    expect(copy.DanhSachGiayToKetQua?.length).toBe(1);
    expect(copy.DanhSachLePhi?.length).toBe(1);
    expect(copy.DanhSachHoSoBoSung?.length).toBe(1);
    const c = portal();
    const inserted = await c.call("DongBoHoSoMC", { isUpdating: false, data: [copy] });
    expect(inserted).toMatchObject({ kind: "ok" });
    const progressed = await c.call("CapNhatTienDoHoSoMC", { data: events.map((e) => toProgressRecord(dossier, e)) });
    expect(progressed).toMatchObject({ kind: "ok" });
    const updated = await c.call("DongBoHoSoMC", { isUpdating: true, data: [toNationalDossier(dossier, 4, docs, { paidOnline: true, events })] });
    expect(updated).toMatchObject({ kind: "ok" });
    expect((await admin<{ refusals: unknown[] }>("/__admin/refusals")).refusals).toEqual([]);
  });
});
