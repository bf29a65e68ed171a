// Result documents ("giấy tờ kết quả"): files an official attaches when completing (→ 9) or
// returning (→ 10) a dossier — streamed, inspected (PDF/JPEG/PNG by their bytes), scanned and
// stored by SHA-256 like citizens' uploads, written with the status change in one transaction.
// The citizen who owns the dossier downloads them once the result is returned (status 10).
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { config } from "~/config.server";
import { err, ok, type Result } from "~/lib/result";
import { scanFile } from "~/modules/attachments/scan.server";
import { UploadErrors } from "~/modules/attachments/upload.errors";
import { commitToStorage, receiveUploads, type InspectedFile } from "~/modules/attachments/upload.server";
import { plausibleCode } from "~/modules/dossiers/citizen-view.server";
import { DossierStatus } from "~/modules/dossiers/status";
import { collectGarbage } from "~/modules/filing/documents.server";
import type { FileStorage } from "~/modules/storage/storage.server";
import type { AppDb, AppTx } from "~db/client.server";
import { attachments, dossiers } from "~db/schema";
import { ResultErrors } from "./results.errors";
import { RESULT_SLOT } from "./slot";

export { RESULT_SLOT };

export const MAX_RESULT_FILES = 10;
export const MAX_RESULT_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_RESULT_TOTAL_BYTES = 50 * 1024 * 1024;

export { ResultErrors };

/** The multipart body of a desk action: its fields and the result files (temp files: discard() them). */
export function receiveResultUploads(request: Request) {
  return receiveUploads(request, {
    maxFileBytes: MAX_RESULT_FILE_BYTES, maxFiles: MAX_RESULT_FILES, maxTotalBytes: MAX_RESULT_TOTAL_BYTES,
    allowedSlots: new Set([RESULT_SLOT]), tmpDir: path.join(os.tmpdir(), "qn-uploads"),
  });
}

export interface StoredResult { fileName: string; mime: string; size: number; sha256: string; scan: "clean" | "pending" }

/** Scans and stores received result files; an infected file stops everything before anything is stored. */
export async function storeResultFiles(storage: FileStorage, files: readonly InspectedFile[]): Promise<Result<StoredResult[]>> {
  const stored: StoredResult[] = [];
  for (const f of files) {
    const verdict = await scanFile(f.tmpPath, { clamd: config().CLAMD });
    if (verdict === "infected") return err(UploadErrors.infected(f.fileName));
    // a scanner that could not answer leaves the file quarantined (pending), never "clean"
    stored.push({ fileName: f.fileName, mime: f.mime, size: f.size, sha256: f.sha256, scan: verdict === "clean" ? "clean" : "pending" });
  }
  for (const f of files) await commitToStorage(storage, f);
  return ok(stored);
}

/** The attachment rows of stored results, inside the status change's transaction. */
export async function attachResults(tx: AppTx, dossierId: string, files: readonly StoredResult[]): Promise<void> {
  if (!files.length) return;
  await tx.insert(attachments).values(files.map((f) => ({ dossierId, slot: RESULT_SLOT, fileName: f.fileName, mime: f.mime, size: f.size, sha256: f.sha256, scan: f.scan })));
}

/** Stored bytes of results whose status change did not commit. */
export const forgetResults = (db: AppDb, storage: FileStorage, files: readonly StoredResult[]) => collectGarbage(db, storage, files.map((f) => f.sha256));

/** A result document of the citizen's own returned dossier; anything else is "not found". */
export async function citizenResultFile(db: AppDb, citizenId: string, code: string, fileId: string): Promise<Result<{ fileName: string; mime: string; size: number; sha256: string }>> {
  if (!plausibleCode(code) || !/^[0-9a-f-]{36}$/i.test(fileId)) return err(ResultErrors.notFound());
  const [f] = await db.select({ fileName: attachments.fileName, mime: attachments.mime, size: attachments.size, sha256: attachments.sha256 })
    .from(attachments).innerJoin(dossiers, eq(dossiers.id, attachments.dossierId))
    .where(and(
      eq(attachments.id, fileId), eq(attachments.slot, RESULT_SLOT), eq(attachments.scan, "clean"),
      eq(dossiers.code, code), eq(dossiers.citizenId, citizenId), eq(dossiers.status, DossierStatus.RETURNED),
    ));
  return f ? ok(f) : err(ResultErrors.notFound());
}
