// Result documents reach the national portal: a dossier completed (→ 9) with result files is
// pushed with DanhSachGiayToKetQua, the mock stores it and shows it in TraCuuHoSo, and each
// link downloads that file and no other. A fee paid online reaches it as DuocThanhToanTrucTuyen
// (and its online-payment indicator), a supplement request and its answer as DanhSachHoSoBoSung.
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discard } from "~/modules/attachments/upload.server";
import { actOnDossier } from "~/modules/backoffice/desk.server";
import { createDossier } from "~/modules/dossiers/dossiers.server";
import { supplementDossier } from "~/modules/filing/after-submit.server";
import type { StaffUser } from "~/modules/identity/staff-auth.server";
import { nationalFile } from "~/modules/results/national-link.server";
import { receiveResultUploads, RESULT_SLOT } from "~/modules/results/results.server";
import { reconcileDay } from "~/modules/sync/reconcile.server";
import { syncDossier } from "~/modules/sync/sync.server";
import { citizens, staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import { toDate14 } from "~integrations/national-portal/contract";
import { NationalPortalHttp } from "~integrations/national-portal/http";
import { startMock, type RunningMock } from "~integrations/national-portal/mock/server";
import { openTestDb, type TestDb } from "../support/db";
import { useScratchStorage } from "../support/scratch-storage";
import { testServices } from "../support/services";

let t: TestDb;
let work: ReturnType<typeof useScratchStorage> | undefined;
/** Built on first use: after beforeAll has pointed STORAGE_DIR at this file's scratch directory. */
const services = testServices();
let mock: RunningMock;
let staff: Record<string, StaffUser>;

beforeAll(async () => {
  work = useScratchStorage("qn-national-results-");
  t = await openTestDb();
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  staff = Object.fromEntries((await t.db.select().from(staffUsers)).map((u) => [u.username, u]));
  mock = await startMock({ port: 0 });
}, 60_000);
afterAll(async () => {
  await mock?.close();
  await t?.cleanup();
  work?.remove();
});

let client: NationalPortalHttp | undefined;
const portal = () => (client ??= new NationalPortalHttp({ baseUrl: mock.url, username: "h49", password: "h49-secret", madonvi: "000.00.00.H49", timeoutMs: 2000 }));

async function pdf(text: string): Promise<File> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]).drawText(text);
  return new File([new Uint8Array(await doc.save())], `${text}.pdf`, { type: "application/pdf" });
}

async function complete(code: string, files: File[]) {
  const fd = new FormData();
  fd.append("csrf", "x");
  fd.append("action", "complete");
  for (const f of files) fd.append(RESULT_SLOT, f);
  const received = await receiveResultUploads(new Request("http://portal.test/can-bo/ho-so/x", { method: "POST", body: fd }));
  if (!received.ok) throw new Error(received.error.code);
  try {
    return await actOnDossier(t.db, staff.chuyenvien01, code, "complete", "", "test", { results: { files: received.files, storage: services.storage } });
  } finally {
    await discard(received.files);
  }
}

