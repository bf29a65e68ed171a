import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireOperator } from "~/modules/operations/operator-auth.server";

export function loader({ request }: LoaderFunctionArgs) {
  requireOperator(request);
  const code = (new URL(request.url).searchParams.get("code") ?? "").trim().slice(0, 60);
  return redirect(code ? `/van-hanh/dong-bo/${encodeURIComponent(code)}` : "/van-hanh/dong-bo");
}
