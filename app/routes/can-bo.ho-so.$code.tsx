// One dossier at the desk: the applicant, the timeline, and the actions open to this official.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formatDate } from "~/lib/format";
import { ActionForm } from "~/modules/backoffice/desk.schema";
import { actOnDossier, openDossier } from "~/modules/backoffice/desk.server";
import type { DeskAction } from "~/modules/backoffice/permissions";
import { csrfOk, requireStaff } from "~/modules/identity/staff-auth.server";
import { formFields } from "~/lib/form-data.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const { user, csrf } = await requireStaff(db, request);
  const { t } = await getFixedT(request);
  const r = await openDossier(db, user, (params.code ?? "").slice(0, 60), request.headers.get("user-agent") ?? undefined);
  if (!r.ok) throw data({ message: t(r.error.i18nKey) }, { status: r.error.status });
  return data({ ...r.value, csrf, title: `${r.value.dossier.code} | ${t("site.name")}` }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const db = await getDb();
  const session = await requireStaff(db, request);
  const parsed = ActionForm.safeParse((await formFields(request)) ?? {});
  if (!parsed.success) return data({ error: parsed.error.issues[0]?.message ?? "desk.errors.badAction", params: {} }, { status: 400 });
  if (!csrfOk(session, parsed.data.csrf)) return data({ error: "desk.errors.badCsrf", params: {} }, { status: 403 });
  const code = (params.code ?? "").slice(0, 60);
  const r = await actOnDossier(db, session.user, code, parsed.data.action as DeskAction, parsed.data.note, request.headers.get("user-agent") ?? undefined);
  if (!r.ok) return data({ error: r.error.i18nKey, params: r.error.params ?? {} }, { status: r.error.status });
  return redirect(`/can-bo/ho-so/${encodeURIComponent(code)}?xong=1`);
}

export default function DeskDossier() {
  const { dossier: d, events, actions, csrf, files } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="container">
      <p><Link to="/can-bo/ho-so">← {t("desk.back")}</Link></p>
      <h1><span className="code">{d.code}</span></h1>
      {result?.error ? <div className="alert error" role="alert">{t(result.error, result.params)}</div> : null}
      <dl className="summary">
        <div><dt>{t("desk.procedure")}</dt><dd lang="vi">{d.procedureName}</dd></div>
        <div><dt>{t("desk.applicant")}</dt><dd>{d.applicantName}</dd></div>
        <div><dt>{t("desk.idNumber")}</dt><dd>{d.applicantIdNumber ?? "—"}</dd></div>
        <div><dt>{t("desk.phone")}</dt><dd>{d.applicantPhone ?? "—"}</dd></div>
        <div><dt>{t("desk.status")}</dt><dd data-testid="status">{t(`desk.s.${d.status}`)}</dd></div>
        <div><dt>{t("desk.channel")}</dt><dd>{t(`desk.ch.${d.channel}`)}</dd></div>
        <div><dt>{t("desk.due")}</dt><dd>{d.dueAt ? formatDate(d.dueAt) : "—"}</dd></div>
      </dl>
      {d.summary ? <p>{d.summary}</p> : null}
      <h2>{t("desk.documents")}</h2>
      {files.length ? (
        <ul data-testid="documents">
          {files.map((f) => <li key={f.id}><a href={`/can-bo/ho-so/${d.code}/tep/${f.id}`}>{f.fileName}</a> ({f.slot})</li>)}
        </ul>
      ) : <p>{t("filing.none")}</p>}
      <h2>{t("desk.actions")}</h2>
      {actions.length === 0 ? <p>{t("desk.noActions")}</p> : (
        <Form method="post" className="stack-form">
          <input type="hidden" name="csrf" value={csrf} />
          <label htmlFor="note">{t("desk.note")}</label>
          <textarea id="note" name="note" rows={3} maxLength={2000} />
          <div className="filter-actions">
            {actions.map((a) => <button key={a} type="submit" name="action" value={a} className="button">{t(`desk.a.${a}`)}</button>)}
          </div>
        </Form>
      )}
      <h2>{t("desk.timeline")}</h2>
      <ol className="timeline" data-testid="timeline">
        {events.map((e) => (
          <li key={e.seq}><strong>{t(`desk.s.${e.status}`)}</strong> — {formatDate(e.at)} — {e.actorName}{e.note ? `: ${e.note}` : ""}</li>
        ))}
      </ol>
    </div>
  );
}
