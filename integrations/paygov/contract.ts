// The PayGov wire contract (shared/domain §6) as the mock and the real client both read it:
// INIT request and answer, the payment result the partner receives (callback body and return
// query), the answer the partner gives a callback, and the numbered error codes.
// Times are yyyyMMddHHmmss in Vietnam time: the national sync API's helpers are reused.
import { z } from "zod";
import { DATE14, fromDate14, toDate14 } from "../national-portal/contract";

export { toDate14 as toPaygovTime, fromDate14 as fromPaygovTime };

export const INIT_PATH = "/api/v1/init";
export const PAY_PAGE_PREFIX = "/thanh-toan/";

/** MaLoi: every answer carries one of these and its Vietnamese description (MoTaLoi). */
export const ERR = {
  OK: "00",
  INVALID: "01",
  UNKNOWN_PARTNER: "02",
  DUPLICATE_REFERENCE: "03",
  NOT_FOUND: "04",
  CHECKSUM: "09",
  INTERNAL: "99",
} as const;
export type ErrorCode = (typeof ERR)[keyof typeof ERR];

export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  "00": "Thành công",
  "01": "Dữ liệu không hợp lệ",
  "02": "Mã đối tác không tồn tại",
  "03": "Mã tham chiếu đã được sử dụng cho một giao dịch khác",
  "04": "Không tìm thấy giao dịch",
  "09": "Sai mã xác thực",
  "99": "Lỗi hệ thống, vui lòng thử lại sau",
};

/** TrangThai of a payment result. */
export const STATUS = { PAID: "00", CANCELLED: "01" } as const;

/** LoaiPhiLePhi: 1 phí (a fee for a service), 2 lệ phí (a state charge). */
export const FEE_KIND = { FEE: 1, CHARGE: 2 } as const;

export const MAX_AMOUNT = 999_999_999_999;

/** yyyyMMddHHmmss that is a real calendar time. */
export const PaygovTime = z
  .string()
  .regex(DATE14, "phải có dạng yyyyMMddHHmmss")
  .refine((s) => toDate14(fromDate14(s)) === s, "không phải thời điểm có thật");

const noPipe = (s: string) => !s.includes("|");
const ReturnUrl = z
  .url({ protocol: /^https?$/, error: "phải là URL http(s)" })
  .max(2000)
  .refine(noPipe, 'không được chứa ký tự "|"');
const Amount = z.number().int().positive().max(MAX_AMOUNT);

export const PartnerCode = z.string().regex(/^[A-Za-z0-9_-]{1,20}$/);
export const Reference = z.string().regex(/^[A-Za-z0-9-]{1,50}$/, "tối đa 50 ký tự A-Z, a-z, 0-9, -");
export const TransactionId = z.string().regex(/^[A-Za-z0-9-]{1,50}$/);

export const FeeLine = z.object({
  LoaiPhiLePhi: z.union([z.literal(FEE_KIND.FEE), z.literal(FEE_KIND.CHARGE)]),
  SoTien: Amount,
  MoTa: z.string().min(1).max(255),
});

export const Receipt = z.object({
  MaHoSo: z.string().min(1).max(50).optional(),
  /** Procedure code, optionally with the agency suffix (1.004222 or 1.004222.000.00.00.H49). */
  MaTTHC: z.string().regex(/^\d\.\d{6}(?:(?:\.[0-9A-Z]{2,3}){4})?$/),
  PhiLePhi: z.array(FeeLine).min(1).max(20),
});

export const InitRequest = z
  .object({
    MaDoiTac: PartnerCode,
    MaThamChieu: Reference,
    SoTien: Amount,
    ThongTinGiaoDich: z.string().max(255).refine((s) => s.trim().length > 0, "không được để trống"),
    ThoiGianGD: PaygovTime,
    UrlCallback: ReturnUrl,
    UrlReturn: ReturnUrl,
    NgonNgu: z.enum(["vi", "en"]).optional(),
    BienLai: Receipt,
    MaXacThuc: z.string().max(128),
  })
  .refine((m) => m.BienLai.PhiLePhi.reduce((sum, f) => sum + f.SoTien, 0) === m.SoTien, {
    path: ["BienLai", "PhiLePhi"],
    message: "tổng số tiền các khoản phí, lệ phí phải bằng SoTien",
  });
export type InitRequest = z.infer<typeof InitRequest>;

export const InitAnswer = z.union([
  z.object({ MaLoi: z.literal(ERR.OK), MoTaLoi: z.string().optional(), MaGiaoDich: TransactionId, UrlThanhToan: z.url() }),
  z.object({ MaLoi: z.string().regex(/^\d{2}$/).refine((c) => c !== ERR.OK), MoTaLoi: z.string().optional(), ChiTietLoi: z.array(z.string()).optional() }),
]);
export type InitAnswer = z.infer<typeof InitAnswer>;

/** The payment result, as JSON (numbers) in the callback body or as text in the return query. */
export const CallbackMessage = z.object({
  MaDoiTac: PartnerCode,
  MaThamChieu: Reference,
  MaGiaoDich: TransactionId,
  SoTien: z.union([Amount, z.string().regex(/^[1-9]\d{0,11}$/).transform(Number)]),
  TrangThai: z.enum([STATUS.PAID, STATUS.CANCELLED]),
  ThoiGianThanhToan: PaygovTime,
  MaXacThuc: z.string().max(128),
});
export type CallbackMessage = z.output<typeof CallbackMessage>;

/** What the partner answers a callback with; only HTTP 200 with MaLoi "00" stops the retries. */
export const CallbackAnswer = z.object({ MaLoi: z.string(), MoTaLoi: z.string().optional() });
export type CallbackAnswer = z.infer<typeof CallbackAnswer>;

/** "BienLai.PhiLePhi[0].SoTien: …" lines for ChiTietLoi. */
export const describeIssues = (error: z.ZodError): string[] =>
  error.issues.slice(0, 20).map((i) => `${i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "") || "(gốc)"}: ${i.message}`);
