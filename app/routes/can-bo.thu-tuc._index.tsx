// Administrators: the procedures of the catalogue, each with its current form version, to edit.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { CATALOG_ROLES, listProceduresForAdmin } from "~/modules/catalog/admin.server";
import { requireRole } from "~/modules/identity/staff-auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  await requireRole(db, request, CATALOG_ROLES, "catalog.view");
  const { t } = await getFixedT(request);
  const rows = await listProceduresForAdmin(db);
  return data({ rows: rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() })), title: `${t("catalogAdmin.title")} | ${t("site.name")}` }, { headers: { "Cache-Control": "no-store" } });
}

export default function CatalogAdmin() {
  const { rows } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="container">
      <h1>{t("catalogAdmin.title")}</h1>
      <p>{t("catalogAdmin.intro")}</p>
      <div className="table-wrap">
        <table data-testid="procedures">
          <thead><tr>
            <th scope="col">{t("catalog.code")}</th><th scope="col">{t("catalogAdmin.name")}</th><th scope="col">{t("catalogAdmin.field")}</th>
            <th scope="col">{t("catalogAdmin.onlineMode")}</th><th scope="col">{t("catalogAdmin.formVersion")}</th>
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.code}>
                <td><Link to={`/can-bo/thu-tuc/${encodeURIComponent(r.code)}`} className="code">{r.code}</Link></td>
                <td lang="vi">{r.nameVi}</td><td lang="vi">{r.field}</td>
                <td>{t(`catalogAdmin.online.${r.onlineMode}`)}</td><td className="num">{r.formVersion ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
