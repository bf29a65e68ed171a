// The national port's verbs read the API's answers into typed outcomes (integrations/national-portal/
// client.ts): each case is an answer a transport gave and what the app is told it came to.
import { describe, expect, it } from "vitest";
import { NationalPortalClient } from "~integrations/national-portal/client";
import type { NationalDossier, ProgressRecord } from "~integrations/national-portal/contract";
import type { CallOutcome, CallRecord, OnCall, Service } from "~integrations/national-portal/port";

/** A transport that answers every call with the outcome given, and keeps what it was asked. */
class Scripted extends NationalPortalClient {
  readonly madonvi = "000.00.00.H49";
  asked: { service: Service; payload: Record<string, unknown> }[] = [];
  constructor(private answer: CallOutcome) {
    super();
  }
  async call(service: Service, payload: Record<string, unknown>, onCall?: OnCall): Promise<CallOutcome> {
    this.asked.push({ service, payload });
    onCall?.({ service, request: payload, response: this.answer.kind === "retry" ? { error: this.answer.reason } : this.answer.answer, latencyMs: 1, outcome: this.answer.kind });
    return this.answer;
  }
}
const ok = (result: unknown): CallOutcome => ({ kind: "ok", answer: { error_code: 0, message: "", result } });
const refused = (code: number, message = "từ chối"): CallOutcome => ({ kind: "refused", code, message, answer: { error_code: code, message } });

const A = "000.01.31.H49-261128-0001";
const B = "000.01.31.H49-261128-0002";
const dossier = (code: string) => ({ MaHoSo: code }) as NationalDossier;
const record = (code: string) => ({ MaHoSo: code }) as ProgressRecord;

