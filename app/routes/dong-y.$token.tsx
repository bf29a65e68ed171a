// The citizen approves (or refuses) a kiosk's assisted session from their own VNeID session: the
// kiosk shows a QR code of this address. Signed-in citizens only (others go through /dang-nhap and
// come back); only the citizen the kiosk identified may answer, while the kiosk session lives and
// the request is unused and unexpired. Plain forms: works without JavaScript.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formFields } from "~/lib/form-data.server";
import { citizenCsrfOk, requireCitizen } from "~/modules/identity/citizen-auth.server";
import { answerEidApproval, eidApprovalFor } from "~/modules/kiosk/eid-consent.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];
// the address carries the request's token: never cached, never sent on as a referrer
const headersOut = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };
export const headers = () => headersOut;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const { t, lng } = await getFixedT(request);
  const title = `${t("approval.title")} | ${t("site.name")}`;
  const r = await eidApprovalFor(db, params.token ?? "", session.citizen);
  if (!r.ok) return data({ title, lng, csrf: session.csrf, error: r.error.i18nKey, request: null }, { status: r.error.status, headers: headersOut });
  const v = r.value;
  return data({
    title, lng, csrf: session.csrf, error: null as string | null,
    request: { officer: v.officerName, agency: v.agencyName, device: v.deviceLabel, expiresAt: v.expiresAt.toISOString() },
  }, { headers: headersOut });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const form = await formFields(request);
  const fail = (error: string, status: number) => data({ error, outcome: null as "approved" | "refused" | null }, { status, headers: headersOut });
  if (!form) return fail("errors.badRequestTitle", 400);
  if (!citizenCsrfOk(session, form.csrf)) return fail("filing.errors.csrf", 403);
  if (form.intent !== "approve" && form.intent !== "refuse") return fail("errors.badRequestTitle", 400);
  const r = await answerEidApproval(db, params.token ?? "", session.citizen, form.intent);
  if (!r.ok) return fail(r.error.i18nKey, r.error.status);
  return data({ error: null as string | null, outcome: r.value.outcome }, { headers: headersOut });
}

export default function KioskApproval() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";

  if (result?.outcome) {
    return (
      <div className="container narrow">
        <h1>{t("approval.title")}</h1>
        <div className={`alert ${result.outcome === "approved" ? "success" : "notice"}`} role="status">
          {t(result.outcome === "approved" ? "approval.approved" : "approval.refused")}
        </div>
        <p><Link to="/ho-so">{t("approval.myDossiers")}</Link></p>
      </div>
    );
  }
  const error = result?.error ?? d.error;
  if (!d.request) {
    return (
      <div className="container narrow">
        <h1>{t("approval.title")}</h1>
        <div className="alert error" role="alert">{t(error ?? "kiosk.errors.approvalInvalid")}</div>
        <p><Link to="/ho-so">{t("approval.myDossiers")}</Link></p>
      </div>
    );
  }
  const fmt = new Intl.DateTimeFormat(d.lng === "en" ? "en-GB" : "vi-VN", { timeStyle: "short", timeZone: "Asia/Ho_Chi_Minh" });
  return (
    <div className="container narrow">
      <h1>{t("approval.title")}</h1>
      {error ? <div className="alert error" role="alert">{t(error)}</div> : null}
      <p>{t("approval.intro")}</p>
      <dl className="approval-details">
        <dt>{t("approval.officer")}</dt>
        <dd>{d.request.officer}</dd>
        <dt>{t("approval.where")}</dt>
        <dd>{d.request.agency} — {d.request.device}</dd>
        <dt>{t("approval.scopeLabel")}</dt>
        <dd>{t("approval.scope")}</dd>
        <dt>{t("approval.until")}</dt>
        <dd>{fmt.format(new Date(d.request.expiresAt))}</dd>
      </dl>
      <p className="note">{t("approval.note")}</p>
      <div className="approval-actions">
        <Form method="post">
          <input type="hidden" name="csrf" value={d.csrf} />
          <input type="hidden" name="intent" value="approve" />
          <button type="submit" className="button primary" disabled={busy}>{t("approval.approve")}</button>
        </Form>
        <Form method="post">
          <input type="hidden" name="csrf" value={d.csrf} />
          <input type="hidden" name="intent" value="refuse" />
          <button type="submit" className="button" disabled={busy}>{t("approval.refuse")}</button>
        </Form>
      </div>
    </div>
  );
}
