// Our dossier and its events as the national sync API wants them (shared/domain §5).
import type { dossierEvents, dossiers } from "~db/schema";
import { nationalResultUrl, type NationalResultDoc } from "~/modules/results/national-link.server";
import { toDate14, type NationalDossier, type ProgressRecord } from "~integrations/national-portal/contract";

export type DossierRow = typeof dossiers.$inferSelect;
export type EventRow = typeof dossierEvents.$inferSelect;

/**
 * The dossier as the national side holds it, at `status`. Its result documents (clean ones, slot
 * ket-qua) travel as DanhSachGiayToKetQua with a signed download link each; a dossier without
 * results carries no such list.
 */
export function toNationalDossier(d: DossierRow, status: number, results: readonly NationalResultDoc[] = []): NationalDossier {
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
    ...(results.length
      ? { DanhSachGiayToKetQua: results.slice(0, 50).map((r) => ({ TepDinhKemId: r.id, TenTepDinhKem: r.fileName.slice(0, 255), DuongDanTaiTepTin: nationalResultUrl(r.id) })) }
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
