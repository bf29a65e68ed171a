// Our dossier and its events as the national sync API wants them (shared/domain §5).
import type { dossierEvents, dossiers } from "~db/schema";
import { kindOf, nationalFileUrl, type NationalDoc } from "~/modules/results/national-link.server";
import { toDate14, type NationalDossier, type ProgressRecord } from "~integrations/national-portal/contract";

export type DossierRow = typeof dossiers.$inferSelect;
export type EventRow = typeof dossierEvents.$inferSelect;

/**
 * The dossier as the national side holds it, at `status`, with its clean files (`docs`): the
 * documents filed with it travel as TaiLieuNop (slot = MaThanhPhanHoSo; uploaded, so digitised),
 * its result documents (slot ket-qua) as DanhSachGiayToKetQua, each with a signed download link.
 * A list with nothing in it is left out. The fee, if any, as DanhSachLePhi.
 */
export function toNationalDossier(d: DossierRow, status: number, docs: readonly NationalDoc[] = []): NationalDossier {
  const results = docs.filter((f) => kindOf(f) === "result");
  const filed = docs.filter((f) => kindOf(f) === "filed");
  return {
    MaHoSo: d.code,
    MaTTHC: d.procedureCode,
    TenTTHC: d.procedureName.slice(0, 1000),
    MaLinhVuc: d.field,
    KenhThucHien: d.channel,
    ChuHoSo: d.applicantName,
    LoaiDoiTuong: 1,
    SoGiayToChuHoSo: d.applicantIdNumber,
    SoDienThoai: d.applicantPhone,
    Email: d.applicantEmail,
    TrichYeuHoSo: (d.summary ?? d.procedureName).slice(0, 1000),
    NgayNopHoSo: toDate14(d.submittedAt),
    NgayTiepNhan: d.receivedAt ? toDate14(d.receivedAt) : null,
    NgayHenTra: d.dueAt ? toDate14(d.dueAt) : null,
    NgayTra: d.returnedAt ? toDate14(d.returnedAt) : null,
    NgayKetThucXuLy: d.finishedAt ? toDate14(d.finishedAt) : null,
    TrangThaiHoSo: status,
    DonViXuLy: d.agencyCode,
    NoiNopHoSo: d.channel === 2 ? "Cổng Dịch vụ công tỉnh Quảng Ninh" : "Bộ phận một cửa",
    TaiKhoanDuocXacThucVoiVNeID: d.channel === 2 ? 1 : 0,
    DinhDanhCHS: d.applicantIdNumber ? [{ LoaiDinhDanh: 1, SoDinhDanh: d.applicantIdNumber }] : [],
    HoSoCoThanhPhanSoHoa: filed.length ? 1 : 0,
    ...(filed.length
      ? { TaiLieuNop: filed.slice(0, 100).map((f) => ({
        TepDinhKemId: f.id, TenTepDinhKem: f.fileName.slice(0, 255), MaThanhPhanHoSo: f.slot.slice(0, 100), DuongDanTaiTepTin: nationalFileUrl("filed", f.id),
        DuocSoHoa: 1, DuocTaiSuDung: 0, DuocLayTuKhoDMQG: 0,
      })) }
      : {}),
    ...(d.feeVnd ? { DanhSachLePhi: [{ TenPhiLePhi: `Phí, lệ phí: ${d.procedureName}`.slice(0, 255), Gia: d.feeVnd }] } : {}),
    ...(results.length
      ? { DanhSachGiayToKetQua: results.slice(0, 50).map((r) => ({ TepDinhKemId: r.id, TenTepDinhKem: r.fileName.slice(0, 255), DuongDanTaiTepTin: nationalFileUrl("result", r.id) })) }
      : {}),
  };
}

export function toProgressRecord(d: DossierRow, e: EventRow): ProgressRecord {
  return {
    MaHoSo: d.code,
    NguoiXuLy: e.actorName.slice(0, 50),
    ChucDanh: e.actorTitle,
    ThoiDiemXuLy: toDate14(e.at),
    PhongBanXuLy: e.department,
    NoiDungXuLy: e.note,
    TrangThai: e.status,
    NgayBatDau: toDate14(e.at),
    NgayKetThucTheoQuyDinh: e.deadline ? toDate14(e.deadline) : null,
  };
}
