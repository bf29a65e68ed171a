// A result document of the citizen's own dossier, once the result is returned (status 10).
import { type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { storedFileResponse } from "~/lib/stored-file-response.server";
import { requireCitizen } from "~/modules/identity/citizen-auth.server";
import { citizenResultFile } from "~/modules/results/results.server";
import { DossierCodeParam, paramOf, UuidParam } from "~/lib/path-params.server";

export async function loader({ request, params, context: { services } }: LoaderFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const r = await citizenResultFile(db, session.citizen.id, paramOf(params, "code", DossierCodeParam), paramOf(params, "fileId", UuidParam));
  if (!r.ok) throw new Response("Not Found", { status: r.error.status });
  return storedFileResponse(services.storage, r.value, "attachment");
}
