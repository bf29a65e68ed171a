// The wire contract of the national population database lookup (POST /api/cong-dan/tra-cuu),
// shared by the real client (http.ts) and the mock so the two cannot drift apart.
import { z } from "zod";

export const LOOKUP_PATH = "/api/cong-dan/tra-cuu";

/** error_code values of the answer; 0 is success. */
export const ERR = {
  OK: 0,
  INVALID_REQUEST: 1,
  UNAUTHORIZED: 2,
  NOT_FOUND: 3,
  MISMATCH: 4,
  INTERNAL: 99,
} as const;

const isCalendarDate = (ddmmyyyy: string) => {
  const [d, m, y] = ddmmyyyy.split("/").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/** dd/MM/yyyy, a real calendar date. */
export const NationalDate = z.string().regex(/^\d{2}\/\d{2}\/\d{4}$/).refine(isCalendarDate);

export const LookupRequest = z.strictObject({
  SoDinhDanh: z.string().regex(/^\d{12}$/),
  HoVaTen: z.string().trim().min(1).max(100).optional(),
  NgayThangNamSinh: NationalDate.optional(),
  /** Who asks: the citizen's subject or the officer's id; every lookup is logged against it. */
  MaCanBo: z.string().trim().min(1).max(100),
  /** Why: the draft or dossier the lookup is for. */
  MaYeuCau: z.string().trim().min(1).max(100),
});
export type LookupRequest = z.infer<typeof LookupRequest>;

export const WireAddress = z.object({ MaXa: z.string(), TenXa: z.string(), ChiTiet: z.string() });

export const CitizenRecord = z.object({
  SoDinhDanh: z.string().regex(/^\d{12}$/),
  HoVaTen: z.string().min(1),
  NgayThangNamSinh: NationalDate,
  GioiTinh: z.enum(["Nam", "Nữ"]),
  SoDienThoai: z.string().nullable(),
  Email: z.string().nullable(),
  ThuongTru: WireAddress,
  NoiOHienNay: WireAddress,
});
export type CitizenRecord = z.infer<typeof CitizenRecord>;

export const LookupAnswer = z.union([
  z.object({ error_code: z.literal(ERR.OK), data: CitizenRecord }),
  z.object({ error_code: z.number().int().refine((n) => n !== ERR.OK), message: z.string() }),
]);
export type LookupAnswer = z.infer<typeof LookupAnswer>;

const FIELD_MESSAGES: Record<string, string> = {
  SoDinhDanh: "Số định danh cá nhân phải gồm đúng 12 chữ số",
  HoVaTen: "Họ và tên phải là chuỗi ký tự, không rỗng, tối đa 100 ký tự",
  NgayThangNamSinh: "Ngày tháng năm sinh phải là một ngày có thật, dạng dd/MM/yyyy",
  MaCanBo: "Thiếu mã cán bộ hoặc người thực hiện tra cứu (MaCanBo)",
  MaYeuCau: "Thiếu mã yêu cầu (MaYeuCau)",
};

/** One Vietnamese sentence per problem, in field order, for the 400 answer. */
export function describeInvalidRequest(error: z.ZodError): string {
  const messages = new Set<string>();
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") messages.add(`Trường không được hỗ trợ: ${issue.keys.join(", ")}`);
    else if (issue.path.length === 0) messages.add("Nội dung yêu cầu phải là một đối tượng JSON");
    else messages.add(FIELD_MESSAGES[String(issue.path[0])] ?? `Trường ${String(issue.path[0])} không hợp lệ`);
  }
  return `Yêu cầu tra cứu không hợp lệ: ${[...messages].join("; ")}`;
}
