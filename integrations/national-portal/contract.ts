// The national sync API as provincial systems speak it (shared/domain §5): one login endpoint,
// one service endpoint dispatching on "service". These zod schemas validate requests in the mock,
// type the client, and generate the OpenAPI document — one source for all three.
import { z } from "zod";

/** National dossier status codes (TrangThaiHoSo), §3. */
export const STATUS = {
  NEW: 1, RECEIVED: 2, REFUSED: 3, PROCESSING: 4, SUPPLEMENT: 5, PAYMENT: 6,
  WITHDRAWN: 7, STOPPED: 8, DONE: 9, RETURNED: 10,
} as const;
export type StatusCode = (typeof STATUS)[keyof typeof STATUS];

/** Legal transitions, as real systems enforce them; 7 (withdrawn) from any open state. */
const NEXT: Record<number, number[]> = { 1: [2, 3], 2: [4], 4: [5, 6, 8, 9], 5: [4], 6: [4], 9: [10] };
const CLOSED = new Set([3, 7, 8, 10]);
export function isLegalTransition(from: number, to: number): boolean {
  if (to === STATUS.WITHDRAWN) return !CLOSED.has(from) && from !== STATUS.DONE;
  return (NEXT[from] ?? []).includes(to);
}

/** Refusal codes of the mock; every refusal carries one of these and a Vietnamese message. */
export const ERR = {
  OK: 0,
  SESSION: 1, // invalid or expired session
  INVALID: 2, // a field failed validation
  EXISTS: 3, // "đã tồn tại"
  NOT_FOUND: 4,
  TRANSITION: 5, // illegal status transition
  UNIT: 6, // dossier code prefix does not belong to the calling unit
  PROCEDURE: 7, // unknown procedure code
  AGENCY: 8, // unknown agency code
  BATCH: 9, // more than 10 progress records
  SERVICE: 10, // unknown service
  LOGIN: 11, // wrong credentials
  PARTIAL: 12, // part of a batch was not stored (retry the rest)
} as const;

/** Real servers answer success as 0, "0" or "00". */
export const isSuccessCode = (c: unknown) => c === 0 || c === "0" || c === "00";

export const DATE14 = /^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])([01]\d|2[0-3])[0-5]\d[0-5]\d$/;
export const DOSSIER_CODE = /^([0-9A-Z]{2,3}(?:\.[0-9A-Z]{2,3}){3})-(\d{6})-(\d{4})$|^([0-9A-Z]{2,3}(?:\.[0-9A-Z]{2,3}){3})-(\d{8})-(\d{7})$/;
export const AGENCY_CODE = /^[0-9A-Z]{2,3}(?:\.[0-9A-Z]{2,3}){3}$/;
export const PROCEDURE_CODE = /^\d\.\d{6}$/;

const date14 = z.string().regex(DATE14, "phải có dạng yyyyMMddHHmmss");
const optDate14 = date14.nullish();

export const LoginRequest = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});

export const DinhDanh = z.object({
  LoaiDinhDanh: z.coerce.number().int().min(1).max(9),
  SoDinhDanh: z.string().regex(/^(\d{12}|\d{9})$/, "số định danh phải có 12 hoặc 9 chữ số"),
});

export const TaiLieu = z.object({
  TepDinhKemId: z.string().max(100).nullish(),
  TenTepDinhKem: z.string().min(1).max(255),
  MaThanhPhanHoSo: z.string().max(100).nullish(),
  DuongDanTaiTepTin: z.string().url().max(1000).nullish(),
  DuocSoHoa: z.coerce.number().int().min(0).max(1).nullish(),
  DuocTaiSuDung: z.coerce.number().int().min(0).max(1).nullish(),
  DuocLayTuKhoDMQG: z.coerce.number().int().min(0).max(1).nullish(),
});

/** A result document: the national side downloads it from DuongDanTaiTepTin, as for TaiLieuNop. */
export const GiayToKetQua = z.object({
  TepDinhKemId: z.string().max(100).nullish(),
  TenTepDinhKem: z.string().min(1).max(255),
  DuongDanTaiTepTin: z.string().url().max(1000),
});

/**
 * A supplement request and its answer (DanhSachHoSoBoSung). No official specification is public:
 * the field names are ours, in the API's style (docs/decisions/012-*.md). NgayBoSung is when the
 * citizen answered (null while the request waits); TaiLieuBoSung the files they added.
 */
