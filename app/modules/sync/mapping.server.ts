// Our dossier and its events as the national sync API wants them (shared/domain §5).
import type { dossierEvents, dossiers } from "~db/schema";
import { SUPPLEMENT_SLOT } from "~/modules/filing/supplement-slot";
import { kindOf, nationalFileUrl, type NationalDoc } from "~/modules/results/national-link.server";
import { STATUS, toDate14, type BoSung, type NationalDossier, type ProgressRecord } from "~integrations/national-portal/contract";

export type DossierRow = typeof dossiers.$inferSelect;
export type EventRow = typeof dossierEvents.$inferSelect;

/** Facts about a dossier read beside its row, in the same snapshot. */
export interface NationalFacts {
  /** Its fee was paid online through the payment platform (a paid PayGov payment; not cash at the counter). */
  paidOnline?: boolean;
  /** Its status history, in order (the supplement requests are read from it). */
  events?: readonly EventRow[];
}

/** Items grouped by a key, each group in the items' order. */
export function groupBy<T, K>(items: readonly T[], key: (x: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const x of items) {
    const k = key(x);
    const group = out.get(k);
    if (group) group.push(x);
    else out.set(k, [x]);
  }
  return out;
}

/** A copy's result documents as their ids, in order (DanhSachGiayToKetQua[].TepDinhKemId). */
export const resultDocIds = (copy: { DanhSachGiayToKetQua?: readonly { TepDinhKemId?: unknown }[] | null }) =>
  (copy.DanhSachGiayToKetQua ?? []).map((g) => String(g.TepDinhKemId ?? "")).join(",");

/**
 * The online-payment flag DuocThanhToanTrucTuyen as 0 or 1, however a copy spells it; an absent
 * flag reads as 0 (a copy written before we sent it, of a dossier not paid online). The sync loop
 * and the reconciliation hash compare it the same way.
 */
export const nationalPaidFlag = (copy: object): 0 | 1 => (Number((copy as { DuocThanhToanTrucTuyen?: unknown }).DuocThanhToanTrucTuyen ?? 0) === 1 ? 1 : 0);

/**
 * The dossier's supplement requests (status → 5), oldest first, as DanhSachHoSoBoSung (field names
 * ours, no official specification being public — docs/decisions/012-*.md): when and by whom it was
 * asked, what for (the request's note), the deadline if the request set one, when the citizen
 * answered (processing resumed, 5 → 4; null while waiting or if the dossier was withdrawn) and the
 * files they added (slot bo-sung), each a file attached after that request and before the next.
 */
export function supplementsOf(events: readonly EventRow[], docs: readonly NationalDoc[]): BoSung[] {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  const rounds = ordered.flatMap((e, i) => (e.status === STATUS.SUPPLEMENT ? [{ asked: e, answered: ordered[i + 1]?.status === STATUS.PROCESSING ? ordered[i + 1].at : null, files: [] as NationalDoc[] }] : []));
  if (rounds.length === 0) return [];
  for (const f of docs) {
    if (f.slot !== SUPPLEMENT_SLOT) continue;
    // the request the file answers: the last one made before it was attached (the first, should
    // the two clocks disagree by more than the citizen took to answer)
    let i = rounds.length - 1;
    while (i > 0 && rounds[i].asked.at.getTime() > f.createdAt.getTime()) i--;
    rounds[i].files.push(f);
  }
  return rounds.slice(-50).map(({ asked, answered, files }) => ({
    NgayYeuCauBoSung: toDate14(asked.at),
    NguoiYeuCauBoSung: asked.actorName.slice(0, 50),
    NoiDungBoSung: asked.note ? asked.note.slice(0, 2000) : null,
    HanBoSung: asked.deadline ? toDate14(asked.deadline) : null,
    NgayBoSung: answered ? toDate14(answered) : null,
    ...(files.length
      ? { TaiLieuBoSung: files.slice(0, 100).map((f) => ({ TepDinhKemId: f.id, TenTepDinhKem: f.fileName.slice(0, 255), DuongDanTaiTepTin: nationalFileUrl("filed", f.id) })) }
      : {}),
  }));
}

/** What the sync loop compares of a supplement list: each request's time and answer time. */
export const supplementKey = (list: readonly { NgayYeuCauBoSung?: unknown; NgayBoSung?: unknown }[] | null | undefined) =>
  (list ?? []).map((s) => `${String(s.NgayYeuCauBoSung ?? "")}|${String(s.NgayBoSung ?? "")}`).join(",");

/**
 * The dossier as the national side holds it, at `status`, with its clean files (`docs`): the
 * documents filed with it travel as TaiLieuNop (slot = MaThanhPhanHoSo; uploaded, so digitised),
 * its result documents (slot ket-qua) as DanhSachGiayToKetQua, each with a signed download link.
 * A list with nothing in it is left out. The fee, if any, as DanhSachLePhi; DuocThanhToanTrucTuyen
 * is 1 only for a fee paid online (`facts.paidOnline`); the supplement requests found in
 * `facts.events` as DanhSachHoSoBoSung.
 */
export function toNationalDossier(d: DossierRow, status: number, docs: readonly NationalDoc[] = [], facts: NationalFacts = {}): NationalDossier {
  const results = docs.filter((f) => kindOf(f) === "result");
  const filed = docs.filter((f) => kindOf(f) === "filed");
  const supplements = supplementsOf(facts.events ?? [], docs);
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
    DuocThanhToanTrucTuyen: facts.paidOnline ? 1 : 0,
    DinhDanhCHS: d.applicantIdNumber ? [{ LoaiDinhDanh: 1, SoDinhDanh: d.applicantIdNumber }] : [],
    HoSoCoThanhPhanSoHoa: filed.length ? 1 : 0,
    ...(filed.length
      ? { TaiLieuNop: filed.slice(0, 100).map((f) => ({
        TepDinhKemId: f.id, TenTepDinhKem: f.fileName.slice(0, 255), MaThanhPhanHoSo: f.slot.slice(0, 100), DuongDanTaiTepTin: nationalFileUrl("filed", f.id),
        DuocSoHoa: 1, DuocTaiSuDung: 0, DuocLayTuKhoDMQG: 0,
      })) }
      : {}),
    ...(d.feeVnd ? { DanhSachLePhi: [{ TenPhiLePhi: `Phí, lệ phí: ${d.procedureName}`.slice(0, 255), Gia: d.feeVnd }] } : {}),
    ...(supplements.length ? { DanhSachHoSoBoSung: supplements } : {}),
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
