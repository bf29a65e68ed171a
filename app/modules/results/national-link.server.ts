// Links through which the national portal downloads a dossier's files: the documents filed with it
// (TaiLieuNop[].DuongDanTaiTepTin) and its result documents (DanhSachGiayToKetQua[].DuongDanTaiTepTin).
// The national side fetches attachments by URL and has no session here, so the link carries an
// HMAC of the file's id, bound to the kind of file (docs/decisions/012-*.md). Only clean files of
// a dossier are ever served through it.
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq, isNotNull, ne, sql, type SQL } from "drizzle-orm";
import { config, publicUrl } from "~/config.server";
import { err, ok, type Result } from "~/lib/result";
import { storedFileResponse } from "~/lib/stored-file-response.server";
import type { FileStorage } from "~/modules/storage/storage.server";
import { jsonRowReader, selectRows, uuidArray, type AppDb } from "~db/client.server";
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

/**
 * The clean files of these dossiers, oldest first (files attached together: by id — a stable
 * order), as a JSON array built by PostgreSQL: a part of a statement that reads several tables in
 * one snapshot (the sync worker's). readNationalDocs reads it back.
 */
export const nationalDocsJson = (dossierIds: SQL): SQL => sql`(
  select coalesce(json_agg(json_build_object('id', a.id, 'dossier_id', a.dossier_id, 'file_name', a.file_name, 'slot', a.slot, 'created_at', a.created_at)
                  order by a.created_at, a.id), '[]')
  from ${attachments} a where a.dossier_id = any(${dossierIds}) and a.scan = 'clean')`;
const docReader = jsonRowReader(attachments, ["id", "dossierId", "fileName", "slot", "createdAt"]);
export const readNationalDocs = (json: Record<string, unknown>[]): NationalDoc[] => json.map((r) => docReader(r) as NationalDoc);

/** The clean files of these dossiers, oldest first (nationalDocsJson, as its own statement). */
export async function nationalDocsOf(db: AppDb, dossierIds: readonly string[]): Promise<NationalDoc[]> {
  if (dossierIds.length === 0) return [];
  const [row] = await selectRows<{ docs: Record<string, unknown>[] }>(db, sql`select ${nationalDocsJson(uuidArray(dossierIds))} as docs`);
  return readNationalDocs(row.docs);
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
export async function nationalFileResponse(db: AppDb, storage: FileStorage, kind: NationalFileKind, fileId: string, request: Request): Promise<Response> {
  const r = await nationalFile(db, kind, fileId, new URL(request.url).searchParams.get("sig") ?? "");
  if (!r.ok) throw new Response("Not Found", { status: r.error.status });
  return storedFileResponse(storage, r.value, "attachment");
}
