// Keeps an assisted session alive while the kiosk is in use (the page pings on activity), so the
// server's idle limit matches the countdown on screen; the answer says how long it has left.
import type { ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { formFields } from "~/lib/form-data.server";
import { idleLeftMs, kioskCsrfOk, requireKiosk } from "~/modules/kiosk/guard.server";

export async function action({ request, context: { services } }: ActionFunctionArgs) {
  const db = await getDb();
  const ctx = await requireKiosk(db, services.storage, request, "session").catch(() => null);
  const form = await formFields(request);
  if (!ctx || !form || !kioskCsrfOk(ctx, form.csrf)) return new Response(null, { status: 409, headers: { "Cache-Control": "no-store" } });
  // the screen counts down to the server's deadline, not its own last touch
  return Response.json({ idleLeftMs: idleLeftMs(ctx) }, { headers: { "Cache-Control": "no-store" } });
}
