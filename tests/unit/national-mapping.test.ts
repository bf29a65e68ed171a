// Our dossier as the national sync API wants it: filed documents travel as TaiLieuNop and result
// documents as DanhSachGiayToKetQua, each with a signed download link bound to its kind; the fee
// paid online as DuocThanhToanTrucTuyen; supplement requests as DanhSachHoSoBoSung; and the
// whole passes the national contract.
import { describe, expect, it } from "vitest";
import { toNationalDossier, type DossierRow, type EventRow } from "~/modules/sync/mapping.server";
import { NationalDossier } from "~integrations/national-portal/contract";

const created = new Date("2026-11-28T01:00:00Z");

const dossier = {
  id: "9b7f3c1e-2d4a-4b8e-9f6a-1c2d3e4f5a6b", code: "000.01.31.H49-261128-0001", procedureCode: "1.004222", procedureName: "Đăng ký thường trú",
  field: "Hộ tịch", agencyCode: "000.01.31.H49", channel: 2, applicantName: "Nguyễn Văn An", applicantIdNumber: "022085004517",
  applicantPhone: "0912345678", applicantEmail: null, summary: null, status: 9,
  submittedAt: new Date("2026-11-28T01:00:00Z"), receivedAt: new Date("2026-11-28T02:00:00Z"), dueAt: new Date("2026-12-05T10:00:00Z"),
  returnedAt: null, finishedAt: new Date("2026-11-28T03:00:00Z"),
} as unknown as DossierRow;