describe("national port", () => {
  it("looks a dossier up: found is its view, not found is null, another refusal names TraCuuHoSo", async () => {
    const found = new Scripted(ok({ MaHoSo: A, TrangThaiHoSo: 4 }));
    const records: CallRecord[] = [];
    expect(await found.lookUp(A, (r) => records.push(r))).toEqual({ kind: "ok", value: { MaHoSo: A, TrangThaiHoSo: 4 } });
    expect(found.asked).toEqual([{ service: "TraCuuHoSo", payload: { mahoso: A } }]);
    expect(records.map((r) => r.service)).toEqual(["TraCuuHoSo"]);
    expect(await new Scripted(refused(4)).lookUp(A)).toEqual({ kind: "ok", value: null });
    expect(await new Scripted(refused(6, "sai đơn vị")).lookUp(A)).toEqual({ kind: "refused", service: "TraCuuHoSo", code: 6, message: "sai đơn vị" });
    expect(await new Scripted({ kind: "retry", reason: "timeout" }).lookUp(A)).toEqual({ kind: "retry", reason: "timeout" });
  });

  it("reads a batched write's result[] item by item; an entry naming another dossier is unconfirmed", async () => {
    const portal = new Scripted(ok([{ MaHoSo: A, error_code: 0 }, { MaHoSo: A, error_code: 0 }, { MaHoSo: B, error_code: 3, message: "đã tồn tại" }]));
    const out = await portal.upsertDossiers([dossier(A), dossier(B), dossier(B)], "insert");
    expect(out).toEqual([
      { kind: "ok" },
      { kind: "unconfirmed", code: 12, message: "the answer does not name this item" },
      { kind: "unconfirmed", code: 3, message: "đã tồn tại" },
    ]);
    expect(portal.asked[0]).toEqual({ service: "DongBoHoSoMC", payload: { isUpdating: false, data: [dossier(A), dossier(B), dossier(B)] } });
  });

  it("tells refusals that only mean 'look again' from those that stand, by service and mode", async () => {
    const notFound = ok([{ MaHoSo: A, error_code: 4, message: "không tìm thấy" }]);
    expect(await new Scripted(notFound).upsertDossiers([dossier(A)], "update")).toEqual([{ kind: "unconfirmed", code: 4, message: "không tìm thấy" }]);
    expect(await new Scripted(notFound).upsertDossiers([dossier(A)], "insert")).toEqual([{ kind: "refused", service: "DongBoHoSoMC", code: 4, message: "không tìm thấy" }]);
    expect(await new Scripted(notFound).pushProgress([record(A)])).toEqual([{ kind: "unconfirmed", code: 4, message: "không tìm thấy" }]);
    // without result[], the call's own code stands for every item
    expect(await new Scripted(refused(5, "sai chuyển trạng thái")).pushProgress([record(A), record(B)])).toEqual([
      { kind: "refused", service: "CapNhatTienDoHoSoMC", code: 5, message: "sai chuyển trạng thái" },
      { kind: "refused", service: "CapNhatTienDoHoSoMC", code: 5, message: "sai chuyển trạng thái" },
    ]);
    expect(await new Scripted({ kind: "retry", reason: "HTTP 502" }).upsertDossiers([dossier(A)], "update")).toEqual([{ kind: "retry", reason: "HTTP 502" }]);
  });

  it("pulls a page from a cursor: dossiers, the entries failing the contract (named, with why), the next cursor", async () => {
    const good = {
      MaHoSo: "000.05.31.H49-20261208-0000001", MaTTHC: "1.004222", TenTTHC: "Đăng ký thường trú", KenhThucHien: 2, ChuHoSo: "Nguyễn Văn An",
      LoaiDoiTuong: 1, NgayNopHoSo: "20261208090000", TrangThaiHoSo: 1, DonViXuLy: "000.05.31.H49",
    };
    const portal = new Scripted(ok({ data: [good, { MaHoSo: "không hợp lệ" }, { ...good, MaHoSo: "000.05.31.H49-20261208-0000002", ChuHoSo: "" }], cursor: "c2", conTiep: true }));
    const out = await portal.pullNew({ cursor: "c1", size: 50 });
    expect(portal.asked).toEqual([{ service: "LayHoSoTuDVCQG", payload: { soLuong: 50, cursor: "c1" } }]);
    expect(out).toMatchObject({
      kind: "ok",
      value: {
        dossiers: [{ MaHoSo: good.MaHoSo }], cursor: "c2", more: true,
        unreadable: [{ code: "không hợp lệ", reason: expect.stringMatching(/MaHoSo/) }, { code: "000.05.31.H49-20261208-0000002", reason: expect.stringMatching(/ChuHoSo/) }],
      },
    });
    // the first page asks without a cursor
    const first = new Scripted(ok({ data: [], cursor: null, conTiep: false }));
    expect(await first.pullNew({ cursor: null, size: 10 })).toEqual({ kind: "ok", value: { dossiers: [], unreadable: [], cursor: null, more: false } });
    expect(first.asked[0].payload).toEqual({ soLuong: 10 });
  });

  it("reads an answer that is not a page (the unpaged list, no cursor, a string) as malformed", async () => {
    // a cursor we could not store and send back as it came (NUL, a lone surrogate) is no cursor
    for (const result of [[], { data: [], conTiep: false }, { data: "x", cursor: "c", conTiep: false }, "trang", null, { data: [], cursor: "\u0000", conTiep: false }, { data: [], cursor: "c\ud800", conTiep: false }]) {
      expect((await new Scripted(ok(result)).pullNew({ cursor: null, size: 10 })).kind).toBe("malformed");
    }
    expect(await new Scripted({ kind: "retry", reason: "HTTP 503" }).pullNew({ cursor: "c", size: 10 })).toEqual({ kind: "retry", reason: "HTTP 503" });
  });

  it("reads the procedure catalogue: codes once each; a detail for another code or of the wrong shape is malformed", async () => {
    expect(await new Scripted(ok([{ MaTTHC: "1.004222" }, { MaTTHC: "1.004222" }, { MaTTHC: "1.001193" }])).listProcedures()).toEqual({ kind: "ok", value: ["1.004222", "1.001193"] });
    expect(await new Scripted(ok({ MaTTHC: "1.004222" })).listProcedures()).toEqual({ kind: "malformed", reason: "LayDanhSachTTHC answered something that is not a list of procedures" });
    const detail = { MaTTHC: "1.001193", TenTTHC: "Đăng ký khai sinh", LinhVuc: "Hộ tịch" };
    expect(await new Scripted(ok(detail)).getProcedure("1.001193")).toEqual({ kind: "ok", value: detail });
    expect(await new Scripted(ok(detail)).getProcedure("1.004222")).toEqual({ kind: "malformed", reason: "LayThuTuc answered for 1.001193" });
    expect((await new Scripted(ok({ ...detail, TenTTHC: " " })).getProcedure("1.001193")).kind).toBe("malformed");
    expect(await new Scripted(refused(4, "Không tìm thấy thủ tục")).getProcedure("1.004222")).toEqual({ kind: "refused", service: "LayThuTuc", code: 4, message: "Không tìm thấy thủ tục" });
  });
});
