// What a citizen does with a submitted dossier: withdraw it (status 7), answer a supplement
// request with documents (back to processing: the deadline clock resumes), rate the result.
// Every status change goes through the dossier state machine and its sync job.
import { and, eq, isNull } from "drizzle-orm";
import os from "node:os";
import path from "node:path";
import { config } from "~/config.server";
import { appError, err, ok, type Result } from "~/lib/result";
import { receiveUploads, commitToStorage, discard } from "~/modules/attachments/upload.server";
import { scanFile } from "~/modules/attachments/scan.server";
import { UploadErrors } from "~/modules/attachments/upload.errors";
import { plausibleCode } from "~/modules/dossiers/citizen-view.server";
import { changeStatus } from "~/modules/dossiers/dossiers.server";
import { canAnswerSupplement, canRate, DossierStatus } from "~/modules/dossiers/status";
import type { Citizen } from "~/modules/identity/citizen-auth.server";
import type { FileStorage } from "~/modules/storage/storage.server";
import type { AppDb } from "~db/client.server";
import { attachments, dossiers } from "~db/schema";
import { collectGarbage, MAX_DOSSIER_BYTES, MAX_DOSSIER_FILES, MAX_FILE_BYTES } from "./documents.server";
import { SUPPLEMENT_SLOT } from "./supplement-slot";

export { SUPPLEMENT_SLOT };

export const AfterErrors = {
  notFound: () => appError("dossier.not_found", 404, "dossier.errors.notFound"),
  notNow: () => appError("dossier.not_now", 409, "citizen.errors.notNow"),
  noFile: () => appError("uploads.no_file", 400, "uploads.errors.noFile"),
  csrf: () => appError("filing.csrf", 403, "filing.errors.csrf"),
  badRating: () => appError("citizen.bad_rating", 400, "citizen.errors.badRating"),
};

async function own(db: AppDb, citizenId: string, code: string) {
  if (!plausibleCode(code)) return null;
  const [d] = await db.select({ id: dossiers.id, status: dossiers.status, code: dossiers.code }).from(dossiers).where(and(eq(dossiers.code, code), eq(dossiers.citizenId, citizenId)));
  return d ?? null;
}

const actor = (c: Citizen, device?: string) => ({ name: c.fullName, kind: "citizen" as const, id: c.id, device });

export async function withdrawDossier(db: AppDb, citizen: Citizen, code: string, device?: string): Promise<Result<{ status: number }>> {
  const d = await own(db, citizen.id, code);
  if (!d) return err(AfterErrors.notFound());
  const r = await changeStatus(db, { dossierId: d.id, to: DossierStatus.WITHDRAWN, actor: actor(citizen, device), note: "Công dân rút hồ sơ" });
  return r.ok ? ok({ status: r.value.status }) : err(r.error.code === "dossier.illegal_transition" ? AfterErrors.notNow() : r.error);
}

/** Documents answering a supplement request, then back to processing (status 5 → 4). */
export async function supplementDossier(db: AppDb, storage: FileStorage, request: Request, citizen: Citizen, code: string, csrfOk: (token: unknown) => boolean): Promise<Result<{ files: number }>> {
  const d = await own(db, citizen.id, code);
  if (!d) return err(AfterErrors.notFound());
  if (!canAnswerSupplement(d.status)) return err(AfterErrors.notNow());
  const existing = await db.select({ size: attachments.size }).from(attachments).where(eq(attachments.dossierId, d.id));
  const received = await receiveUploads(request, {
    maxFileBytes: MAX_FILE_BYTES, maxFiles: Math.max(0, MAX_DOSSIER_FILES - existing.length),
    maxTotalBytes: Math.max(0, MAX_DOSSIER_BYTES - existing.reduce((n, f) => n + f.size, 0)),
    allowedSlots: new Set([SUPPLEMENT_SLOT]), tmpDir: path.join(os.tmpdir(), "qn-uploads"),
  });
  if (!received.ok) return err(received.error);
  const files = received.files;
  try {
    if (!csrfOk(received.fields.csrf)) return err(AfterErrors.csrf());
    if (!files.length) return err(AfterErrors.noFile());
    for (const f of files) {
      const verdict = await scanFile(f.tmpPath, { clamd: config().CLAMD });
      if (verdict === "infected") return err(UploadErrors.infected(f.fileName));
    }
    for (const f of files) await commitToStorage(storage, f);
    try {
      await db.insert(attachments).values(files.map((f) => ({ citizenId: citizen.id, dossierId: d.id, slot: SUPPLEMENT_SLOT, fileName: f.fileName, mime: f.mime, size: f.size, sha256: f.sha256, scan: "clean" })));
    } catch (error) {
      await collectGarbage(db, storage, files.map((f) => f.sha256));
      throw error;
    }
    const r = await changeStatus(db, { dossierId: d.id, to: DossierStatus.PROCESSING, actor: actor(citizen, request.headers.get("user-agent") ?? undefined), note: `Công dân đã bổ sung ${files.length} tệp` });
    if (!r.ok) return err(AfterErrors.notNow());
    return ok({ files: files.length });
  } finally {
    await discard(files);
  }
}

/** Satisfaction with the result, once, after it is ready (status 9 or 10). */
export async function rateDossier(db: AppDb, citizen: Citizen, code: string, rating: unknown, comment: unknown): Promise<Result<{ rating: number }>> {
  const n = Number(rating);
  if (!Number.isInteger(n) || n < 1 || n > 5) return err(AfterErrors.badRating());
  // control characters other than tab and newlines go (PostgreSQL text refuses NUL)
  const text = typeof comment === "string" ? comment.replace(/[^\P{Cc}\t\n\r]/gu, "").trim().slice(0, 500) : "";
  const d = await own(db, citizen.id, code);
  if (!d) return err(AfterErrors.notFound());
  if (!canRate(d.status)) return err(AfterErrors.notNow());
  const [row] = await db.update(dossiers).set({ rating: n, ratingComment: text || null, ratedAt: new Date() })
    .where(and(eq(dossiers.id, d.id), isNull(dossiers.ratedAt))).returning({ id: dossiers.id });
  return row ? ok({ rating: n }) : err(AfterErrors.notNow());
}
