import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { clearSessionCookie, completeStaffLogin, sessionCookie, STAFF_HOME, staffReturnTo, tokenFromRequest } from "~/modules/identity/staff-auth.server";
import { formFields } from "~/lib/form-data.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (!tokenFromRequest(request)) throw redirect("/can-bo/dang-nhap");
  const { t } = await getFixedT(request);
  return { title: `${t("staff.codeTitle")} | ${t("site.name")}`, returnTo: staffReturnTo(new URL(request.url).searchParams.get("returnTo")) };
}

export async function action({ request }: ActionFunctionArgs) {
  const token = tokenFromRequest(request);
  if (!token) throw redirect("/can-bo/dang-nhap");
  const fields = (await formFields(request)) ?? {};
  const parsed = z.object({ code: z.string().trim().regex(/^\d{6}$/) }).safeParse(fields);
  if (!parsed.success) return data({ error: "staff.errors.badCode", params: {} }, { status: 400 });
  const r = await completeStaffLogin(await getDb(), token, parsed.data.code, request.headers.get("user-agent") ?? undefined);
  if (!r.ok) {
    const headers = r.error.code === "auth.expired" || r.error.code === "auth.locked" ? { "Set-Cookie": clearSessionCookie() } : undefined;
    return data({ error: r.error.i18nKey, params: r.error.params ?? {} }, { status: r.error.status, headers });
  }
  // back to the page that asked for the sign-in; otherwise commune police officers work at kiosks,
  // everyone else at the desk
  const home = staffReturnTo(fields.returnTo) ?? (r.value.user.role === "police" ? "/quay" : STAFF_HOME);
  return redirect(home, { headers: { "Set-Cookie": sessionCookie(r.value.token, 8 * 3600) } });
}

export default function StaffCode() {
  const { t } = useTranslation();
  const { returnTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="container narrow">
      <h1>{t("staff.codeTitle")}</h1>
      {result?.error ? <div className="alert error" role="alert">{t(result.error, result.params)}</div> : null}
      <Form method="post" className="stack-form">
        {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
        <label htmlFor="code">{t("staff.code")}</label>
        <p id="code-hint" className="hint">{t("staff.codeHint")}</p>
        <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} required aria-describedby="code-hint" />
        <button type="submit" className="button primary">{t("staff.verify")}</button>
      </Form>
    </div>
  );
}
