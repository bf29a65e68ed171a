// The mock's two profiles (ADR 023). A pre-pass turns what vendor systems really send (the
// folder's README, "What vendor systems really send") into the contract's canonical form and
// lists every lenient form it met, by field path. The production profile stores the canonical
// form and keeps the findings as warnings; the strict profile refuses any call with a finding.
import { z } from "zod";
import { AGENCY_CODE, dossierCodeDayIsReal, NationalDossier, ProgressRecord, ServiceRequest } from "../contract";

export const PROFILES = ["production", "strict"] as const;
export type Profile = (typeof PROFILES)[number];
export const ProfileConfig = z.object({ profile: z.enum(PROFILES) });

/** A lenient form found in a call: where (a dot path into the request) and what was done with it. */
export interface Finding { path: string; message: string }

/** A call after the pre-pass. */
export interface Normalised {
  /** The request in the contract's form (unknown fields left out). */
  body: Record<string, unknown>;
  /** Findings in the envelope (session, madonvi, service, isUpdating, look-up keys). */
  envelope: Finding[];
  /** Findings in each data[] item, in order. */
  items: Finding[][];
  /** Canonical paths whose value came from another field: errors are reported under the name sent. */
  aliases: Record<string, string>;
}

export interface Agency { MaCoQuan: string; TenCoQuan: string }

const SAID = {
  unknownField: "trường không có trong hợp đồng, đã bỏ qua",
  emptyText: "chuỗi rỗng, coi như không gửi",
  numberAsText: "gửi dạng số, đọc như chuỗi",
  booleanAsText: "gửi dạng chuỗi, đọc như giá trị logic",
  agencyName: (code: string) => `gửi tên cơ quan thay cho mã, đọc là ${code}`,
  submittedMissing: "thiếu, lấy theo ngày tiếp nhận (hoặc lúc nhận lời gọi)",
  channelMissing: "thiếu, lưu là chưa rõ kênh (không tính là trực tuyến)",
  procedureSuffix: "kèm mã cơ quan của đơn vị, đã bỏ phần đuôi",
  fiveDigitCode: "số thứ tự 5 chữ số, nhận nhưng không theo dạng chuẩn (4 hoặc 7 chữ số)",
  vendorIdField: "tên trường của hệ thống OpenCPS, đọc như số định danh",
  idMissing: "thiếu, lấy từ mstorcmnd",
};

/** Dossier codes as real systems make them: the contract's two forms, and TD's 5-digit sequence. */
export const ACCEPTED_DOSSIER_CODE = /^[0-9A-Z]{2,3}(?:\.[0-9A-Z]{2,3}){3}-(?:\d{6}-\d{4,5}|\d{8}-\d{7})$/;
const FIVE_DIGIT_CODE = /^[0-9A-Z]{2,3}(?:\.[0-9A-Z]{2,3}){3}-\d{6}-\d{5}$/;
const PROCEDURE_WITH_AGENCY = /^(\d\.\d{6})\.([0-9A-Z]{2,3}(?:\.[0-9A-Z]{2,3}){3})$/;
const acceptedCode = z.string().regex(ACCEPTED_DOSSIER_CODE, "mã hồ sơ sai định dạng").refine(dossierCodeDayIsReal, "ngày trong mã hồ sơ không có thật");

/**
 * What the mock validates after the pre-pass: the contract, but with TD's 5-digit codes, a
 * dossier whose channel is not known, and the processing agency checked against the catalogue
 * (by the service, which names an unknown one) rather than by its shape.
 */
export const AcceptedDossier = NationalDossier.extend({
  MaHoSo: acceptedCode,
  KenhThucHien: NationalDossier.shape.KenhThucHien.optional(),
  DonViXuLy: z.string().min(1).max(255),
});
export type AcceptedDossier = z.infer<typeof AcceptedDossier>;
export const AcceptedProgress = ProgressRecord.extend({ MaHoSo: acceptedCode });
export type AcceptedProgress = z.infer<typeof AcceptedProgress>;
export const AcceptedLookUp = ServiceRequest.options[0].extend({ mahoso: acceptedCode });

/** The unit a code belongs to, by its province suffix (…H49). */
const suffix = (code: string) => code.split(".").pop();
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A field's schema without its optional/nullable/default wrappers. */
function bare(s: z.core.$ZodType): z.core.$ZodType {
  let t = s;
  for (;;) {
    const def = t._zod.def as { type: string; innerType?: z.core.$ZodType };
    if ((def.type === "optional" || def.type === "nullable" || def.type === "default") && def.innerType) t = def.innerType;
    else return t;
  }
}
const kindOf = (s: z.core.$ZodType) => s._zod.def.type;
const shapeOf = (s: z.core.$ZodType) => (s as z.ZodObject).shape as Record<string, z.core.$ZodType>;

/**
 * The generic rules, for any object of the contract: unknown fields left out, "" read as absent
 * where the contract has no use for it (a date, an email, a number), a number sent for a text
 * field read as text; nested objects and lists of objects alike.
 */
