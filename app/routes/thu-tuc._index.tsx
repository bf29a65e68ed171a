import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { catalogText } from "~/components/catalog/catalog-text";
import { useLinkDelegation } from "~/components/catalog/useLinkDelegation";
import { getDb } from "~/db.server";
import { getLocale, i18nFor } from "~/i18next.server";
import { CatalogQuery } from "~/modules/catalog/catalog.schema";
import { listFieldsCached, searchProceduresCached, type ProcedureSummary } from "~/modules/catalog/catalog.server";

/** A result as the page shows it: the name in the page's language (and the Vietnamese one under an English name). */
type ResultCard = Omit<ProcedureSummary, "nameVi" | "nameEn" | "level" | "agencyKind"> & { name: string; nameVi?: string };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const lng = await getLocale(request);
  const { s } = catalogText(await i18nFor(lng));
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
  const found = await searchProceduresCached(db, query);
  // Only what the page shows is sent: the loader data is serialised into every response.
  const items = found.items.map((p): ResultCard => {
    const card: ResultCard = {
      code: p.code, name: lng === "en" ? p.nameEn : p.nameVi, field: p.field, processingValue: p.processingValue,
      processingUnit: p.processingUnit, feeAmountVnd: p.feeAmountVnd, onlineMode: p.onlineMode,
    };
    if (lng === "en") card.nameVi = p.nameVi;
    return card;
  });
  const payload = {
    title: `${s.title} | ${s.siteName}`,
    lng,
    query,
    fields,
    page: { ...found, items },
    errors: [...new Set(errors)],
  };
  return errors.length ? data(payload, { status: 400 }) : payload;
}

export default function CatalogPage() {
  const { query, fields, page, errors, lng } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const { search } = useLocation();
  // Constant words come from a per-language memo (catalog-text.ts): no lookups per element.
  const text = catalogText(i18n);
  const { s } = text;
  const pageHref = (n: number) => {
    const p = new URLSearchParams(search);
    p.set("page", String(n));
    return `?${p.toString()}`;
  };
  const onResultClick = useLinkDelegation();
  // field names are Vietnamese only: marked as such on the English page
  const fieldLang = lng === "en" ? "vi" : undefined;
  const heading = query.q ? `${text.resultsFor(query.q)} — ${text.resultCount(page.total)}` : text.resultCount(page.total);
  return (
    <div className="container">
      <h1>{s.title}</h1>
      <Form method="get" action="/thu-tuc" className="search-panel" role="search">
        <div className="search-row">
          <label htmlFor="q" className="label">{s.searchLabel}</label>
          <p id="q-hint" className="hint">{s.searchHint}</p>
          <div className="search-input">
            <input
              id="q" name="q" type="search" defaultValue={query.q} maxLength={200}
              placeholder={s.searchPlaceholder} aria-describedby="q-hint" autoComplete="off"
            />
            <button type="submit" className="button primary">{s.searchSubmit}</button>
          </div>
        </div>
        <fieldset className="filters">
          <legend>{s.filters}</legend>
          <div className="filter-grid">
            <div>
              <label htmlFor="field">{s.field}</label>
              <select id="field" name="field" defaultValue={query.field ?? ""}>
                <option value="">{s.any}</option>
                {fields.map((f) => <option key={f} value={f}>{f}</option>)}
              </select>
            </div>
            <div>
              <label htmlFor="level">{s.level}</label>
              <select id="level" name="level" defaultValue={query.level ?? ""}>
                <option value="">{s.any}</option>
                <option value="commune">{s.levelCommune}</option>
                <option value="province">{s.levelProvince}</option>
              </select>
            </div>
            <div>
              <label htmlFor="agency">{s.agency}</label>
              <select id="agency" name="agency" defaultValue={query.agency ?? ""}>
                <option value="">{s.any}</option>
                <option value="police">{s.agencyPolice}</option>
                <option value="committee">{s.agencyCommittee}</option>
                <option value="department">{s.agencyDepartment}</option>
              </select>
            </div>
            <div>
              <label htmlFor="fee">{s.fee}</label>
              <select id="fee" name="fee" defaultValue={query.fee ?? ""}>
                <option value="">{s.any}</option>
                <option value="free">{s.feeFree}</option>
                <option value="paid">{s.feePaid}</option>
              </select>
            </div>
            <div>
              <label htmlFor="online">{s.online}</label>
              <select id="online" name="online" defaultValue={query.online ?? ""}>
                <option value="">{s.any}</option>
                <option value="full">{s.onlineFull}</option>
                <option value="any">{s.onlineAny}</option>
              </select>
            </div>
          </div>
          <div className="filter-actions">
            <button type="submit" className="button">{s.apply}</button>
            <Link to="/thu-tuc" className="button link">{s.clear}</Link>
          </div>
        </fieldset>
      </Form>

      {errors.length > 0 ? (
        <div className="alert error" role="alert">
          <p>{s.invalidQuery}</p>
          <ul>{errors.map((e) => <li key={e}>{t(e)}</li>)}</ul>
        </div>
      ) : null}

      <section aria-labelledby="results-heading">
        <h2 id="results-heading" className="results-heading" aria-live="polite">{heading}</h2>
        {page.items.length === 0 ? (
          <p className="empty">{s.noResults}</p>
        ) : (
          // Result links are plain links, navigated in the app by one handler on the list (see useLinkDelegation).
          <ol className="procedure-list" data-testid="results" onClick={onResultClick}>
            {page.items.map((p) => (
              <li key={p.code} className="procedure-card">
                <h3><a href={`/thu-tuc/${p.code}`} data-discover="true">{p.name}</a></h3>
                {p.nameVi ? <p className="subtitle" lang="vi">{p.nameVi}</p> : null}
                <dl className="facts">
                  <dt>{s.code}</dt><dd className="code">{p.code}</dd>
                  <dt>{s.field}</dt><dd lang={fieldLang}>{p.field}</dd>
                  <dt>{s.processing}</dt><dd>{text.processing(p.processingValue, p.processingUnit)}</dd>
                  <dt>{s.feeHeading}</dt><dd>{text.fee(p.feeAmountVnd)}</dd>
                </dl>
                <p className={`badge online-${p.onlineMode}`}>{text.online(p.onlineMode)}</p>
              </li>
            ))}
          </ol>
        )}
        {page.pageCount > 1 ? (
          <nav className="pagination" aria-label={s.pagination}>
            {page.page > 1 ? <Link to={pageHref(page.page - 1)} rel="prev">{s.prev}</Link> : null}
            <span>{t("catalog.page", { page: page.page, pageCount: page.pageCount })}</span>
            {page.page < page.pageCount ? <Link to={pageHref(page.page + 1)} rel="next">{s.next}</Link> : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
