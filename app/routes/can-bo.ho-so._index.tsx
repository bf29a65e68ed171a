// The desk queue: the agency's dossiers, newest first, with search, filters and keyset paging.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formatDate } from "~/lib/format";
import { QueueQuery } from "~/modules/backoffice/desk.schema";
import { listQueue } from "~/modules/backoffice/desk.server";
import { mayFileAtCounter } from "~/modules/backoffice/permissions";
import { requireStaff } from "~/modules/identity/staff-auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const { user, csrf } = await requireStaff(db, request);
  const { t } = await getFixedT(request);
  const parsed = QueueQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const query = parsed.success ? parsed.data : QueueQuery.parse({});
  const page = await listQueue(db, user, query);
  return data(
    { page, query, csrf, invalid: !parsed.success, staff: { name: user.fullName, agency: user.agencyCode, role: user.role, counter: mayFileAtCounter(user.role) }, title: `${t("desk.title")} | ${t("site.name")}` },
    { status: parsed.success ? 200 : 400, headers: { "Cache-Control": "no-store" } },
  );
}

export default function DeskQueue() {
  const { page, query, csrf, staff, invalid } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const nextHref = () => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "" && k !== "after") p.set(k, String(v));
    p.set("after", page.next!);
    return `?${p}`;
  };
  return (
    <div className="container">
      <div className="staff-bar">
        <p>{t("staff.signedInAs", { name: staff.name, agency: staff.agency })}</p>
        {staff.counter ? (
          <nav aria-label={t("counter.nav")} className="staff-nav">
            <a href="/can-bo/nop">{t("counter.title")}</a>
          </nav>
        ) : null}
        {staff.role === "admin" || staff.role === "leader" ? (
          <nav aria-label={t("staff.adminNav")} className="staff-nav">
            <a href="/can-bo/bao-cao">{t("reports.title")}</a>
            {staff.role === "admin" ? <><a href="/can-bo/thu-tuc">{t("catalogAdmin.title")}</a><a href="/can-bo/ngay-nghi">{t("holidays.title")}</a><a href="/can-bo/thiet-bi">{t("kiosk.devicesTitle")}</a><a href="/van-hanh/dong-bo">{t("ops.title")}</a></> : null}
          </nav>
        ) : null}
        <Form method="post" action="/can-bo/dang-xuat"><input type="hidden" name="csrf" value={csrf} /><button type="submit" className="button">{t("staff.signOut")}</button></Form>
      </div>
      <h1>{t("desk.title")}</h1>
      {invalid ? <div className="alert error" role="alert">{t("catalog.errors.invalidQuery")}</div> : null}
      <Form method="get" className="search-panel">
        <label htmlFor="dq">{t("desk.search")}</label>
        <div className="search-input"><input id="dq" name="q" type="search" defaultValue={query.q} maxLength={100} /></div>
        <div className="filter-grid">
          <div>
            <label htmlFor="status">{t("desk.status")}</label>
            <select id="status" name="status" defaultValue={query.status ?? ""}>
              <option value="">{t("desk.any")}</option>
              {Array.from({ length: 10 }, (_, i) => i + 1).map((s) => <option key={s} value={s}>{t(`desk.s.${s}`)}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="channel">{t("desk.channel")}</label>
            <select id="channel" name="channel" defaultValue={query.channel ?? ""}>
              <option value="">{t("desk.any")}</option>
              {[1, 2, 3].map((c) => <option key={c} value={c}>{t(`desk.ch.${c}`)}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="due">{t("desk.due")}</label>
            <select id="due" name="due" defaultValue={query.due ?? ""}>
              <option value="">{t("desk.any")}</option>
              <option value="soon">{t("desk.dueSoon")}</option>
              <option value="overdue">{t("desk.overdue")}</option>
            </select>
          </div>
        </div>
        <div className="filter-actions"><button type="submit" className="button primary">{t("desk.filter")}</button></div>
      </Form>
      {page.items.length === 0 ? <p className="empty">{t("desk.empty")}</p> : (
        <div className="table-wrap">
          <table data-testid="queue">
            <thead><tr>
              <th scope="col">{t("desk.code")}</th><th scope="col">{t("desk.procedure")}</th><th scope="col">{t("desk.applicant")}</th>
              <th scope="col">{t("desk.status")}</th><th scope="col">{t("desk.channel")}</th><th scope="col">{t("desk.submitted")}</th><th scope="col">{t("desk.due")}</th>
            </tr></thead>
            <tbody>
              {page.items.map((d) => (
                <tr key={d.id}>
                  <td><Link to={`/can-bo/ho-so/${encodeURIComponent(d.code)}`} className="code">{d.code}</Link></td>
                  <td lang="vi">{d.procedureName}</td>
                  <td>{d.applicantName}</td>
                  <td>{t(`desk.s.${d.status}`)}</td>
                  <td>{t(`desk.ch.${d.channel}`)}</td>
                  <td>{formatDate(d.submittedAt)}</td>
                  <td>{d.dueAt ? formatDate(d.dueAt) : "—"}{d.rescheduled ? ` (${t("letters.rescheduledTag")})` : null}{d.overdue ? <strong className="overdue"> · {t("desk.overdue")}</strong> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pagination" aria-label={t("catalog.pagination")}>
        {query.after ? <Link to="?">{t("desk.first")}</Link> : null}
        {page.next ? <Link to={nextHref()} rel="next">{t("desk.next")}</Link> : null}
      </nav>
    </div>
  );
}
