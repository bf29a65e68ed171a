// A document of a dossier, for officials of the dossier's agency (every view is audited).
import { type LoaderFunctionArgs } from "@remix-run/node";
import { Readable } from "node:stream";
import { getDb } from "~/db.server";
import { openDossierFile } from "~/modules/backoffice/desk.server";
import { requireStaff } from "~/modules/identity/staff-auth.server";
import { contentKey } from "~/modules/storage/storage.server";
import { storage } from "~/services.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const session = await requireStaff(db, request);
  const r = await openDossierFile(db, session.user, params.code ?? "", params.fileId ?? "", request.headers.get("user-agent") ?? undefined);
  if (!r.ok) throw new Response("Not Found", { status: 404 });
  const body = await storage().get(contentKey(r.value.sha256));
  if (!body) throw new Response("Not Found", { status: 404 });
  return new Response(Readable.toWeb(body) as ReadableStream, {
    headers: {
      "Content-Type": r.value.mime,
      "Content-Length": String(r.value.size),
      "Content-Disposition": `inline; filename*=UTF-8''${encodeURIComponent(r.value.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