export const BoSung = z.object({
  NgayYeuCauBoSung: date14,
  NguoiYeuCauBoSung: z.string().max(50).nullish(),
  NoiDungBoSung: z.string().max(2000).nullish(),
  HanBoSung: optDate14,
  NgayBoSung: optDate14,
  TaiLieuBoSung: z.array(z.object({
    TepDinhKemId: z.string().max(100).nullish(),
    TenTepDinhKem: z.string().min(1).max(255),
    DuongDanTaiTepTin: z.string().url().max(1000),
  })).max(100).nullish(),
});
export type BoSung = z.infer<typeof BoSung>;

export const LePhi = z.object({
  TenPhiLePhi: z.string().min(1).max(255),
  MaPhiLePhi: z.string().max(50).nullish(),
  Gia: z.coerce.number().int().min(0).max(1_000_000_000),
});

export const NationalDossier = z.object({
  MaHoSo: z.string().regex(DOSSIER_CODE, "mã hồ sơ sai định dạng"),
  MaTTHC: z.string().regex(PROCEDURE_CODE, "mã thủ tục sai định dạng"),
  TenTTHC: z.string().min(1).max(1000),
  MaLinhVuc: z.string().max(100).nullish(),
  KenhThucHien: z.coerce.number().int().refine((v) => [1, 2, 3].includes(v), "kênh thực hiện phải là 1, 2 hoặc 3"),
  ChuHoSo: z.string().min(1).max(255),
  LoaiDoiTuong: z.coerce.number().int().refine((v) => [1, 2, 3, 4].includes(v), "loại đối tượng phải là 1-4"),
  MaDoiTuong: z.string().max(100).nullish(),
  SoGiayToChuHoSo: z.string().regex(/^(\d{12}|\d{9})$/, "số giấy tờ phải có 12 hoặc 9 chữ số").nullish(),
  SoDienThoai: z.string().regex(/^0\d{9}$/, "số điện thoại phải có 10 chữ số, bắt đầu bằng 0").nullish(),
  Email: z.string().email("email không hợp lệ").max(255).nullish(),
  TrichYeuHoSo: z.string().max(1000, "trích yếu tối đa 1000 ký tự").nullish(),
  NgayNopHoSo: date14,
  NgayTiepNhan: optDate14,
  NgayHenTra: optDate14,
  NgayTra: optDate14,
  NgayKetThucXuLy: optDate14,
  TrangThaiHoSo: z.coerce.number().int().min(1, "trạng thái 1-10").max(10, "trạng thái 1-10"),
  DonViXuLy: z.string().regex(AGENCY_CODE, "mã đơn vị xử lý sai định dạng"),
  NoiNopHoSo: z.string().max(255).nullish(),
  HoSoCoThanhPhanSoHoa: z.coerce.number().int().min(0).max(1).nullish(),
  TaiKhoanDuocXacThucVoiVNeID: z.coerce.number().int().min(0).max(1).nullish(),
  DuocThanhToanTrucTuyen: z.coerce.number().int().min(0).max(1).nullish(),
  DinhDanhCHS: z.array(DinhDanh).max(10).nullish(),
  TaiLieuNop: z.array(TaiLieu).max(100).nullish(),
  DanhSachLePhi: z.array(LePhi).max(20).nullish(),
  DanhSachHoSoBoSung: z.array(BoSung).max(50).nullish(),
  DanhSachGiayToKetQua: z.array(GiayToKetQua).max(50).nullish(),
});
export type NationalDossier = z.infer<typeof NationalDossier>;

export const ProgressRecord = z.object({
  MaHoSo: z.string().regex(DOSSIER_CODE, "mã hồ sơ sai định dạng"),
  NguoiXuLy: z.string().min(1).max(50, "người xử lý tối đa 50 ký tự"),
  ChucDanh: z.string().max(255).nullish(),
  ThoiDiemXuLy: date14,
  PhongBanXuLy: z.string().max(255).nullish(),
  NoiDungXuLy: z.string().max(2000).nullish(),
  TrangThai: z.coerce.number().int().min(1, "trạng thái 1-10").max(10, "trạng thái 1-10"),
  NgayBatDau: optDate14,
  NgayKetThucTheoQuyDinh: optDate14,
});
export type ProgressRecord = z.infer<typeof ProgressRecord>;

