// Links through which the national portal downloads a dossier's files: the documents filed with it
// (TaiLieuNop[].DuongDanTaiTepTin) and its result documents (DanhSachGiayToKetQua[].DuongDanTaiTepTin).
// The national side fetches attachments by URL and has no session here, so the link carries an
// HMAC of the file's id, bound to the kind of file (docs/decisions/012-*.md). Only clean files of
// a dossier are ever served through it.
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq, inArray, isNotNull, ne } from "drizzle-orm";
import { config, publicUrl } from "~/config.server";
import { err, ok, type Result } from "~/lib/result";
import { storedFileResponse } from "~/lib/stored-file-response.server";
import type { AppDb, AppTx } from "~db/client.server";
import { attachments } from "~db/schema";
import { ResultErrors } from "./results.errors";
import { RESULT_SLOT } from "./slot";

const FILE_ID = /^[0-9a-f-]{36}$/i;

/** A result document, or a document filed with the dossier (at submission or as a supplement). */
export type NationalFileKind = "result" | "filed";
const PURPOSE: Record<NationalFileKind, string> = { result: "national-result-file", filed: "national-filed-file" };
const PATH: Record<NationalFileKind, string> = { result: "ket-qua", filed: "tep" };

/** The link's signature: keyed by the secret shared with the national portal, bound to this use and kind. */
function signature(kind: NationalFileKind, fileId: string): string {
  return createHmac("sha256", config().NATIONAL_INBOUND_TOKEN).update(`${PURPOSE[kind]}\0${fileId.toLowerCase()}`).digest("base64url");
}

export const kindOf = (doc: { slot: string }): NationalFileKind => (doc.slot === RESULT_SLOT ? "result" : "filed");

export function nationalFileUrl(kind: NationalFileKind, fileId: string): string {
  return `${publicUrl()}/api/dvcqg/${PATH[kind]}/${fileId}?sig=${signature(kind, fileId)}`;
}

/** createdAt: when the file was attached (a supplement's files are told apart by it). */
export interface NationalDoc { id: string; dossierId: string; fileName: string; slot: string; createdAt: Date }

/** The clean files of these dossiers, oldest first (files attached together: by id — a stable order). */
export async function nationalDocsOf(db: AppDb | AppTx, dossierIds: string[]): Promise<NationalDoc[]> {
  if (dossierIds.length === 0) return [];
  return db.select({ id: attachments.id, dossierId: attachments.dossierId, fileName: attachments.fileName, slot: attachments.slot, createdAt: attachments.createdAt })
    .from(attachments)
    .where(and(inArray(attachments.dossierId, dossierIds), eq(attachments.scan, "clean")))
    .orderBy(attachments.createdAt, attachments.id) as Promise<NationalDoc[]>;
}

/** The file behind a national download link; a bad signature, another kind of file and an unknown file look alike. */
export async function nationalFile(db: AppDb, kind: NationalFileKind, fileId: string, sig: string): Promise<Result<{ fileName: string; mime: string; size: number; sha256: string }>> {
  if (!FILE_ID.test(fileId)) return err(ResultErrors.notFound());
  const want = Buffer.from(signature(kind, fileId));
  const got = Buffer.from(sig);
  if (got.length !== want.length || !timingSafeEqual(got, want)) return err(ResultErrors.notFound());
  const [f] = await db.select({ fileName: attachments.fileName, mime: attachments.mime, size: attachments.size, sha256: attachments.sha256 })
    .from(attachments)
    .where(and(
      eq(attachments.id, fileId), eq(attachments.scan, "clean"), isNotNull(attachments.dossierId),
      kind === "result" ? eq(attachments.slot, RESULT_SLOT) : ne(attachments.slot, RESULT_SLOT),
    ));
  return f ? ok(f) : err(ResultErrors.notFound());
}

/** The answer to a national download link: the file, or a bare 404 (nothing said about why). */
export async function nationalFileResponse(db: AppDb, kind: NationalFileKind, fileId: string, request: Request): Promise<Response> {
  const r = await nationalFile(db, kind, fileId, new URL(request.url).searchParams.get("sig") ?? "");
  if (!r.ok) throw new Response("Not Found", { status: r.error.status });
  return storedFileResponse(r.value, "attachment");
}
