// Inbound: the national portal pushes a dossier filed there (Bearer token, validated, idempotent).
import type { ActionFunctionArgs } from "@remix-run/node";
import { config } from "~/config.server";
import { getDb } from "~/db.server";
import { handleInboundRequest } from "~/modules/sync/inbound.server";

export async function action({ request }: ActionFunctionArgs) {
  return handleInboundRequest(await getDb(), request, config().NATIONAL_INBOUND_TOKEN);
}

export function loader() {
  return Response.json({ error_code: 405, message: "Chỉ nhận POST" }, { status: 405, headers: { Allow: "POST" } });
}