function normaliseObject(value: Record<string, unknown>, schema: z.core.$ZodType, path: string, out: Finding[]): Record<string, unknown> {
  const shape = shapeOf(schema);
  const result: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const p = `${path}${key}`;
    // own keys only: "constructor" or "__proto__" in a payload is an unknown field, not Object's
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (!field) { out.push({ path: p, message: SAID.unknownField }); continue; }
    const t = bare(field);
    const kind = kindOf(t);
    // z.coerce.number() would read "" as 0, so an empty number is absent too
    if (v === "" && (kind === "number" || !z.safeParse(field, "").success)) { out.push({ path: p, message: SAID.emptyText }); continue; }
    if (typeof v === "number" && kind === "string") { out.push({ path: p, message: SAID.numberAsText }); result[key] = String(v); continue; }
    if (kind === "object" && isPlainObject(v)) { result[key] = normaliseObject(v, t, `${p}.`, out); continue; }
    if (kind === "array" && Array.isArray(v)) {
      const element = bare((t._zod.def as unknown as { element: z.core.$ZodType }).element);
      result[key] = kindOf(element) === "object" ? v.map((x, j) => (isPlainObject(x) ? normaliseObject(x, element, `${p}.${j}.`, out) : x)) : v;
      continue;
    }
    result[key] = v;
  }
  return result;
}

const note = (out: Finding[], path: string, message: string) => { if (!out.some((f) => f.path === path)) out.push({ path, message }); };

function normaliseCode(item: Record<string, unknown>, key: string, path: string, out: Finding[]) {
  const v = item[key];
  if (typeof v === "string" && FIVE_DIGIT_CODE.test(v)) note(out, `${path}${key}`, SAID.fiveDigitCode);
}

function normaliseDossier(raw: Record<string, unknown>, path: string, madonvi: string, agencies: readonly Agency[], out: Finding[]) {
  const d = normaliseObject(raw, NationalDossier, path, out);
  normaliseCode(d, "MaHoSo", path, out);
  const proc = typeof d.MaTTHC === "string" ? PROCEDURE_WITH_AGENCY.exec(d.MaTTHC) : null;
  // only the caller's own agencies: another unit's suffix stays and is refused as malformed
  if (proc && suffix(proc[2]) === suffix(madonvi)) { d.MaTTHC = proc[1]; note(out, `${path}MaTTHC`, SAID.procedureSuffix); }
  if (typeof d.DonViXuLy === "string" && !AGENCY_CODE.test(d.DonViXuLy)) {
    const name = d.DonViXuLy.trim().normalize("NFC");
    const agency = agencies.find((a) => suffix(a.MaCoQuan) === suffix(madonvi) && a.TenCoQuan.normalize("NFC") === name);
    // an unknown name is left as sent: the service refuses it, naming the field
    if (agency) { d.DonViXuLy = agency.MaCoQuan; note(out, `${path}DonViXuLy`, SAID.agencyName(agency.MaCoQuan)); }
  }
  if (d.NgayNopHoSo === undefined || d.NgayNopHoSo === null) {
    d.NgayNopHoSo = typeof d.NgayTiepNhan === "string" && d.NgayTiepNhan ? d.NgayTiepNhan : undefined;
    note(out, `${path}NgayNopHoSo`, SAID.submittedMissing);
  }
  if (d.KenhThucHien === undefined || d.KenhThucHien === null) { delete d.KenhThucHien; note(out, `${path}KenhThucHien`, SAID.channelMissing); }
  return d;
}

function normaliseProgress(raw: Record<string, unknown>, path: string, out: Finding[]) {
  const r = normaliseObject(raw, ProgressRecord, path, out);
  normaliseCode(r, "MaHoSo", path, out);
  return r;
}

const envelopes = new Map(ServiceRequest.options.map((o) => [o.shape.service.value, o as z.core.$ZodType]));

/**
 * The pre-pass over one service call. `now14` stands in for a submission time nobody sent.
 * A body that is not an object, or names no known service, is returned as it is.
 */
export function normaliseRequest(body: unknown, agencies: readonly Agency[], now14: string): Normalised {
  const none: Normalised = { body: isPlainObject(body) ? body : {}, envelope: [], items: [], aliases: {} };
  if (!isPlainObject(body) || typeof body.service !== "string") return none;
  const schema = envelopes.get(body.service as never);
  if (!schema) return none;
  const envelope: Finding[] = [];
  const aliases: Record<string, string> = {};
  const { data, ...rest } = body;
  if (body.service === "TraCuuTechID" && rest.mstorcmnd !== undefined && rest.soDinhDanh === undefined) {
    rest.soDinhDanh = rest.mstorcmnd;
    delete rest.mstorcmnd;
    aliases.soDinhDanh = "mstorcmnd";
    envelope.push({ path: "mstorcmnd", message: SAID.vendorIdField }, { path: "soDinhDanh", message: SAID.idMissing });
  }
  if (typeof rest.isUpdating === "string" && /^(true|false)$/i.test(rest.isUpdating)) {
    rest.isUpdating = rest.isUpdating.toLowerCase() === "true";
    envelope.push({ path: "isUpdating", message: SAID.booleanAsText });
  }
  const out: Record<string, unknown> = normaliseObject(rest, schema, "", envelope);
  if (body.service === "TraCuuHoSo") normaliseCode(out, "mahoso", "", envelope);
  const items: Finding[][] = [];
  if (data !== undefined) {
    const madonvi = typeof out.madonvi === "string" ? out.madonvi : "";
    out.data = Array.isArray(data)
      ? data.map((x, i) => {
        const found: Finding[] = [];
        items.push(found);
        if (!isPlainObject(x)) return x;
        if (body.service === "DongBoHoSoMC") {
          const d = normaliseDossier(x, `data.${i}.`, madonvi, agencies, found);
          if (d.NgayNopHoSo === undefined) d.NgayNopHoSo = now14;
          return d;
        }
        return body.service === "CapNhatTienDoHoSoMC" ? normaliseProgress(x, `data.${i}.`, found) : x;
      })
      : data;
  }
  return { body: out, envelope, items, aliases };
}

/** Findings (or refusals) as one message: "path: what; path: what". */
export const describeFindings = (fs: readonly Finding[]) => fs.map((f) => `${f.path}: ${f.message}`).join("; ");