describe("result documents to the national portal", () => {
  it("a completed dossier's result files reach the mock, and each link serves its own file", async () => {
    const made = await createDossier(t.db, { procedureCode: "1.004222", agencyCode: "000.01.31.H49", channel: 2, applicantName: "Nguyễn Văn An", applicantIdNumber: "022085004517", actor: { name: "Nguyễn Văn An" }, initialStatus: 2 });
    if (!made.ok) throw new Error(made.error.code);
    const d = made.value;
    expect(await actOnDossier(t.db, staff.chuyenvien01, d.code, "process", "")).toMatchObject({ ok: true });
    // synced while in progress: no results yet
    expect(await syncDossier(t.db, portal(), d.id)).toMatchObject({ kind: "synced" });
    const before = await portal().call("TraCuuHoSo", { mahoso: d.code });
    expect(before).toMatchObject({ kind: "ok", answer: { result: { TrangThaiHoSo: 4 } } });
    expect((before as { answer: { result: Record<string, unknown> } }).answer.result.DanhSachGiayToKetQua ?? null).toBeNull();

    expect(await complete(d.code, [await pdf("Giay xac nhan"), await pdf("Phu luc")])).toMatchObject({ ok: true, value: { status: 9, results: 2 } });
    expect(await syncDossier(t.db, portal(), d.id)).toMatchObject({ kind: "synced" });

    const look = await portal().call("TraCuuHoSo", { mahoso: d.code });
    expect(look.kind).toBe("ok");
    const national = (look as { answer: { result: { TrangThaiHoSo: number; DanhSachGiayToKetQua: { TepDinhKemId: string; TenTepDinhKem: string; DuongDanTaiTepTin: string }[] } } }).answer.result;
    expect(national.TrangThaiHoSo).toBe(9);
    expect(national.DanhSachGiayToKetQua.map((g) => g.TenTepDinhKem).sort()).toEqual(["Giay xac nhan.pdf", "Phu luc.pdf"]);
    const files = await t.query<{ id: string; sha256: string }>("select id, sha256 from attachments where dossier_id = $1 and slot = $2 order by created_at, id", [d.id, RESULT_SLOT]);
    expect(national.DanhSachGiayToKetQua.map((g) => g.TepDinhKemId)).toEqual(files.map((f) => f.id));

    // the link the national side was given downloads that very file
    for (const [i, g] of national.DanhSachGiayToKetQua.entries()) {
      const url = new URL(g.DuongDanTaiTepTin);
      const fileId = url.pathname.split("/").pop()!;
      expect(await nationalFile(t.db, "result", fileId, url.searchParams.get("sig")!)).toMatchObject({ ok: true, value: { sha256: files[i].sha256 } });
    }
    // another file's signature, a forged one, no signature: not found
    const [a, b] = national.DanhSachGiayToKetQua.map((g) => new URL(g.DuongDanTaiTepTin));
    expect(await nationalFile(t.db, "result", a.pathname.split("/").pop()!, b.searchParams.get("sig")!)).toMatchObject({ ok: false, error: { status: 404 } });
    expect(await nationalFile(t.db, "result", a.pathname.split("/").pop()!, "x".repeat(43))).toMatchObject({ ok: false, error: { status: 404 } });
    expect(await nationalFile(t.db, "result", a.pathname.split("/").pop()!, "")).toMatchObject({ ok: false, error: { status: 404 } });
    // a result link is no link to a filed document: the signature is bound to the kind
    expect(await nationalFile(t.db, "filed", a.pathname.split("/").pop()!, a.searchParams.get("sig")!)).toMatchObject({ ok: false, error: { status: 404 } });

    // nothing more to send: the next sync only confirms (one look-up, the session kept)
    expect(await syncDossier(t.db, portal(), d.id)).toMatchObject({ kind: "synced", calls: 1 });
  }, 60_000);

  it("the documents filed with a dossier reach the mock as TaiLieuNop, digitised, each link serving its own file; the fee as DanhSachLePhi", async () => {
    const made = await createDossier(t.db, { procedureCode: "1.004222", agencyCode: "000.01.31.H49", channel: 2, applicantName: "Nguyễn Văn An", applicantIdNumber: "022085004517", actor: { name: "Nguyễn Văn An" }, initialStatus: 2, feeVnd: 15_000 });
    if (!made.ok) throw new Error(made.error.code);
    const d = made.value;
    const rows = await t.query<{ id: string; sha256: string }>(
      `insert into attachments (dossier_id, slot, file_name, mime, size, sha256, scan) values
         ($1, 'to-khai', 'to-khai-ct01.pdf', 'application/pdf', 1000, repeat('a', 64), 'clean'),
         ($1, 'giay-to-cho-o', 'so-do.pdf', 'application/pdf', 2000, repeat('b', 64), 'clean'),
         ($1, 'giay-to-cho-o', 'dang-quet.pdf', 'application/pdf', 3000, repeat('c', 64), 'pending')
       returning id, sha256`, [d.id]);
    expect(await syncDossier(t.db, portal(), d.id)).toMatchObject({ kind: "synced" });
    const look = await portal().call("TraCuuHoSo", { mahoso: d.code });
    const national = (look as { answer: { result: { HoSoCoThanhPhanSoHoa: number; DanhSachLePhi: { Gia: number }[]; TaiLieuNop: { TepDinhKemId: string; TenTepDinhKem: string; MaThanhPhanHoSo: string; DuongDanTaiTepTin: string; DuocSoHoa: number }[] } } }).answer.result;
    // the file still being scanned is not offered
    // (files attached in one statement share their time: in id order, whichever that is)
    expect(national.TaiLieuNop.map((f) => [f.TenTepDinhKem, f.MaThanhPhanHoSo, f.DuocSoHoa]).sort()).toEqual([["so-do.pdf", "giay-to-cho-o", 1], ["to-khai-ct01.pdf", "to-khai", 1]]);
    expect(national.HoSoCoThanhPhanSoHoa).toBe(1);
    expect(national.DanhSachLePhi.map((f) => f.Gia)).toEqual([15_000]);
    for (const f of national.TaiLieuNop) {
      const row = rows.find((r) => r.id === f.TepDinhKemId)!;
      const url = new URL(f.DuongDanTaiTepTin);
      expect(url.pathname).toBe(`/api/dvcqg/tep/${row.id}`);
      expect(await nationalFile(t.db, "filed", row.id, url.searchParams.get("sig")!)).toMatchObject({ ok: true, value: { sha256: row.sha256 } });
      // and it is no result link
      expect(await nationalFile(t.db, "result", row.id, url.searchParams.get("sig")!)).toMatchObject({ ok: false, error: { status: 404 } });
    }
  }, 60_000);
});

