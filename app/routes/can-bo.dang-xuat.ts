import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { clearSessionCookie, endStaffSession } from "~/modules/identity/staff-auth.server";

export async function action({ request }: ActionFunctionArgs) {
  await endStaffSession(await getDb(), request);
  return redirect("/can-bo/dang-nhap", { headers: { "Set-Cookie": clearSessionCookie() } });
}

export const loader = () => redirect("/can-bo/ho-so");
