// The documents step: uploads per slot (streamed, inspected, scanned, stored by SHA-256), removal,
// and reuse of a document from the citizen's earlier dossiers.
import { data, redirect } from "@remix-run/node";
import os from "node:os";
import path from "node:path";
import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { config } from "~/config.server";
import { activeSlots, type FormValues } from "~/modules/forms/forms.schema";
import { UploadErrors } from "~/modules/attachments/upload.errors";
import { commitToStorage, discard, receiveUploads } from "~/modules/attachments/upload.server";
import { scanFile } from "~/modules/attachments/scan.server";
import type { CitizenSession } from "~/modules/identity/citizen-auth.server";
import { contentKey, type FileStorage } from "~/modules/storage/storage.server";
import type { AppDb } from "~db/client.server";
import { attachments, dossiers, drafts } from "~db/schema";
import { citizenCsrfOk } from "~/modules/identity/citizen-auth.server";
import { draftAttachments, formFields, isUuid, loadForm, type Draft } from "./filing.server";

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_DOSSIER_BYTES = 40 * 1024 * 1024;
export const MAX_DOSSIER_FILES = 20;

export async function documentsView(db: AppDb, citizenId: string, draft: Draft) {
  const form = await loadForm(db, draft.procedureCode, draft.formVersion);
  const slots = form ? activeSlots(form.def, draft.data as FormValues) : [];
  const files = await draftAttachments(db, draft.id);
  // documents from the citizen's earlier dossiers, once per content
  const earlier = await db.selectDistinctOn([attachments.sha256], { id: attachments.id, fileName: attachments.fileName, size: attachments.size, sha256: attachments.sha256, code: dossiers.code })
    .from(attachments).innerJoin(dossiers, eq(dossiers.id, attachments.dossierId))
    .where(and(eq(attachments.citizenId, citizenId), isNotNull(attachments.dossierId), eq(attachments.scan, "clean")))
    .orderBy(attachments.sha256, desc(attachments.createdAt)).limit(30);
  return {
    slots,
    files: files.map((f) => ({ id: f.id, slot: f.slot, fileName: f.fileName, size: f.size, scan: f.scan })),
    reusable: earlier.map((f) => ({ id: f.id, fileName: f.fileName, size: f.size, code: f.code })),
    limits: { fileMb: MAX_FILE_BYTES / 1024 / 1024, dossierMb: MAX_DOSSIER_BYTES / 1024 / 1024, files: MAX_DOSSIER_FILES },
  };
}

type Reply = { formError: string | null; params?: Record<string, string | number>; fieldErrors: Record<string, string> };

/** Deletes stored bytes no attachment refers to any more. */
export async function collectGarbage(db: AppDb, storage: FileStorage, sha256s: string[]): Promise<void> {
  if (!sha256s.length) return;
  const still = new Set((await db.select({ sha: attachments.sha256 }).from(attachments).where(inArray(attachments.sha256, sha256s))).map((r) => r.sha));
  for (const sha of new Set(sha256s)) if (!still.has(sha)) await storage.delete(contentKey(sha));
}

/** Where a draft's step lives: the citizen's own /nop pages by default, or the kiosk's. */
export type StepUrl = (step: string) => string;

