// npm run catalog:import's use case against the real mock national portal over HTTP.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CatalogImportError, importCatalog, parseProcessingTime } from "~/modules/catalog/import.server";
import { auditLog, procedures } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { NationalPortalHttp } from "~integrations/national-portal/http";
import { startMock, type RunningMock } from "~integrations/national-portal/mock/server";
import nationalProcedures from "~integrations/national-portal/mock/fixtures/procedures.json";
import { NationalPortalClient } from "~integrations/national-portal/client";
import type { CallOutcome, NationalPortal, OnCall, Service } from "~integrations/national-portal/port";
import { openTestDb, type TestDb } from "../support/db";

let t: TestDb;
let mock: RunningMock;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  mock = await startMock({ port: 0 });
});
afterAll(async () => {
  await mock?.close();
  await t?.cleanup();
});

const portal = (baseUrl = mock.url) => new NationalPortalHttp({ baseUrl, username: "h49", password: "h49-secret", madonvi: "000.00.00.H49", timeoutMs: 2000 });
const row = async (code: string) => (await t.db.select().from(procedures).where(eq(procedures.code, code)))[0];
const nationalList = () => nationalProcedures as { MaTTHC: string; TenTTHC: string; ThoiHanGiaiQuyet: string | null }[];

describe("catalog import", () => {
  it("parses the national processing-time texts it can, and leaves the rest for review", () => {
    expect(parseProcessingTime("Trong thời hạn 07 ngày làm việc kể từ ngày nhận được hồ sơ đầy đủ và hợp lệ")).toEqual({ value: 7, unit: "working_days" });
    expect(parseProcessingTime("Thông thường 10 ngày kể từ khi nhận yêu cầu hợp lệ")).toEqual({ value: 10, unit: "days" });
    expect(parseProcessingTime("Không quá 1/2 ngày làm việc nếu thông tin có trong CSDL")).toEqual({ value: 0.5, unit: "working_days" });
    expect(parseProcessingTime("Ngay trong ngày tiếp nhận yêu cầu")).toEqual({ value: 0, unit: "immediate" });
    expect(parseProcessingTime("Theo thỏa thuận")).toBeNull();
  });

  it("a dry run reports what would change and writes nothing", async () => {
    await t.db.update(procedures).set({ nameVi: "Tên đã cũ" }).where(eq(procedures.code, "1.004222"));
    const s = await importCatalog(t.db, portal(), { dryRun: true });
    expect(s.dryRun).toBe(true);
    expect(s.updated.map((u) => u.code)).toContain("1.004222");
    expect((await row("1.004222")).nameVi).toBe("Tên đã cũ");
  });

  it("adds what is missing, updates what differs, reports progress and a summary, audits, and is idempotent", async () => {
    await t.db.delete(procedures).where(eq(procedures.code, "1.003197"));
    await t.db.update(procedures).set({ processingText: "cũ", processingValue: 99, processingUnit: "days" }).where(eq(procedures.code, "1.004222"));
    const progress: number[] = [];
    const s = await importCatalog(t.db, portal(), { onProgress: (done, total) => { progress.push(done); expect(total).toBe(nationalList().length); } });

    expect(s.listed).toBe(nationalList().length);
    expect(progress).toEqual(nationalList().map((_, i) => i + 1));
    expect(s.failed).toEqual([]);
    expect(s.added).toContain("1.003197");
    expect(s.updated.find((u) => u.code === "1.004222")?.fields).toEqual(["nameVi", "processingText"]);
    expect(s.added.length + s.updated.length + s.unchanged).toBe(s.listed);

    const national = nationalList().find((p) => p.MaTTHC === "1.004222")!;
    const r = await row("1.004222");
    expect(r.nameVi).toBe(national.TenTTHC);
    expect([r.processingText, r.processingValue, r.processingUnit]).toEqual([national.ThoiHanGiaiQuyet, 7, "working_days"]);
    expect(r.searchText).toContain("dang ky thuong tru");
    const added = await row("1.003197");
    expect(added.onlineMode).toBe("none"); // not offered online until an administrator sets it up
    expect(added.nameVi).toBe(nationalList().find((p) => p.MaTTHC === "1.003197")!.TenTTHC);

    const audits = await t.db.select().from(auditLog).where(eq(auditLog.action, "catalog.import"));
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits[0].details)).toContain("1.003197");

    const again = await importCatalog(t.db, portal());
    expect([again.added, again.updated, again.unchanged]).toEqual([[], [], again.listed]);
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, "catalog.import"))).toHaveLength(1);
  });

  it("a restart's seed does not undo what the import wrote", async () => {
    const before = await row("1.004222");
    await seedCatalog(t.db);
    const after = await row("1.004222");
    expect(after.contentHash).toBe(before.contentHash);
    expect(after.nameVi).toBe(before.nameVi);
  });

  it("rides out transient faults (502, 504, resets, 429) by retrying", async () => {
    await t.db.update(procedures).set({ nameVi: "Tên đã cũ" }).where(eq(procedures.code, "1.001193"));
    mock.faults.set({ seed: 11, probabilities: { http502: 0.15, http504: 0.1, reset: 0.1, rateLimit: 0.1 }, retryAfterS: 0 });
    try {
      const s = await importCatalog(t.db, portal(), { retries: 12, baseBackoffMs: 5 });
      expect(s.failed).toEqual([]);
      expect(s.updated.map((u) => u.code)).toEqual(["1.001193"]);
    } finally {
      mock.faults.set({});
    }
    expect((await row("1.001193")).nameVi).toBe(nationalList().find((p) => p.MaTTHC === "1.001193")!.TenTTHC);
  });

  it("an unreachable national portal changes nothing", async () => {
    await t.db.update(procedures).set({ nameVi: "Tên đã cũ" }).where(eq(procedures.code, "1.001193"));
    await expect(importCatalog(t.db, portal("http://127.0.0.1:9"), { retries: 1, baseBackoffMs: 1 })).rejects.toBeInstanceOf(CatalogImportError);
    expect((await row("1.001193")).nameVi).toBe("Tên đã cũ");
  });

  it("procedures refused or answered malformed are reported, the rest still imported", async () => {
    const real = portal();
    // a transport answering two procedures its own way: the port's verbs read those answers
    const flaky: NationalPortal = new (class extends NationalPortalClient {
      readonly madonvi = real.madonvi;
      async call(service: Service, payload: Record<string, unknown>, onCall?: OnCall): Promise<CallOutcome> {
        if (service === "LayThuTuc" && payload.maTTHC === "1.004222") return { kind: "refused", code: 4, message: "Không tìm thấy thủ tục", answer: { error_code: 4, message: "Không tìm thấy thủ tục" } };
        if (service === "LayThuTuc" && payload.maTTHC === "1.004194") return { kind: "ok", answer: { error_code: 0, message: "", result: { MaTTHC: "1.004194", TenTTHC: "" } } };
        return real.call(service, payload, onCall);
      }
    })();
    const s = await importCatalog(t.db, flaky);
    expect(s.failed.map((f) => f.code).sort()).toEqual(["1.004194", "1.004222"]);
    expect(s.failed.find((f) => f.code === "1.004222")?.reason).toContain("Không tìm thấy");
    expect(s.updated.map((u) => u.code)).toEqual(["1.001193"]);
    expect((await row("1.001193")).nameVi).not.toBe("Tên đã cũ");
  });
});
