// Links through which the national portal downloads a dossier's result documents
// (DanhSachGiayToKetQua[].DuongDanTaiTepTin): the national side fetches attachments by URL and
// has no session here, so the link carries an HMAC of the file's id (docs/decisions/012-*.md).
// Only a clean result document is ever served through it.
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { config, publicUrl } from "~/config.server";
import { err, ok, type Result } from "~/lib/result";
import type { AppDb, AppTx } from "~db/client.server";
import { attachments } from "~db/schema";
import { ResultErrors } from "./results.errors";
import { RESULT_SLOT } from "./slot";

const FILE_ID = /^[0-9a-f-]{36}$/i;

/** The link's signature: keyed by the secret shared with the national portal, bound to this use. */
function signature(fileId: string): string {
  return createHmac("sha256", config().NATIONAL_INBOUND_TOKEN).update(`national-result-file\0${fileId.toLowerCase()}`).digest("base64url");
}

export function nationalResultUrl(fileId: string): string {
  return `${publicUrl()}/api/dvcqg/ket-qua/${fileId}?sig=${signature(fileId)}`;
}

export interface NationalResultDoc { id: string; dossierId: string; fileName: string }

/** The clean result documents of these dossiers, oldest first (files attached together: by id — a stable order). */
export async function resultDocsOf(db: AppDb | AppTx, dossierIds: string[]): Promise<NationalResultDoc[]> {
  if (dossierIds.length === 0) return [];
  return db.select({ id: attachments.id, dossierId: attachments.dossierId, fileName: attachments.fileName })
    .from(attachments)
    .where(and(inArray(attachments.dossierId, dossierIds), eq(attachments.slot, RESULT_SLOT), eq(attachments.scan, "clean")))
    .orderBy(attachments.createdAt, attachments.id) as Promise<NationalResultDoc[]>;
}

/** The file behind a national download link; a bad signature and an unknown file look alike. */
export async function nationalResultFile(db: AppDb, fileId: string, sig: string): Promise<Result<{ fileName: string; mime: string; size: number; sha256: string }>> {
  if (!FILE_ID.test(fileId)) return err(ResultErrors.notFound());
  const want = Buffer.from(signature(fileId));
  const got = Buffer.from(sig);
  if (got.length !== want.length || !timingSafeEqual(got, want)) return err(ResultErrors.notFound());
  const [f] = await db.select({ fileName: attachments.fileName, mime: attachments.mime, size: attachments.size, sha256: attachments.sha256 })
    .from(attachments)
    .where(and(eq(attachments.id, fileId), eq(attachments.slot, RESULT_SLOT), eq(attachments.scan, "clean")));
  return f ? ok(f) : err(ResultErrors.notFound());
}
