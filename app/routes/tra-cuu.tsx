// Public status look-up: dossier code plus the last four digits of the applicant's phone. Shows
// status and dates only; rate-limited per client and per code.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { fieldErrorsFrom } from "~/lib/result";
import { headersWithRetryAfter, retryAfterHeader } from "~/lib/retry-after";
import { publicStatus } from "~/modules/dossiers/citizen-view.server";

export const headers = headersWithRetryAfter();
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

const Query = z.object({
  ma: z.string().trim().regex(/^[0-9A-Z.]{8,20}-\d{6}-\d{4}$/, "lookup.errors.code"),
  so: z.string().trim().regex(/^\d{4}$/, "lookup.errors.phone"),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { t, lng } = await getFixedT(request);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const base = { title: `${t("lookup.title")} | ${t("site.name")}`, lng, ma: String(params.ma ?? "").slice(0, 40), so: "" };
  if (!params.so) return data({ ...base, result: null, errors: {} as Record<string, string> });
  const parsed = Query.safeParse(params);
  if (!parsed.success) return data({ ...base, result: null, errors: fieldErrorsFrom(parsed.error.issues) }, { status: 400 });
  const r = await publicStatus(await getDb(), { code: parsed.data.ma, phoneLast4: parsed.data.so, client: String(context.clientIp ?? "?") });
  if (r.kind === "rate_limited") return data({ ...base, result: { kind: "rate_limited" as const, retryAfterS: r.retryAfterS }, errors: {} }, { status: 429, headers: retryAfterHeader(r.retryAfterS) });
  if (r.kind === "not_found") return data({ ...base, result: { kind: "not_found" as const }, errors: {} }, { status: 404 });
  return data({
    ...base,
    result: { kind: "found" as const, code: r.code, procedureName: lng === "en" && r.procedureNameEn ? r.procedureNameEn : r.procedureName, provisional: r.provisional, status: r.status, submittedAt: r.submittedAt.toISOString(), dueAt: r.dueAt?.toISOString() ?? null, events: r.events.map((e) => ({ status: e.status, at: e.at.toISOString() })) },
    errors: {},
  }, { headers: { "Cache-Control": "no-store" } });
}

export default function Lookup() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const fmt = new Intl.DateTimeFormat(d.lng === "en" ? "en-GB" : "vi-VN", { dateStyle: "short", timeStyle: "short", timeZone: "Asia/Ho_Chi_Minh" });
  const errors = d.errors as Record<string, string>;
  return (
    <div className="container narrow">
      <h1>{t("lookup.title")}</h1>
      <p>{t("lookup.intro")}</p>
      <Form method="get" className="stack-form" noValidate>
        <label htmlFor="ma">{t("lookup.code")}</label>
        {errors.ma ? <p id="ma-error" className="field-error">{t(errors.ma)}</p> : null}
        <input id="ma" name="ma" defaultValue={d.ma} required maxLength={40} autoComplete="off" aria-invalid={errors.ma ? true : undefined} aria-describedby={errors.ma ? "ma-error" : undefined} />
        <label htmlFor="so">{t("lookup.phone")}</label>
        {errors.so ? <p id="so-error" className="field-error">{t(errors.so)}</p> : null}
        <input id="so" name="so" inputMode="numeric" maxLength={4} required autoComplete="off" aria-invalid={errors.so ? true : undefined} aria-describedby={errors.so ? "so-error" : undefined} />
        <button type="submit" className="button primary">{t("lookup.submit")}</button>
      </Form>
      <div aria-live="polite">
        {d.result?.kind === "not_found" ? <div className="alert error" role="alert">{t("lookup.notFound")}</div> : null}
        {d.result?.kind === "rate_limited" ? <div className="alert error" role="alert">{t("lookup.rateLimited", { seconds: d.result.retryAfterS })}</div> : null}
        {d.result?.kind === "found" ? (
          <section aria-labelledby="result-title">
            <h2 id="result-title">{d.result.code}</h2>
            <dl className="summary">
              <div><dt>{t("citizen.procedure")}</dt><dd>{d.result.procedureName}</dd></div>
              <div><dt>{t("citizen.status")}</dt><dd data-testid="status">{t(`desk.s.${d.result.status}`)}</dd></div>
              <div><dt>{t("citizen.submittedAt")}</dt><dd>{fmt.format(new Date(d.result.submittedAt))}</dd></div>
              <div><dt>{t("citizen.dueAt")}</dt><dd>{d.result.dueAt ? `${fmt.format(new Date(d.result.dueAt))}${d.result.provisional ? ` (${t("citizen.provisional")})` : ""}` : "—"}</dd></div>
            </dl>
            <ol className="timeline">
              {d.result.events.map((e, i) => <li key={i}>{t(`desk.s.${e.status}`)} — {fmt.format(new Date(e.at))}</li>)}
            </ol>
          </section>
        ) : null}
      </div>
    </div>
  );
}
