// One dossier at the desk: the applicant, the timeline, and the actions open to this official.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import type { FileStorage } from "~/modules/storage/storage.server";
import { getFixedT } from "~/i18next.server";
import { formatDate } from "~/lib/format";
import { ActionForm, RescheduleForm } from "~/modules/backoffice/desk.schema";
import { actOnDossier, openDossier, rescheduleDossier } from "~/modules/backoffice/desk.server";
import type { DeskAction } from "~/modules/backoffice/permissions";
import { csrfOk, requireStaff, type StaffSession } from "~/modules/identity/staff-auth.server";
import { discard } from "~/modules/attachments/upload.server";
import { receiveResultUploads } from "~/modules/results/results.server";
import { RESULT_SLOT } from "~/modules/results/slot";
import { formFields } from "~/lib/form-data.server";
import { DossierCodeParam, paramOf } from "~/lib/path-params.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const { user, csrf } = await requireStaff(db, request);
  const code = paramOf(params, "code", DossierCodeParam);
  const { t } = await getFixedT(request);
  const r = await openDossier(db, user, code, request.headers.get("user-agent") ?? undefined);
  if (!r.ok) throw data({ message: t(r.error.i18nKey) }, { status: r.error.status });
  return data({ ...r.value, csrf, title: `${r.value.dossier.code} | ${t("site.name")}` }, { headers: { "Cache-Control": "no-store" } });
}

type Reply = { error: string; params: Record<string, string | number> };
const fail = (error: string, status: number, params: Record<string, string | number> = {}) => data<Reply>({ error, params }, { status });

export async function action({ request, params, context: { services } }: ActionFunctionArgs) {
  const db = await getDb();
  const session = await requireStaff(db, request);
  const code = paramOf(params, "code", DossierCodeParam);
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) return actWithResults(db, services.storage, session, request, code);
  const fields = (await formFields(request)) ?? {};
  const device = request.headers.get("user-agent") ?? undefined;
  if (fields.intent === "reschedule") {
    const parsed = RescheduleForm.safeParse(fields);
    if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? "letters.errors.badDate", 400);
    if (!csrfOk(session, parsed.data.csrf)) return fail("desk.errors.badCsrf", 403);
    const r = await rescheduleDossier(db, session.user, code, parsed.data, device);
    if (!r.ok) return fail(r.error.i18nKey, r.error.status, r.error.params);
    return redirect(`/can-bo/ho-so/${encodeURIComponent(code)}?hen-lai=1`);
  }
  const parsed = ActionForm.safeParse(fields);
  if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? "desk.errors.badAction", 400);
  if (!csrfOk(session, parsed.data.csrf)) return fail("desk.errors.badCsrf", 403);
  const r = await actOnDossier(db, session.user, code, parsed.data.action as DeskAction, parsed.data.note, device, { legalBasis: parsed.data.legalBasis });
  if (!r.ok) return fail(r.error.i18nKey, r.error.status, r.error.params);
  return redirect(`/can-bo/ho-so/${encodeURIComponent(code)}?xong=1`);
}

/** Completing or returning with result documents: the form comes multipart, its files streamed to temp files. */
async function actWithResults(db: Awaited<ReturnType<typeof getDb>>, storage: FileStorage, session: StaffSession, request: Request, code: string) {
  const received = await receiveResultUploads(request);
  if (!received.ok) return fail(received.error.i18nKey, received.error.status, received.error.params);
  try {
    const parsed = ActionForm.safeParse(received.fields);
    if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? "desk.errors.badAction", 400);
    if (!csrfOk(session, parsed.data.csrf)) return fail("desk.errors.badCsrf", 403);
    const device = request.headers.get("user-agent") ?? undefined;
    const r = await actOnDossier(db, session.user, code, parsed.data.action as DeskAction, parsed.data.note, device, { legalBasis: parsed.data.legalBasis, results: { files: received.files, storage } });
    if (!r.ok) return fail(r.error.i18nKey, r.error.status, r.error.params);
    return redirect(`/can-bo/ho-so/${encodeURIComponent(code)}?xong=1`);
  } finally {
    await discard(received.files);
  }
}

export default function DeskDossier() {
  const { dossier: d, events, actions, csrf, files, letters, canReschedule } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const [search] = useSearchParams();
  const takesResults = actions.includes("complete") || actions.includes("returnResult");
  return (
    <div className="container">
      <p><Link to="/can-bo/ho-so">← {t("desk.back")}</Link></p>
      <h1><span className="code">{d.code}</span></h1>
      {search.get("hen-lai") ? <div className="alert success" role="status">{t("letters.rescheduledDone")}</div> : null}
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
          {files.map((f) => <li key={f.id}><a href={`/can-bo/ho-so/${d.code}/tep/${f.id}`}>{f.fileName}</a> ({f.slot === RESULT_SLOT ? t("results.title") : f.slot})</li>)}
        </ul>
      ) : <p>{t("filing.none")}</p>}
      <h2>{t("desk.actions")}</h2>
      {actions.length === 0 ? <p>{t("desk.noActions")}</p> : (
        <Form method="post" className="stack-form" encType={takesResults ? "multipart/form-data" : undefined}>
          <input type="hidden" name="csrf" value={csrf} />
          <label htmlFor="note">{t("desk.note")}</label>
          <textarea id="note" name="note" rows={3} maxLength={2000} />
          {takesResults ? (
            <>
              <label htmlFor="results">{t("results.attach")}</label>
              <input id="results" type="file" name={RESULT_SLOT} multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" />
            </>
          ) : null}
          {actions.includes("refuse") ? (
            <>
              <label htmlFor="legalBasis">{t("letters.legalBasis")}</label>
              <input id="legalBasis" name="legalBasis" type="text" maxLength={1000} />
            </>
          ) : null}
          <div className="filter-actions">
            {actions.map((a) => <button key={a} type="submit" name="action" value={a} className="button">{t(`desk.a.${a}`)}</button>)}
          </div>
        </Form>
      )}
      {canReschedule ? (
        <section aria-labelledby="reschedule-title">
          <h2 id="reschedule-title">{t("letters.rescheduleTitle")}</h2>
          <p>{t("letters.rescheduleIntro")}</p>
          <Form method="post" className="stack-form">
            <input type="hidden" name="csrf" value={csrf} />
            <input type="hidden" name="intent" value="reschedule" />
            <label htmlFor="newDate">{t("letters.newDate")}</label>
            <input id="newDate" name="newDate" type="date" required />
            <label htmlFor="reason">{t("letters.reason")}</label>
            <textarea id="reason" name="reason" rows={3} maxLength={2000} required />
            <button type="submit" className="button">{t("letters.rescheduleSubmit")}</button>
          </Form>
        </section>
      ) : null}
      {letters.length ? (
        <section aria-labelledby="letters-title">
          <h2 id="letters-title">{t("letters.title")}</h2>
          <ul data-testid="letters">
            {letters.map((l) => (
              <li key={l.id}>
                <a href={`/can-bo/ho-so/${d.code}/phieu/${l.id}`} download>{t(`letters.${l.kind}`)}</a> — {formatDate(l.issuedAt)}
                {l.newDueAt ? ` — ${t("letters.rescheduled", { date: formatDate(l.newDueAt) })}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2>{t("desk.timeline")}</h2>
      <ol className="timeline" data-testid="timeline">
        {events.map((e) => (
          <li key={e.seq}><strong>{t(`desk.s.${e.status}`)}</strong> — {formatDate(e.at)} — {e.actorName}{e.note ? `: ${e.note}` : ""}</li>
        ))}
      </ol>
    </div>
  );
}