describe("toNationalDossier", () => {
  it("carries the result documents with a signed download link each, valid under the national contract", () => {
    const results = [
      { id: "0f1e2d3c-4b5a-4968-8776-655443322110", dossierId: dossier.id, fileName: "Giấy xác nhận thường trú.pdf", slot: "ket-qua", createdAt: created },
      { id: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", dossierId: dossier.id, fileName: "anh-ket-qua.png", slot: "ket-qua", createdAt: created },
    ];
    const out = toNationalDossier(dossier, 9, results);
    expect(out.DanhSachGiayToKetQua).toEqual([
      { TepDinhKemId: results[0].id, TenTepDinhKem: "Giấy xác nhận thường trú.pdf", DuongDanTaiTepTin: expect.stringMatching(new RegExp(`/api/dvcqg/ket-qua/${results[0].id}\\?sig=[\\w-]{43}$`)) },
      { TepDinhKemId: results[1].id, TenTepDinhKem: "anh-ket-qua.png", DuongDanTaiTepTin: expect.stringMatching(new RegExp(`/api/dvcqg/ket-qua/${results[1].id}\\?sig=[\\w-]{43}$`)) },
    ]);
    // one file, one signature: a link cannot be turned into another file's
    const sig = (u: string) => new URL(u).searchParams.get("sig");
    expect(sig(out.DanhSachGiayToKetQua![0].DuongDanTaiTepTin!)).not.toBe(sig(out.DanhSachGiayToKetQua![1].DuongDanTaiTepTin!));
    const parsed = NationalDossier.safeParse(out);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.DanhSachGiayToKetQua).toHaveLength(2);
  });

  it("carries the filed documents as TaiLieuNop (digitised, slot as MaThanhPhanHoSo) apart from the results", () => {
    const filed = { id: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", dossierId: dossier.id, fileName: "to-khai-ct01.pdf", slot: "to-khai", createdAt: created };
    const result = { id: "3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f", dossierId: dossier.id, fileName: "xac-nhan.pdf", slot: "ket-qua", createdAt: created };
    const out = toNationalDossier(dossier, 9, [filed, result]);
    expect(out.TaiLieuNop).toEqual([{
      TepDinhKemId: filed.id, TenTepDinhKem: "to-khai-ct01.pdf", MaThanhPhanHoSo: "to-khai", DuocSoHoa: 1, DuocTaiSuDung: 0, DuocLayTuKhoDMQG: 0,
      DuongDanTaiTepTin: expect.stringMatching(new RegExp(`/api/dvcqg/tep/${filed.id}\\?sig=[\\w-]{43}$`)),
    }]);
    expect(out.DanhSachGiayToKetQua?.map((g) => g.TepDinhKemId)).toEqual([result.id]);
    expect(out.HoSoCoThanhPhanSoHoa).toBe(1);
    // the same id signed for the other kind gives another signature
    const sig = (u: string | null | undefined) => new URL(u!).searchParams.get("sig");
    expect(sig(toNationalDossier(dossier, 9, [{ ...filed, slot: "ket-qua" }]).DanhSachGiayToKetQua![0].DuongDanTaiTepTin)).not.toBe(sig(out.TaiLieuNop![0].DuongDanTaiTepTin));
    expect(NationalDossier.safeParse(out).success).toBe(true);
  });

  it("carries the fee as DanhSachLePhi, and none for a free procedure", () => {
    expect(toNationalDossier({ ...dossier, feeVnd: 20_000 } as DossierRow, 2).DanhSachLePhi).toEqual([{ TenPhiLePhi: "Phí, lệ phí: Đăng ký thường trú", Gia: 20_000 }]);
    expect(toNationalDossier({ ...dossier, feeVnd: 0 } as DossierRow, 2)).not.toHaveProperty("DanhSachLePhi");
    expect(NationalDossier.safeParse(toNationalDossier({ ...dossier, feeVnd: 20_000 } as DossierRow, 2)).success).toBe(true);
  });

  it("a dossier without files carries no lists, and says it has no digitised documents", () => {
    expect(toNationalDossier(dossier, 4)).not.toHaveProperty("DanhSachGiayToKetQua");
    expect(toNationalDossier(dossier, 4)).not.toHaveProperty("TaiLieuNop");
    expect(toNationalDossier(dossier, 4).HoSoCoThanhPhanSoHoa).toBe(0);
    expect(NationalDossier.safeParse(toNationalDossier(dossier, 4)).success).toBe(true);
  });

  it("DuocThanhToanTrucTuyen is 1 only for a fee paid online: 0 for cash at the counter, unpaid, or a free procedure", () => {
    const paid = { ...dossier, feeVnd: 20_000 } as DossierRow;
    expect(toNationalDossier(paid, 2, [], { paidOnline: true }).DuocThanhToanTrucTuyen).toBe(1);
    // cash at the counter and an unpaid fee read the same way in the batch: no paid PayGov payment
    expect(toNationalDossier(paid, 2, [], { paidOnline: false }).DuocThanhToanTrucTuyen).toBe(0);
    expect(toNationalDossier(paid, 2).DuocThanhToanTrucTuyen).toBe(0);
    expect(toNationalDossier({ ...dossier, feeVnd: 0 } as DossierRow, 2).DuocThanhToanTrucTuyen).toBe(0);
    expect(NationalDossier.parse(toNationalDossier(paid, 2, [], { paidOnline: true })).DuocThanhToanTrucTuyen).toBe(1);
  });

  describe("supplement requests (DanhSachHoSoBoSung)", () => {
    const ev = (seq: number, status: number, at: string, extra: Partial<EventRow> = {}): EventRow => ({
      dossierId: dossier.id, seq, status, actorName: "Trần Thị Bình", actorTitle: "Chuyên viên", department: null, note: null, at: new Date(at), deadline: null, ...extra,
    });
    const walk = [
      ev(1, 1, "2026-11-28T01:00:00Z"), ev(2, 2, "2026-11-28T02:00:00Z"), ev(3, 4, "2026-11-28T02:30:00Z"),
      // asked at 10:00 Vietnam time, answered the next day at 09:15; asked again, still waiting
      ev(4, 5, "2026-11-28T03:00:00Z", { note: "Thiếu giấy tờ chứng minh chỗ ở", deadline: new Date("2026-12-03T10:00:00Z") }),
      ev(5, 4, "2026-11-29T02:15:00Z", { actorName: "Nguyễn Văn An", note: "Công dân đã bổ sung 2 tệp" }),
      ev(6, 5, "2026-11-30T04:00:00Z", { note: "Ảnh chụp mờ, đề nghị chụp lại" }),
    ];
    const file = (id: string, fileName: string, at: string, slot = "bo-sung") => ({ id, dossierId: dossier.id, fileName, slot, createdAt: new Date(at) });
    const docs = [
      file("4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f80", "to-khai.pdf", "2026-11-28T01:00:00Z", "to-khai"),
      file("5e6f7a8b-9c0d-4e1f-8a2b-4c5d6e7f8091", "so-do.pdf", "2026-11-29T02:14:59Z"),
      file("6f7a8b9c-0d1e-4f2a-9b3c-5d6e7f8091a2", "hop-dong-thue.pdf", "2026-11-29T02:14:59Z"),
    ];

    it("lists each request with its time, content, deadline, the answer's time and the files added", () => {
      const out = toNationalDossier({ ...dossier, status: 5 } as DossierRow, 5, docs, { events: walk });
      const link = (id: string) => expect.stringMatching(new RegExp(`/api/dvcqg/tep/${id}\\?sig=[\\w-]{43}$`));
      expect(out.DanhSachHoSoBoSung).toEqual([
        {
          NgayYeuCauBoSung: "20261128100000", NguoiYeuCauBoSung: "Trần Thị Bình", NoiDungBoSung: "Thiếu giấy tờ chứng minh chỗ ở",
          HanBoSung: "20261203170000", NgayBoSung: "20261129091500",
          TaiLieuBoSung: [
            { TepDinhKemId: docs[1].id, TenTepDinhKem: "so-do.pdf", DuongDanTaiTepTin: link(docs[1].id) },
            { TepDinhKemId: docs[2].id, TenTepDinhKem: "hop-dong-thue.pdf", DuongDanTaiTepTin: link(docs[2].id) },
          ],
        },
        { NgayYeuCauBoSung: "20261130110000", NguoiYeuCauBoSung: "Trần Thị Bình", NoiDungBoSung: "Ảnh chụp mờ, đề nghị chụp lại", HanBoSung: null, NgayBoSung: null },
      ]);
      // the supplement's files are filed documents too
      expect(out.TaiLieuNop?.map((f) => f.MaThanhPhanHoSo)).toEqual(["to-khai", "bo-sung", "bo-sung"]);
      const parsed = NationalDossier.safeParse(out);
      expect(parsed.success).toBe(true);
      expect(parsed.data?.DanhSachHoSoBoSung).toEqual(out.DanhSachHoSoBoSung);
    });

    it("a file answers the last request made before it was attached", () => {
      const late = file("7a8b9c0d-1e2f-4a3b-8c4d-6e7f8091a2b3", "anh-ro.jpg", "2026-12-01T01:00:00Z");
      const out = toNationalDossier(dossier, 5, [...docs, late], { events: walk });
      expect(out.DanhSachHoSoBoSung?.map((s) => s.TaiLieuBoSung?.map((f) => f.TenTepDinhKem) ?? [])).toEqual([["so-do.pdf", "hop-dong-thue.pdf"], ["anh-ro.jpg"]]);
    });

    it("a request ended by withdrawal has no answer", () => {
      const withdrawn = [...walk.slice(0, 4), ev(5, 7, "2026-11-29T02:15:00Z", { actorName: "Nguyễn Văn An" })];
      expect(toNationalDossier(dossier, 7, [], { events: withdrawn }).DanhSachHoSoBoSung).toEqual([
        { NgayYeuCauBoSung: "20261128100000", NguoiYeuCauBoSung: "Trần Thị Bình", NoiDungBoSung: "Thiếu giấy tờ chứng minh chỗ ở", HanBoSung: "20261203170000", NgayBoSung: null },
      ]);
    });

    it("is left out when no supplement was ever requested", () => {
      expect(toNationalDossier(dossier, 4, docs.slice(0, 1), { events: walk.slice(0, 3) })).not.toHaveProperty("DanhSachHoSoBoSung");
      expect(toNationalDossier(dossier, 4)).not.toHaveProperty("DanhSachHoSoBoSung");
    });

    it("the national contract refuses a supplement request without its time", () => {
      const bad = { ...toNationalDossier(dossier, 5), DanhSachHoSoBoSung: [{ NoiDungBoSung: "Thiếu giấy tờ" }] };
      expect(NationalDossier.safeParse(bad).success).toBe(false);
    });
  });

  it("the national contract refuses a result document without a download link", () => {
    const bad = { ...toNationalDossier(dossier, 9), DanhSachGiayToKetQua: [{ TenTepDinhKem: "a.pdf" }] };
    expect(NationalDossier.safeParse(bad).success).toBe(false);
  });
});
