// Ending an assisted session. GET asks what to do with an unfinished draft (delete it, or leave it
// in the citizen's own account); POST ends the session: the server row goes, the citizen-scoped
// cookies expire, Clear-Site-Data empties the browser's storage and cache. The device and officer
// cookies stay, so the next citizen can be helped at once.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { EndSessionForm } from "~/components/kiosk/EndSessionForm";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formFields } from "~/lib/form-data.server";
import { sessionDraft } from "~/modules/kiosk/assisted-filing.server";
import { kioskEndCsrfOk, requireKiosk } from "~/modules/kiosk/guard.server";
import { clearCitizenCookies, endSession } from "~/modules/kiosk/sessions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];
export const headers = () => ({ "Cache-Control": "no-store" });

export async function loader({ request, context: { services } }: LoaderFunctionArgs) {
  const db = await getDb();
  const ctx = await requireKiosk(db, services.storage, request, "session");
  const { t } = await getFixedT(request);
  return data({ title: `${t("kiosk.endTitle")} | ${t("kiosk.title")}`, csrf: ctx.csrf, draft: Boolean(await sessionDraft(db, ctx)) }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, context: { services } }: ActionFunctionArgs) {
  const db = await getDb();
  const ctx = await requireKiosk(db, services.storage, request, "officer");
  const form = await formFields(request);
  if (!form || !kioskEndCsrfOk(ctx, form.csrf)) throw data({ message: "csrf" }, { status: 403 });
  await endSession(db, services.storage, ctx, { keepDraft: form.keepDraft === "1" });
  const headers = new Headers({ "Cache-Control": "no-store", "Clear-Site-Data": '"cache", "storage"' });
  for (const c of clearCitizenCookies()) headers.append("Set-Cookie", c);
  return redirect("/quay?da-ket-thuc=1", { headers });
}

export default function EndKioskSession() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="kiosk-panel">
      <h1>{t("kiosk.endTitle")}</h1>
      {d.draft ? <p>{t("kiosk.endIntro")}</p> : null}
      <div className="kiosk-row">
        <EndSessionForm csrf={d.csrf} label={d.draft ? t("kiosk.endDelete") : t("kiosk.endSession")} className="button primary kiosk-big" />
        {d.draft ? <EndSessionForm csrf={d.csrf} keepDraft label={t("kiosk.endKeep")} className="button kiosk-big" /> : null}
      </div>
    </div>
  );
}
