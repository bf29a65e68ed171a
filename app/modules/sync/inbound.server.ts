// Dossiers filed on the national portal, received by push (the national side calls our inbound
// endpoint) or by pull (our periodic LayHoSoTuDVCQG), whichever comes first — once each.
import { timingSafeEqual } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { citizenAccountFor } from "~/modules/identity/assisted.server";
import { log } from "~/modules/observability/logger.server";
import type { AppDb } from "~db/client.server";
import { agencies, dossierEvents, dossiers, inboundReceipts, procedures } from "~db/schema";
import { fromDate14, NationalDossier } from "~integrations/national-portal/contract";
import type { NationalPortal } from "~integrations/national-portal/port";
import { enqueueSync } from "./sync.server";
import { sleepUnlessAborted } from "~/lib/sleep";

export const InboundBody = z.object({ dossier: NationalDossier });

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
    // an owner the national side verified with VNeID: the dossier shows in their /ho-so here (ADR 025)
    const owner = d.TaiKhoanDuocXacThucVoiVNeID === 1 && d.SoGiayToChuHoSo?.length === 12
      ? await citizenAccountFor(tx, { idNumber: d.SoGiayToChuHoSo, fullName: d.ChuHoSo, phone: d.SoDienThoai ?? null })
      : null;
    const [created] = await tx
      .insert(dossiers)
      .values({
        code: d.MaHoSo, procedureCode: d.MaTTHC, procedureName: d.TenTTHC, field: d.MaLinhVuc ?? null, agencyCode: d.DonViXuLy,
        channel: d.KenhThucHien, origin: "national", applicantName: d.ChuHoSo, applicantIdNumber: d.SoGiayToChuHoSo ?? null,
        applicantPhone: d.SoDienThoai ?? null, applicantEmail: d.Email ?? null, summary: d.TrichYeuHoSo ?? null, status: 1, submittedAt: at, citizenId: owner?.id ?? null,
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
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > 2_000_000) return json(413, { error_code: 413, message: "Dữ liệu quá lớn" });
  let body: unknown;
  try {
    body = await request.json();
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

/** The fallback: ask the national side for dossiers filed there, take any push never delivered. */
export async function pullFromNational(db: AppDb, portal: NationalPortal): Promise<{ created: number; seen: number } | { error: string }> {
  const r = await portal.pullNew();
  if (r.kind !== "ok") return { error: r.kind === "retry" ? r.reason : `[${r.code}] ${r.message}` };
  const { dossiers: received, unreadable } = r.value;
  let created = 0;
  for (const d of received) {
    const out = await receiveNationalDossier(db, d, "pull");
    if (out.kind === "created") created++;
  }
  return { created, seen: received.length + unreadable };
}

export async function runInboundPull(db: AppDb, portal: NationalPortal, everyMs: number, signal: AbortSignal) {
  while (!signal.aborted) {
    const r = await pullFromNational(db, portal).catch((e: unknown) => ({ error: String(e) }));
    if ("error" in r) log.warn("inbound pull failed", { error: r.error });
    else if (r.created) log.info("inbound pull", r);
    await sleepUnlessAborted(everyMs, signal);
  }
}
