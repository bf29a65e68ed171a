import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { plainText } from "~/lib/text";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { sessionCookie, STAFF_HOME, staffFromRequest, staffReturnTo, startStaffLogin } from "~/modules/identity/staff-auth.server";
import { formFields } from "~/lib/form-data.server";
import { headersWithRetryAfter, refusalHeaders } from "~/lib/retry-after";

export const headers = headersWithRetryAfter();
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // the page that sent the official here, if it is one of ours: they go back to it once signed in
  const returnTo = staffReturnTo(new URL(request.url).searchParams.get("returnTo"));
  if (await staffFromRequest(await getDb(), request)) throw redirect(returnTo ?? STAFF_HOME);
  const { t } = await getFixedT(request);
  return { title: `${t("staff.signInTitle")} | ${t("site.name")}`, returnTo };
}

const Credentials = z.object({ username: plainText().trim().min(1).max(100), password: plainText().min(1).max(200) });

export async function action({ request, context }: ActionFunctionArgs) {
  const fields = (await formFields(request)) ?? {};
  const parsed = Credentials.safeParse(fields);
  if (!parsed.success) return data({ error: "staff.errors.required", params: {} }, { status: 400 });
  const r = await startStaffLogin(await getDb(), { username: parsed.data.username, password: parsed.data.password, ip: context.clientIp, device: request.headers.get("user-agent") ?? undefined });
  if (!r.ok) return data({ error: r.error.i18nKey, params: r.error.params ?? {} }, { status: r.error.status, headers: refusalHeaders(r.error) });
  const returnTo = staffReturnTo(fields.returnTo);
  return redirect(returnTo ? `/can-bo/xac-thuc?returnTo=${encodeURIComponent(returnTo)}` : "/can-bo/xac-thuc", { headers: { "Set-Cookie": sessionCookie(r.value.token, 300) } });
}

export default function StaffSignIn() {
  const { t } = useTranslation();
  const { returnTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="container narrow">
      <h1>{t("staff.signInTitle")}</h1>
      {result?.error ? <div className="alert error" role="alert">{t(result.error, result.params)}</div> : null}
      <Form method="post" className="stack-form">
        {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
        <label htmlFor="username">{t("staff.username")}</label>
        <input id="username" name="username" autoComplete="username" required maxLength={100} />
        <label htmlFor="password">{t("staff.password")}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required maxLength={200} />
        <button type="submit" className="button primary">{t("staff.signIn")}</button>
      </Form>
    </div>
  );
}
