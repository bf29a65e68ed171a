import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { requireRole } from "~/modules/identity/staff-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(await getDb(), request, ["admin"], "sync.ledger");
  const code = (new URL(request.url).searchParams.get("code") ?? "").trim().slice(0, 60);
  return redirect(code ? `/van-hanh/dong-bo/${encodeURIComponent(code)}` : "/van-hanh/dong-bo");
}
