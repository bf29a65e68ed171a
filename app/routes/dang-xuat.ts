// Citizen sign-out: ends our session, then the provider's (RP-initiated logout).
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { clearCitizenCookie, endCitizenSession } from "~/modules/identity/citizen-auth.server";

export async function action({ request }: ActionFunctionArgs) {
  const next = await endCitizenSession(await getDb(), request);
  return redirect(next, { headers: { "Set-Cookie": clearCitizenCookie(), "Cache-Control": "no-store" } });
}

export const loader = () => redirect("/");
