// Enrolling this browser as a kiosk: the one-time code an administrator issued becomes a
// long-lived, httpOnly device credential (stored hashed; revocable at /can-bo/thiet-bi).
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formFields } from "~/lib/form-data.server";
import { headersWithRetryAfter, refusalHeaders } from "~/lib/retry-after";
import { deviceCookie, deviceFromRequest, enrolDeviceFrom } from "~/modules/kiosk/devices.server";
import kioskStyles from "~/styles/kiosk.css";

export const handle = { kiosk: true };
export const links: LinksFunction = () => [{ rel: "stylesheet", href: kioskStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];
export const headers = headersWithRetryAfter({ "Cache-Control": "no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const { t } = await getFixedT(request);
  const device = await deviceFromRequest(db, request);
  return data({ title: `${t("kiosk.deviceTitle")} | ${t("site.name")}`, enrolled: device?.label ?? null }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const db = await getDb();
  const form = await formFields(request);
  const r = await enrolDeviceFrom(db, { code: String(form?.code ?? "").slice(0, 40), address: context.clientIp });
  if (!r.ok) return data({ error: r.error.i18nKey, params: r.error.params ?? {}, enrolled: null as string | null }, { status: r.error.status, headers: refusalHeaders(r.error) });
  return data({ error: null as string | null, params: {}, enrolled: r.value.device.label }, { headers: { "Set-Cookie": deviceCookie(r.value.token), "Cache-Control": "no-store" } });
}

export default function EnrolKiosk() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const enrolled = result?.enrolled ?? d.enrolled;
  return (
    <main id="main" className="kiosk kiosk-main">
      <div className="kiosk-panel">
        <h1>{t("kiosk.deviceTitle")}</h1>
        {result?.error ? <div className="alert error" role="alert">{t(result.error, result.params)}</div> : null}
        {enrolled ? (
          <>
            <div className="alert success" role="status">{t("kiosk.enrolled", { label: enrolled })}</div>
            <p><a className="button primary kiosk-big" href="/can-bo/dang-nhap">{t("kiosk.signIn")}</a></p>
          </>
        ) : (
          <Form method="post" className="stack-form" autoComplete="off">
            <p id="enrol-hint" className="hint">{t("kiosk.deviceIntro")}</p>
            <label htmlFor="code">{t("kiosk.enrolCode")}</label>
            <input id="code" name="code" aria-describedby="enrol-hint" autoCapitalize="characters" autoComplete="off" required />
            <button type="submit" className="button primary kiosk-big">{t("kiosk.enrol")}</button>
          </Form>
        )}
      </div>
    </main>
  );
}
