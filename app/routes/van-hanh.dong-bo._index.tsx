// Operators (administrators' accounts): sync queue depth, lag, call outcomes, dead letters with replay.
import { data, type HeadersFunction, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { plainText } from "~/lib/text";
import { ActionButton } from "~/components/forms/ActionButton";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { appendAudit } from "~/modules/audit/audit.server";
import { csrfOk, requireRole } from "~/modules/identity/staff-auth.server";
import { dossierIdByCode, syncOverview } from "~/modules/sync/operations.server";
import { replayDeadLetter } from "~/modules/sync/sync.server";
import { formFields } from "~/lib/form-data.server";

// Document requests keep the loader's (or a thrown response's) headers: no-store.
export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const { csrf } = await requireRole(db, request, ["admin"], "sync.view");
  const { t } = await getFixedT(request);
  const overview = await syncOverview(db);
  return data({ ...overview, csrf, title: `${t("ops.title")} | ${t("site.name")}` }, { headers: { "Cache-Control": "no-store" } });
}

const Replay = z.object({ csrf: z.string(), code: plainText().max(60) });

export async function action({ request }: ActionFunctionArgs) {
  const db = await getDb();
  const session = await requireRole(db, request, ["admin"], "sync.replay");
  const parsed = Replay.safeParse((await formFields(request)) ?? {});
  if (!parsed.success || !csrfOk(session, parsed.data.csrf)) return data({ error: "ops.badCsrf" as const, code: "" }, { status: 403 });
  const id = await dossierIdByCode(db, parsed.data.code);
  if (!id) return data({ error: "ops.notFound" as const, code: parsed.data.code }, { status: 404 });
  // back in the queue, and who did it, together
  await db.transaction(async (tx) => {
    await replayDeadLetter(tx, id);
    await appendAudit(tx, {
      actorKind: "official", actorId: session.user.username, device: request.headers.get("user-agent") ?? undefined, action: "sync.replayed",
      subjectKind: "dossier", subjectId: parsed.data.code, details: null,
    });
  });
  return redirect(`/van-hanh/dong-bo?replayed=${encodeURIComponent(parsed.data.code)}`);
}

export default function SyncOperations() {
  const { queue, rates, dead, csrf } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const replayed = params.get("replayed");
  return (
    <div className="container">
      <h1>{t("ops.title")}</h1>
      {actionData?.error ? <div className="alert error" role="alert">{t(actionData.error, { code: actionData.code })}</div> : null}
      {replayed ? <p role="status">{t("ops.replayed", { code: replayed })}</p> : null}
      <h2>{t("ops.queue")}</h2>
      <dl className="summary" data-testid="queue">
        <div><dt>{t("ops.pending")}</dt><dd>{queue.pending}</dd></div>
        <div><dt>{t("ops.synced")}</dt><dd>{queue.synced}</dd></div>
        <div><dt>{t("ops.dead")}</dt><dd>{queue.dead}</dd></div>
        <div><dt>{t("ops.lag")}</dt><dd>{queue.oldest_pending_s === null ? t("ops.none") : t("ops.seconds", { n: Math.round(queue.oldest_pending_s) })}</dd></div>
      </dl>
      <h2>{t("ops.rates")}</h2>
      <div className="table-wrap">
        <table>
          <thead><tr><th scope="col">{t("ops.outcome")}</th><th scope="col">{t("ops.count")}</th><th scope="col">{t("ops.p50")}</th><th scope="col">{t("ops.p99")}</th></tr></thead>
          <tbody>{rates.map((r) => <tr key={r.outcome}><td>{r.outcome}</td><td className="num">{r.n}</td><td className="num">{r.p50 ?? "—"}</td><td className="num">{r.p99 ?? "—"}</td></tr>)}</tbody>
        </table>
      </div>
      <h2>{t("ops.deadLetters")}</h2>
      {dead.length === 0 ? <p>{t("ops.none")}</p> : (
        <div className="table-wrap">
          <table data-testid="dead-letters">
            <thead><tr><th scope="col">{t("ops.code")}</th><th scope="col">{t("ops.reason")}</th><th scope="col">{t("ops.when")}</th><th scope="col"><span className="visually-hidden">{t("ops.replay")}</span></th></tr></thead>
            <tbody>
              {dead.map((d) => (
                <tr key={d.id}>
                  <td><Link to={`/van-hanh/dong-bo/${encodeURIComponent(d.code)}`} className="code">{d.code}</Link></td>
                  <td lang="vi">{d.lastError}</td>
                  <td>{d.deadAt}</td>
                  <td>
                    <ActionButton csrf={csrf} fields={{ code: d.code }}>{t("ops.replay")}</ActionButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t("ops.ledgerLookup")}</h2>
      <Form method="get" action="/van-hanh/dong-bo/tra-cuu" className="search-panel compact">
        <label htmlFor="ledger-code">{t("ops.code")}</label>
        <div className="search-input">
          <input id="ledger-code" name="code" maxLength={60} required />
          <button type="submit" className="button primary">{t("ops.show")}</button>
        </div>
      </Form>
    </div>
  );
}
