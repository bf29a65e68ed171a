// Citizen sign-in: one button that starts the national e-ID (OpenID Connect) login.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { citizenFromRequest, citizenLoginCookie, safeReturnTo, startCitizenLogin } from "~/modules/identity/citizen-auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const returnTo = safeReturnTo(new URL(request.url).searchParams.get("returnTo"));
  if (await citizenFromRequest(await getDb(), request)) throw redirect(returnTo);
  const { t } = await getFixedT(request);
  return { title: `${t("citizen.signInTitle")} | ${t("site.name")}`, returnTo };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const r = await startCitizenLogin(await getDb(), safeReturnTo(form.get("returnTo")));
  if (!r.ok) return data({ error: r.error.i18nKey }, { status: r.error.status });
  // the callback is honoured only in the browser holding this cookie
  return redirect(r.value.url, { headers: { "Set-Cookie": citizenLoginCookie(r.value.state), "Cache-Control": "no-store" } });
}

export default function CitizenSignIn() {
  const { t } = useTranslation();
  const { returnTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="container narrow">
      <h1>{t("citizen.signInTitle")}</h1>
      <p>{t("citizen.signInIntro")}</p>
      {result?.error ? <div className="alert error" role="alert">{t(result.error)}</div> : null}
      <Form method="post" reloadDocument>
        <input type="hidden" name="returnTo" value={returnTo} />
        <button type="submit" className="button primary">{t("citizen.signInWithVneid")}</button>
      </Form>
      <p className="note">{t("citizen.signInNote")}</p>
    </div>
  );
}
