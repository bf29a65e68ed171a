import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { feeLabel, onlineLabel, processingLabel } from "~/components/catalog-format";
import { getDb } from "~/db.server";
import type { Lng } from "~/i18n";
import { getFixedT } from "~/i18next.server";
import { CatalogQuery } from "~/modules/catalog/catalog.schema";
import { listFieldsCached, searchProceduresCached } from "~/modules/catalog/catalog.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const { t, lng } = await getFixedT(request);
  const raw = Object.fromEntries(new URL(request.url).searchParams);
  const fields = await listFieldsCached(db);
  // Invalid conditions are reported and dropped; the rest of the search still runs.
  const errors: string[] = [];
  const candidate: Record<string, unknown> = { ...raw };
  let parsed = CatalogQuery.safeParse(candidate);
  while (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]);
      errors.push(issue.message);
      candidate[key] = key === "q" ? String(candidate.q ?? "").slice(0, 200) : undefined;
    }
    parsed = CatalogQuery.safeParse(candidate);
  }
  const query = parsed.data;
  if (query.field && !fields.includes(query.field)) {
    errors.push("catalog.errors.unknownField");
    query.field = undefined;
  }
  const page = await searchProceduresCached(db, query);
  const payload = {
    title: `${t("catalog.title")} | ${t("site.name")}`,
    lng,
    query,
    fields,
    page,
    errors: [...new Set(errors)],
  };
  return errors.length ? data(payload, { status: 400 }) : payload;
}

export default function CatalogPage() {
  const { query, fields, page, errors, lng } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const [params] = useSearchParams();
  // labels shared by every card, translated once per render
  const label = { code: t("catalog.code"), field: t("search.field"), processing: t("catalog.processing"), fee: t("catalog.fee") };
  const pageHref = (n: number) => {
    const p = new URLSearchParams(params);
    p.set("page", String(n));
    return `?${p.toString()}`;
  };
  return (
    <div className="container">
      <h1>{t("catalog.title")}</h1>
      <Form method="get" action="/thu-tuc" className="search-panel" role="search">
        <div className="search-row">
          <label htmlFor="q" className="label">{t("search.label")}</label>
          <p id="q-hint" className="hint">{t("search.hint")}</p>
          <div className="search-input">
            <input
              id="q" name="q" type="search" defaultValue={query.q} maxLength={200}
              placeholder={t("search.placeholder")} aria-describedby="q-hint" autoComplete="off"
            />
            <button type="submit" className="button primary">{t("search.submit")}</button>
          </div>
        </div>
        <fieldset className="filters">
          <legend>{t("search.filters")}</legend>
          <div className="filter-grid">
            <div>
              <label htmlFor="field">{t("search.field")}</label>
              <select id="field" name="field" defaultValue={query.field ?? ""}>
                <option value="">{t("search.any")}</option>
                {fields.map((f) => <option key={f} value={f}>{f}</option>)}
              </select>
            </div>
            <div>
              <label htmlFor="level">{t("search.level")}</label>
              <select id="level" name="level" defaultValue={query.level ?? ""}>
                <option value="">{t("search.any")}</option>
                <option value="commune">{t("search.levelCommune")}</option>
                <option value="province">{t("search.levelProvince")}</option>
              </select>
            </div>
            <div>
              <label htmlFor="agency">{t("search.agency")}</label>
              <select id="agency" name="agency" defaultValue={query.agency ?? ""}>
                <option value="">{t("search.any")}</option>
                <option value="police">{t("search.agencyPolice")}</option>
                <option value="committee">{t("search.agencyCommittee")}</option>
                <option value="department">{t("search.agencyDepartment")}</option>
              </select>
            </div>
            <div>
              <label htmlFor="fee">{t("search.fee")}</label>
              <select id="fee" name="fee" defaultValue={query.fee ?? ""}>
                <option value="">{t("search.any")}</option>
                <option value="free">{t("search.feeFree")}</option>
                <option value="paid">{t("search.feePaid")}</option>
              </select>
            </div>
            <div>
              <label htmlFor="online">{t("search.online")}</label>
              <select id="online" name="online" defaultValue={query.online ?? ""}>
                <option value="">{t("search.any")}</option>
                <option value="full">{t("search.onlineFull")}</option>
                <option value="any">{t("search.onlineAny")}</option>
              </select>
            </div>
          </div>
          <div className="filter-actions">
            <button type="submit" className="button">{t("search.apply")}</button>
            <Link to="/thu-tuc" className="button link">{t("search.clear")}</Link>
          </div>
        </fieldset>
      </Form>

      {errors.length > 0 ? (
        <div className="alert error" role="alert">
          <p>{t("catalog.errors.invalidQuery")}</p>
          <ul>{errors.map((e) => <li key={e}>{t(e)}</li>)}</ul>
        </div>
      ) : null}

      <section aria-labelledby="results-heading">
        <h2 id="results-heading" className="results-heading" aria-live="polite">
          {query.q ? `${t("catalog.resultsFor", { q: query.q })} — ` : ""}
          {t("catalog.resultCount", { count: page.total })}
        </h2>
        {page.items.length === 0 ? (
          <p className="empty">{t("catalog.noResults")}</p>
        ) : (
          <ol className="procedure-list" data-testid="results">
            {page.items.map((p) => (
              <li key={p.code} className="procedure-card">
                <h3>
                  <Link to={`/thu-tuc/${p.code}`}>{lng === "en" ? p.nameEn : p.nameVi}</Link>
                </h3>
                {lng === "en" ? <p className="subtitle" lang="vi">{p.nameVi}</p> : null}
                <dl className="facts">
                  <dt>{label.code}</dt><dd className="code">{p.code}</dd>
                  <dt>{label.field}</dt><dd lang="vi">{p.field}</dd>
                  <dt>{label.processing}</dt><dd>{processingLabel(t, lng as Lng, p.processingValue, p.processingUnit)}</dd>
                  <dt>{label.fee}</dt><dd>{feeLabel(t, lng as Lng, p.feeAmountVnd)}</dd>
                </dl>
                <p className={`badge online-${p.onlineMode}`}>{onlineLabel(t, p.onlineMode)}</p>
              </li>
            ))}
          </ol>
        )}
        {page.pageCount > 1 ? (
          <nav className="pagination" aria-label={t("catalog.pagination")}>
            {page.page > 1 ? <Link to={pageHref(page.page - 1)} rel="prev">{t("catalog.prev")}</Link> : null}
            <span>{t("catalog.page", { page: page.page, pageCount: page.pageCount })}</span>
            {page.page < page.pageCount ? <Link to={pageHref(page.page + 1)} rel="next">{t("catalog.next")}</Link> : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