/** A procedure as LayThuTuc answers it (the fields the catalogue import reads). */
export const NationalProcedure = z.object({
  MaTTHC: z.string().regex(/^\d\.\d{6}$/, "MaTTHC must look like 1.004222"),
  TenTTHC: z.string().trim().min(1).max(1000),
  LinhVuc: z.string().trim().min(1).max(500),
  ThoiHanGiaiQuyet: z.string().trim().max(2000).nullable().optional(),
});
export type NationalProcedure = z.infer<typeof NationalProcedure>;

/** The largest page LayHoSoTuDVCQG answers, and the longest cursor it hands out. */
export const PULL_PAGE_MAX = 500;
export const PULL_CURSOR_MAX = 200;
// opaque, but stored as text and sent back as it came: no control characters (NUL cannot be
// stored at all) and no UTF-16 surrogates (a lone one would not come back the same)
const storableCursor = (s: string) => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
};
const pullCursor = z.string().min(1).max(PULL_CURSOR_MAX).refine(storableCursor, "con trỏ chứa ký tự không hợp lệ");

/**
 * A page of LayHoSoTuDVCQG (asked with soLuong): filings in the order the national side stored
 * them, the cursor to ask from next (opaque: only sent back) and whether more follow. The entries
 * are read one by one against NationalDossier, so one bad entry does not sink the page.
 */
export const PullPage = z.object({
  data: z.array(z.unknown()).max(PULL_PAGE_MAX),
  cursor: pullCursor.nullable(),
  conTiep: z.boolean(),
});
export type PullPage = z.infer<typeof PullPage>;

const envelope = { session: z.string().min(1).max(200), madonvi: z.string().regex(AGENCY_CODE, "mã đơn vị sai định dạng") };

export const ServiceRequest = z.discriminatedUnion("service", [
  z.object({ ...envelope, service: z.literal("TraCuuHoSo"), mahoso: z.string().regex(DOSSIER_CODE, "mã hồ sơ sai định dạng") }),
  z.object({ ...envelope, service: z.literal("DongBoHoSoMC"), isUpdating: z.coerce.boolean().default(false), data: z.array(z.unknown()).min(1).max(50) }),
  z.object({ ...envelope, service: z.literal("CapNhatTienDoHoSoMC"), data: z.array(z.unknown()).min(1) }),
  z.object({ ...envelope, service: z.literal("LayDanhSachTTHC") }),
  z.object({ ...envelope, service: z.literal("LayThuTuc"), maTTHC: z.string().regex(PROCEDURE_CODE, "mã thủ tục sai định dạng") }),
  z.object({ ...envelope, service: z.literal("LayDanhMucCoQuan") }),
  z.object({ ...envelope, service: z.literal("TraCuuTechID"), soDinhDanh: z.string().regex(/^(\d{12}|\d{9})$/, "số định danh phải có 12 hoặc 9 chữ số") }),
  z.object({
    ...envelope, service: z.literal("LayHoSoTuDVCQG"), tuNgay: date14.optional(),
    // paging (docs/decisions/024-incremental-pull.md): with soLuong the answer is a PullPage
    cursor: pullCursor.nullish(),
    soLuong: z.coerce.number().int().min(1).max(PULL_PAGE_MAX).optional(),
  }),
]);
export type ServiceRequest = z.infer<typeof ServiceRequest>;

export const Answer = z.object({
  error_code: z.union([z.number(), z.string()]),
  message: z.string(),
  result: z.unknown().optional(),
});
export type Answer = z.infer<typeof Answer>;

/** yyyyMMddHHmmss in Asia/Ho_Chi_Minh (UTC+7, no daylight saving). */
// at module level: the sync loop formats every event's time on each pass, and a helper declared
// inside toDate14 would be made (and, under tsx, named) on every call
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
export function toDate14(d: Date): string {
  const t = new Date(d.getTime() + 7 * 3600_000);
  return `${t.getUTCFullYear()}${pad2(t.getUTCMonth() + 1)}${pad2(t.getUTCDate())}${pad2(t.getUTCHours())}${pad2(t.getUTCMinutes())}${pad2(t.getUTCSeconds())}`;
}
export function fromDate14(s: string): Date {
  const [y, mo, d, h, mi, se] = [s.slice(0, 4), s.slice(4, 6), s.slice(6, 8), s.slice(8, 10), s.slice(10, 12), s.slice(12, 14)].map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h - 7, mi, se));
}
