// A document of a dossier, for officials of the dossier's agency (every view is audited).
import { type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { storedFileResponse } from "~/lib/stored-file-response.server";
import { openDossierFile } from "~/modules/backoffice/desk.server";
import { requireStaff } from "~/modules/identity/staff-auth.server";
import { DossierCodeParam, paramOf, UuidParam } from "~/lib/path-params.server";

export async function loader({ request, params, context: { services } }: LoaderFunctionArgs) {
  const db = await getDb();
  const session = await requireStaff(db, request);
  const r = await openDossierFile(db, session.user, paramOf(params, "code", DossierCodeParam), paramOf(params, "fileId", UuidParam), request.headers.get("user-agent") ?? undefined);
  if (!r.ok) throw new Response("Not Found", { status: 404 });
  return storedFileResponse(services.storage, r.value, "inline");
}
