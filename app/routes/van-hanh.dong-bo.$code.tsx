// Operators: the sync ledger of one dossier — every call, its request, answer, latency, outcome.
import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { requireRole } from "~/modules/identity/staff-auth.server";
import { dossierLedger } from "~/modules/sync/operations.server";
import { DossierCodeParam, paramOf } from "~/lib/path-params.server";

// Document requests keep the loader's (or a thrown response's) headers: no-store.
export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  await requireRole(db, request, ["admin"], "sync.ledger");
  const { t } = await getFixedT(request);
  const code = paramOf(params, "code", DossierCodeParam, { "Cache-Control": "no-store" });
  const ledger = await dossierLedger(db, code);
  if (!ledger) throw data({ message: t("ops.notFound", { code }) }, { status: 404, headers: { "Cache-Control": "no-store" } });
  return data({ ...ledger, title: `${t("ops.ledger")} ${code} | ${t("site.name")}` }, { headers: { "Cache-Control": "no-store" } });
}

export default function DossierLedger() {
  const { dossier, calls } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="container">
      <p><Link to="/van-hanh/dong-bo">← {t("ops.back")}</Link></p>
      <h1>{t("ops.ledger")} <span className="code">{dossier.code}</span></h1>
      <dl className="summary">
        <div><dt>{t("ops.status")}</dt><dd>{dossier.status}</dd></div>
        <div><dt>{t("ops.versions")}</dt><dd>{dossier.wanted ?? "—"}/{dossier.synced ?? "—"}</dd></div>
        {dossier.lastError ? <div><dt>{t("ops.reason")}</dt><dd lang="vi">{dossier.lastError}</dd></div> : null}
      </dl>
      <div className="table-wrap">
        <table data-testid="ledger">
          <thead><tr>
            <th scope="col">{t("ops.when")}</th><th scope="col">{t("ops.service")}</th><th scope="col">{t("ops.outcome")}</th>
            <th scope="col">{t("ops.latency")}</th><th scope="col">{t("ops.worker")}</th><th scope="col">{t("ops.request")}</th><th scope="col">{t("ops.response")}</th>
          </tr></thead>
          <tbody>
            {calls.map((c) => (
              <tr key={c.id}>
                <td>{c.at}</td><td>{c.service}</td><td>{c.outcome}</td><td className="num">{c.latencyMs}</td><td>{c.worker}</td>
                <td><code className="wrap">{c.request}</code></td><td><code className="wrap">{c.response}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
