// Dossiers filed on the national portal, received by push (the national side calls our inbound
// endpoint) or by pull (inbound-pull.server.ts), whichever comes first — once each.
import { timingSafeEqual } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { log } from "~/modules/observability/logger.server";
import type { AppDb } from "~db/client.server";
import { agencies, dossierEvents, dossiers, inboundReceipts, procedures } from "~db/schema";
import { fromDate14, NationalDossier } from "~integrations/national-portal/contract";
import { enqueueSync } from "./sync.server";
import { readBodyText } from "~/lib/request-body.server";
import { hasControlChars } from "~/lib/text";

// Control characters (but tab and line breaks, which a summary may carry) in any string of a
// dossier are refused like any other malformed field: PostgreSQL refuses NUL in text outright.
function refuseControlCharacters(value: unknown, path: (string | number)[], ctx: z.RefinementCtx) {
  if (typeof value === "string") {
    if (hasControlChars(value, { multiline: true })) ctx.addIssue({ code: "custom", path, message: "có ký tự điều khiển" });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => refuseControlCharacters(v, [...path, i], ctx));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) refuseControlCharacters(v, [...path, k], ctx);
  }
}

/** A national dossier as we take it in, by push or by pull. */
export const InboundDossier = NationalDossier.superRefine((d, ctx) => refuseControlCharacters(d, [], ctx));
export const InboundBody = z.object({ dossier: InboundDossier });

/** A pushed dossier is a few KB; counted on the bytes read, not on Content-Length. */
const MAX_INBOUND_BYTES = 2_000_000;

export type InboundOutcome =
  | { kind: "created"; dossierId: string }
  | { kind: "duplicate"; dossierId: string }
  | { kind: "refused"; status: number; message: string };

export async function receiveNationalDossier(db: AppDb, d: NationalDossier, via: "push" | "pull"): Promise<InboundOutcome> {
  if (d.TrangThaiHoSo !== 1) return { kind: "refused", status: 422, message: "Chỉ nhận hồ sơ mới (trạng thái 1)" };
  return db.transaction(async (tx) => {
    const [proc] = await tx.select({ code: procedures.code }).from(procedures).where(eq(procedures.code, d.MaTTHC));
    if (!proc) return { kind: "refused" as const, status: 422, message: `Mã thủ tục ${d.MaTTHC} không có trong danh mục của tỉnh` };
    const [agency] = await tx.select({ code: agencies.code }).from(agencies).where(eq(agencies.code, d.DonViXuLy));
    if (!agency) return { kind: "refused" as const, status: 422, message: `Mã cơ quan ${d.DonViXuLy} không thuộc tỉnh` };
    const at = fromDate14(d.NgayNopHoSo);
    const [created] = await tx
      .insert(dossiers)
      .values({
        code: d.MaHoSo, procedureCode: d.MaTTHC, procedureName: d.TenTTHC, field: d.MaLinhVuc ?? null, agencyCode: d.DonViXuLy,
        channel: d.KenhThucHien, origin: "national", applicantName: d.ChuHoSo, applicantIdNumber: d.SoGiayToChuHoSo ?? null,
        applicantPhone: d.SoDienThoai ?? null, applicantEmail: d.Email ?? null, summary: d.TrichYeuHoSo ?? null, status: 1, submittedAt: at,
      })
      .onConflictDoNothing({ target: dossiers.code })
      .returning({ id: dossiers.id });
    if (!created) {
      const [existing] = await tx.select({ id: dossiers.id }).from(dossiers).where(eq(dossiers.code, d.MaHoSo));
      await tx.update(inboundReceipts).set({ deliveries: sql`${inboundReceipts.deliveries} + 1` }).where(eq(inboundReceipts.nationalCode, d.MaHoSo));
      return { kind: "duplicate" as const, dossierId: existing.id };
    }
    await tx.insert(dossierEvents).values({ dossierId: created.id, seq: 1, status: 1, actorName: d.ChuHoSo.slice(0, 50), note: "Nộp trên Cổng Dịch vụ công quốc gia", at });
    await tx.insert(inboundReceipts).values({ nationalCode: d.MaHoSo, dossierId: created.id, via });
    // the national side already has it; the sync verifies and carries later status changes
    await enqueueSync(tx, created.id);
    return { kind: "created" as const, dossierId: created.id };
  });
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The inbound endpoint, as a function of a Fetch Request: the Remix route calls it as is. */
export async function handleInboundRequest(db: AppDb, request: Request, expectedToken: string): Promise<Response> {
  const json = (status: number, body: unknown) => Response.json(body, { status });
  if (request.method !== "POST") return json(405, { error_code: 405, message: "Chỉ nhận POST" });
  const auth = request.headers.get("authorization") ?? "";
  const token = auth.startsWith("Bearer ") ? auth.slice(7) : "";
  if (!token || !tokenMatches(token, expectedToken)) return json(401, { error_code: 401, message: "Không được phép" });
  const text = await readBodyText(request, MAX_INBOUND_BYTES);
  if (!text.ok) return json(413, { error_code: 413, message: "Dữ liệu quá lớn" });
  let body: unknown;
  try {
    body = JSON.parse(text.value);
  } catch {
    return json(400, { error_code: 2, message: "Dữ liệu không phải JSON hợp lệ" });
  }
  const parsed = InboundBody.safeParse(body);
  if (!parsed.success) {
    return json(400, { error_code: 2, message: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
  }
  const r = await receiveNationalDossier(db, parsed.data.dossier, "push");
  if (r.kind === "refused") return json(r.status, { error_code: 2, message: r.message });
  log.info("inbound dossier", { code: parsed.data.dossier.MaHoSo, outcome: r.kind });
  return json(200, { error_code: 0, message: r.kind === "created" ? "Đã tiếp nhận" : "Hồ sơ đã tồn tại", result: { duplicate: r.kind === "duplicate" } });
}