export async function handleDocumentsAction(
  db: AppDb, storage: FileStorage, request: Request, session: CitizenSession, draft: Draft, stepUrl: StepUrl = (step) => `/nop/${draft.id}/${step}`,
  /** Response headers (the kiosk's and the counter's pages are no-store). */
  headers?: HeadersInit,
) {
  const fail = (status: number, formError: string, params?: Record<string, string | number>) => data<Reply>({ formError, params, fieldErrors: {} }, { status, headers });
  const form = await loadForm(db, draft.procedureCode, draft.formVersion);
  if (!form) return fail(404, "filing.errors.noForm");
  const slots = activeSlots(form.def, draft.data as FormValues);
  const existing = await draftAttachments(db, draft.id);
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    const used = existing.reduce((n, f) => n + f.size, 0);
    const received = await receiveUploads(request, {
      maxFileBytes: MAX_FILE_BYTES, maxFiles: Math.max(0, MAX_DOSSIER_FILES - existing.length), maxTotalBytes: Math.max(0, MAX_DOSSIER_BYTES - used),
      allowedSlots: new Set(slots.map((s) => s.slot)), tmpDir: path.join(os.tmpdir(), "qn-uploads"),
    });
    if (!received.ok) return fail(received.error.status, received.error.i18nKey, received.error.params);
    const files = received.files;
    try {
      if (!citizenCsrfOk(session, received.fields.csrf)) return fail(403, "filing.errors.csrf");
      if (!files.length) return fail(400, "uploads.errors.noFile");
      for (const slot of slots) {
        const count = existing.filter((f) => f.slot === slot.slot).length + files.filter((f) => f.slot === slot.slot).length;
        if (count > slot.maxFiles) return fail(413, "uploads.errors.tooManyInSlot", { max: slot.maxFiles });
      }
      const scans: ("clean" | "pending")[] = [];
      for (const f of files) {
        const verdict = await scanFile(f.tmpPath, { clamd: config().CLAMD });
        if (verdict === "infected") return fail(422, UploadErrors.infected(f.fileName).i18nKey, { fileName: f.fileName });
        scans.push(verdict === "clean" ? "clean" : "pending");
      }
      for (const f of files) await commitToStorage(storage, f);
      try {
        await db.insert(attachments).values(files.map((f, i) => ({
          citizenId: session.citizen.id, draftId: draft.id, slot: f.slot, fileName: f.fileName, mime: f.mime, size: f.size, sha256: f.sha256, scan: scans[i],
        })));
      } catch (error) {
        await collectGarbage(db, storage, files.map((f) => f.sha256));
        throw error;
      }
      await db.update(drafts).set({ updatedAt: sql`now()` }).where(eq(drafts.id, draft.id));
      return redirect(`${stepUrl("tai-lieu")}?da-tai=${files.length}`, { headers });
    } finally {
      await discard(files);
    }
  }
  const body = await formFields(request);
  if (!body) return fail(415, "uploads.errors.notMultipart");
  if (!citizenCsrfOk(session, body.csrf)) return fail(403, "filing.errors.csrf");
  if (body.intent === "remove") {
    const target = existing.find((f) => f.id === body.attachmentId);
    if (!target) return fail(404, "uploads.errors.notFound");
    await db.delete(attachments).where(and(eq(attachments.id, target.id), eq(attachments.draftId, draft.id)));
    await collectGarbage(db, storage, [target.sha256]);
    return redirect(stepUrl("tai-lieu"), { headers });
  }
  if (body.intent === "reuse") {
    const slot = slots.find((s) => s.slot === body.slot);
    if (!slot) return fail(400, "uploads.errors.unknownSlot", { slot: String(body.slot ?? "").slice(0, 40) });
    if (existing.filter((f) => f.slot === slot.slot).length >= slot.maxFiles) return fail(413, "uploads.errors.tooManyInSlot", { max: slot.maxFiles });
    if (existing.length >= MAX_DOSSIER_FILES) return fail(413, "uploads.errors.tooManyFiles", { max: MAX_DOSSIER_FILES });
    if (!isUuid(body.attachmentId)) return fail(404, "uploads.errors.notFound");
    const [source] = await db.select().from(attachments)
      .where(and(eq(attachments.id, body.attachmentId), eq(attachments.citizenId, session.citizen.id), isNotNull(attachments.dossierId), eq(attachments.scan, "clean")));
    if (!source) return fail(404, "uploads.errors.notFound");
    await db.insert(attachments).values({ citizenId: session.citizen.id, draftId: draft.id, slot: slot.slot, fileName: source.fileName, mime: source.mime, size: source.size, sha256: source.sha256, scan: "clean" });
    return redirect(stepUrl("tai-lieu"), { headers });
  }
  if (body.intent === "continue") {
    const missing = slots.filter((s) => s.required && !existing.some((f) => f.slot === s.slot));
    if (missing.length) {
      return data<Reply>({ formError: "filing.errors.missingDocuments", params: { count: missing.length }, fieldErrors: Object.fromEntries(missing.map((m) => [m.slot, "uploads.errors.required"])) }, { status: 400, headers });
    }
    await db.update(drafts).set({ step: "xem-lai", updatedAt: sql`now()` }).where(eq(drafts.id, draft.id));
    return redirect(stepUrl("xem-lai"), { headers });
  }
  return fail(400, "filing.errors.badStep");
}
