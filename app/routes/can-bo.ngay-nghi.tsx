// Administrators: the holiday table (days off and make-up working days) that deadlines use.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ActionButton } from "~/components/forms/ActionButton";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formatDate } from "~/lib/format";
import { HolidayForm } from "~/modules/calendar/holidays.schema";
import { listHolidays, saveHoliday } from "~/modules/calendar/holidays.server";
import { csrfOk, requireRole } from "~/modules/identity/staff-auth.server";
import { formFields } from "~/lib/form-data.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const { csrf } = await requireRole(db, request, ["admin"], "holidays.view");
  const { t } = await getFixedT(request);
  const year = z.coerce.number().int().min(2000).max(2100).catch(new Date().getFullYear()).parse(new URL(request.url).searchParams.get("nam") ?? undefined);
  return data({ year, days: await listHolidays(db, year), csrf, title: `${t("holidays.title")} | ${t("site.name")}` }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const db = await getDb();
  const session = await requireRole(db, request, ["admin"], "holidays.edit");
  const parsed = HolidayForm.safeParse((await formFields(request)) ?? {});
  if (!parsed.success) return data({ error: parsed.error.issues[0]?.message ?? "holidays.errors.date" }, { status: 400 });
  if (!csrfOk(session, parsed.data.csrf)) return data({ error: "desk.errors.badCsrf" }, { status: 403 });
  const r = await saveHoliday(db, session.user, parsed.data);
  if (!r.ok) return data({ error: r.error.i18nKey }, { status: r.error.status });
  return redirect(`/can-bo/ngay-nghi?nam=${parsed.data.date.slice(0, 4)}`);
}

export default function Holidays() {
  const { year, days, csrf } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="container">
      <h1>{t("holidays.title")}</h1>
      <Form method="get" className="search-panel compact">
        <label htmlFor="nam">{t("holidays.year")}</label>
        <div className="search-input"><input id="nam" name="nam" type="number" min={2000} max={2100} defaultValue={year} /><button type="submit" className="button">{t("holidays.show")}</button></div>
      </Form>
      {result?.error ? <div className="alert error" role="alert">{t(result.error)}</div> : null}
      <div className="table-wrap">
        <table data-testid="holidays">
          <thead><tr><th scope="col">{t("holidays.date")}</th><th scope="col">{t("holidays.name")}</th><th scope="col">{t("holidays.kind")}</th><th scope="col"><span className="visually-hidden">{t("holidays.delete")}</span></th></tr></thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.date}>
                <td>{formatDate(d.date)}</td><td lang="vi">{d.name}</td><td>{d.isWorkingDay ? t("holidays.makeUp") : t("holidays.dayOff")}</td>
                <td>
                  <ActionButton csrf={csrf} fields={{ intent: "delete", date: d.date }} label={`${t("holidays.delete")} ${formatDate(d.date)}`}>
                    {t("holidays.delete")}
                  </ActionButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t("holidays.add")}</h2>
      <Form method="post" className="stack-form">
        <input type="hidden" name="csrf" value={csrf} /><input type="hidden" name="intent" value="save" />
        <label htmlFor="h-date">{t("holidays.date")}</label>
        <input id="h-date" name="date" type="date" required />
        <label htmlFor="h-name">{t("holidays.name")}</label>
        <input id="h-name" name="name" maxLength={200} required />
        <label htmlFor="h-kind">{t("holidays.kind")}</label>
        <select id="h-kind" name="kind"><option value="day_off">{t("holidays.dayOff")}</option><option value="make_up_working_day">{t("holidays.makeUp")}</option></select>
        <button type="submit" className="button primary">{t("holidays.save")}</button>
      </Form>
    </div>
  );
}
