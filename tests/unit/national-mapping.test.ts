// Our dossier as the national sync API wants it: filed documents travel as TaiLieuNop and result
// documents as DanhSachGiayToKetQua, each with a signed download link bound to its kind, and the
// whole passes the national contract.
import { describe, expect, it } from "vitest";
import { toNationalDossier, type DossierRow } from "~/modules/sync/mapping.server";
import { NationalDossier } from "~integrations/national-portal/contract";

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
      { id: "0f1e2d3c-4b5a-4968-8776-655443322110", dossierId: dossier.id, fileName: "Giấy xác nhận thường trú.pdf", slot: "ket-qua" },
      { id: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", dossierId: dossier.id, fileName: "anh-ket-qua.png", slot: "ket-qua" },
    ];
    const out = toNationalDossier(dossier, 9, results);
    expect(out.DanhSachGiayToKetQua).toEqual([
      { TepDinhKemId: results[0].id, TenTepDinhKem: "Giấy xác nhận thường trú.pdf", DuongDanTaiTepTin: expect.stringMatching(new RegExp(`/api/dvcqg/ket-qua/${results[0].id}\\?sig=[\\w-]{43}$`)) },
      { TepDinhKemId: results[1].id, TenTepDinhKem: "anh-ket-qua.png", DuongDanTaiTepTin: expect.stringMatching(new RegExp(`/api/dvcqg/ket-qua/${results[1].id}\\?sig=[\\w-]{43}$`)) },
    ]);
    // one file, one signature: a link cannot be turned into another file's
    const sig = (u: string) => new URL(u).searchParams.get("sig");
    expect(sig(out.DanhSachGiayToKetQua![0].DuongDanTaiTepTin)).not.toBe(sig(out.DanhSachGiayToKetQua![1].DuongDanTaiTepTin));
    const parsed = NationalDossier.safeParse(out);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.DanhSachGiayToKetQua).toHaveLength(2);
  });

  it("carries the filed documents as TaiLieuNop (digitised, slot as MaThanhPhanHoSo) apart from the results", () => {
    const filed = { id: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", dossierId: dossier.id, fileName: "to-khai-ct01.pdf", slot: "to-khai" };
    const result = { id: "3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f", dossierId: dossier.id, fileName: "xac-nhan.pdf", slot: "ket-qua" };
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

  it("the national contract refuses a result document without a download link", () => {
    const bad = { ...toNationalDossier(dossier, 9), DanhSachGiayToKetQua: [{ TenTepDinhKem: "a.pdf" }] };
    expect(NationalDossier.safeParse(bad).success).toBe(false);
  });
});
