// A result document of the citizen's own dossier, once the result is returned (status 10).
import { type LoaderFunctionArgs } from "@remix-run/node";
import { Readable } from "node:stream";
import { getDb } from "~/db.server";
import { requireCitizen } from "~/modules/identity/citizen-auth.server";
import { citizenResultFile } from "~/modules/results/results.server";
import { contentKey } from "~/modules/storage/storage.server";
import { storage } from "~/services.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const r = await citizenResultFile(db, session.citizen.id, params.code ?? "", params.fileId ?? "");
  if (!r.ok) throw new Response("Not Found", { status: r.error.status });
  const body = await storage().get(contentKey(r.value.sha256));
  if (!body) throw new Response("Not Found", { status: 404 });
  return new Response(Readable.toWeb(body) as ReadableStream, {
    headers: {
      "Content-Type": r.value.mime,
      "Content-Length": String(r.value.size),
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(r.value.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