describe("payment and supplements to the national portal", () => {
  type Held = { TrangThaiHoSo: number; DuocThanhToanTrucTuyen?: number; DanhSachHoSoBoSung?: Record<string, unknown>[] };
  const held = async (code: string) => (await mock.store.query<{ data: Held; status: number }>("select data, status from mock_national.dossiers where ma_ho_so = $1", [code]))[0];
  const dayOf = (d: Date) => toDate14(d).replace(/^(\d{4})(\d{2})(\d{2}).*/, "$1-$2-$3");
  const file = (dossierId: string, method: string, status: string, n: number) => t.query(
    `insert into payments (reference, dossier_id, procedure_code, amount_vnd, status, method, provider_txn, paid_at, expires_at)
     values ($1, $2, '1.004222', 20000, $3, $4, $5, now(), now())`, [`QN-TEST-${method}-${status}-${n}`.toUpperCase(), dossierId, status, method, `T${n}`]);

  it("a fee paid online reaches the mock as DuocThanhToanTrucTuyen 1 and counts in its online-payment indicator; cash and free do not", async () => {
    await fetch(`${mock.url}/__admin/reset`, { method: "POST" });
    const make = async (feeVnd?: number) => {
      const r = await createDossier(t.db, { procedureCode: "1.004222", agencyCode: "000.01.31.H49", channel: 2, applicantName: "Nguyễn Văn An", applicantIdNumber: "022085004517", actor: { name: "Nguyễn Văn An" }, initialStatus: 2, feeVnd });
      if (!r.ok) throw new Error(r.error.code);
      return r.value;
    };
    const online = await make(20_000);
    const cash = await make(20_000);
    const free = await make();
    await file(online.id, "paygov", "paid", 1);
    await file(cash.id, "paygov", "failed", 2); // an online attempt that failed, then cash at the counter
    await file(cash.id, "cash", "paid", 3);
    for (const d of [online, cash, free]) expect(await syncDossier(t.db, portal(), d.id)).toMatchObject({ kind: "synced" });
    expect((await held(online.code)).data.DuocThanhToanTrucTuyen).toBe(1);
    expect((await held(cash.code)).data.DuocThanhToanTrucTuyen).toBe(0);
    expect((await held(free.code)).data.DuocThanhToanTrucTuyen).toBe(0);
    const indicators = await (await fetch(`${mock.url}/__admin/indicators`)).json() as { total: number; onlinePaymentRate: number };
    expect(indicators).toMatchObject({ total: 3, onlinePaymentRate: 33.3 });

    // a copy written before the flag was sent: the daily reconciliation finds it different, and
    // the next sync sets it right (the loop compares the flag as the hash does)
    await mock.store.query("update mock_national.dossiers set data = data - 'DuocThanhToanTrucTuyen' where ma_ho_so = any($1)", [[online.code, free.code]]);
    const [{ submitted_at: at }] = await t.query<{ submitted_at: Date }>("select submitted_at from dossiers where id = $1", [online.id]);
    const day = await reconcileDay(t.db, portal(), dayOf(new Date(at)));
    expect(day.different).toContain(online.code);
    expect(day.different).not.toContain(free.code); // absent reads as 0
    expect(day.different).not.toContain(cash.code);
    expect(await syncDossier(t.db, portal(), online.id)).toMatchObject({ kind: "synced", calls: 3 }); // look, update, look
    expect(await held(online.code)).toMatchObject({ status: 2, data: { DuocThanhToanTrucTuyen: 1 } });
    expect(await syncDossier(t.db, portal(), free.id)).toMatchObject({ kind: "synced", calls: 1 });
    expect((await reconcileDay(t.db, portal(), dayOf(new Date(at)))).different).not.toContain(online.code);
  }, 60_000);

  it("a supplement requested, then answered with a file, reaches the mock's copy with its times, content and file", async () => {
    const [citizen] = await t.db.insert(citizens).values({ sub: "test-supplement", idNumber: "022085004517", fullName: "Nguyễn Văn An" }).returning();
    const made = await createDossier(t.db, { procedureCode: "1.004222", agencyCode: "000.01.31.H49", channel: 2, applicantName: "Nguyễn Văn An", applicantIdNumber: "022085004517", actor: { name: "Nguyễn Văn An" }, initialStatus: 2, citizenId: citizen.id });
    if (!made.ok) throw new Error(made.error.code);
    const d = made.value;
    expect(await actOnDossier(t.db, staff.chuyenvien01, d.code, "process", "")).toMatchObject({ ok: true });
    expect(await actOnDossier(t.db, staff.chuyenvien01, d.code, "requestSupplement", "Thiếu giấy tờ chứng minh chỗ ở")).toMatchObject({ ok: true, value: { status: 5 } });
    expect(await syncDossier(t.db, portal(), d.id)).toMatchObject({ kind: "synced" });
    const [asked] = await t.query<{ at: Date }>("select at from dossier_events where dossier_id = $1 and status = 5", [d.id]);
    expect((await held(d.code)).data).toMatchObject({ TrangThaiHoSo: 5, DanhSachHoSoBoSung: [{
      NgayYeuCauBoSung: toDate14(new Date(asked.at)), NguoiYeuCauBoSung: staff.chuyenvien01.fullName.slice(0, 50), NoiDungBoSung: "Thiếu giấy tờ chứng minh chỗ ở", HanBoSung: null, NgayBoSung: null,
    }] });
    expect((await held(d.code)).data.DanhSachHoSoBoSung![0]).not.toHaveProperty("TaiLieuBoSung");

    // the citizen answers with a document: back to processing
    const fd = new FormData();
    fd.append("csrf", "x");
    fd.append("bo-sung", await pdf("Giay to cho o"));
    expect(await supplementDossier(t.db, services.storage, new Request(`http://portal.test/ho-so/${d.code}`, { method: "POST", body: fd }), citizen, d.code, () => true)).toMatchObject({ ok: true, value: { files: 1 } });
    expect(await syncDossier(t.db, portal(), d.id)).toMatchObject({ kind: "synced" });
    const [answered] = await t.query<{ at: Date }>("select at from dossier_events where dossier_id = $1 and seq = (select max(seq) from dossier_events where dossier_id = $1)", [d.id]);
    const [added] = await t.query<{ id: string; sha256: string }>("select id, sha256 from attachments where dossier_id = $1 and slot = 'bo-sung'", [d.id]);
    const copy = (await held(d.code)).data;
    expect(copy).toMatchObject({ TrangThaiHoSo: 4, DanhSachHoSoBoSung: [{
      NgayYeuCauBoSung: toDate14(new Date(asked.at)), NoiDungBoSung: "Thiếu giấy tờ chứng minh chỗ ở", NgayBoSung: toDate14(new Date(answered.at)),
      TaiLieuBoSung: [{ TepDinhKemId: added.id, TenTepDinhKem: "Giay to cho o.pdf" }],
    }] });
    expect(copy.DanhSachHoSoBoSung).toHaveLength(1);
    // its link serves the file the citizen added
    const url = new URL((copy.DanhSachHoSoBoSung![0].TaiLieuBoSung as { DuongDanTaiTepTin: string }[])[0].DuongDanTaiTepTin);
    expect(await nationalFile(t.db, "filed", added.id, url.searchParams.get("sig")!)).toMatchObject({ ok: true, value: { sha256: added.sha256 } });
    // nothing more to send: the next sync only confirms
    expect(await syncDossier(t.db, portal(), d.id)).toMatchObject({ kind: "synced", calls: 1 });
  }, 60_000);
});
