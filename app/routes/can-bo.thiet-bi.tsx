// Administrators: register kiosk devices for commune police (a one-time enrolment code, shown
// once) and revoke them (effective on the device's next request).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { plainText } from "~/lib/text";
import { ActionButton } from "~/components/forms/ActionButton";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formFields } from "~/lib/form-data.server";
import { csrfOk, requireRole } from "~/modules/identity/staff-auth.server";
import { communePoliceAgencies, listDevices, registerDevice, revokeDevice } from "~/modules/kiosk/devices.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const { csrf } = await requireRole(db, request, ["admin"], "kiosk.devices");
  const { t } = await getFixedT(request);
  const devices = await listDevices(db);
  return data({
    title: `${t("kiosk.devicesTitle")} | ${t("site.name")}`, csrf, agencies: await communePoliceAgencies(db),
    devices: devices.map((d) => ({ ...d, enrolledAt: d.enrolledAt?.toISOString() ?? null, revokedAt: d.revokedAt?.toISOString() ?? null, lastSeenAt: d.lastSeenAt?.toISOString() ?? null, createdAt: d.createdAt.toISOString() })),
  }, { headers: { "Cache-Control": "no-store" } });
}

const Register = z.object({ intent: z.literal("register"), label: plainText().trim().min(2).max(100), agencyCode: z.string().regex(/^000\.\d{2}\.31\.H49$/) });
const Revoke = z.object({ intent: z.literal("revoke"), deviceId: z.string().uuid() });

export async function action({ request, context: { services } }: ActionFunctionArgs) {
  const db = await getDb();
  const session = await requireRole(db, request, ["admin"], "kiosk.devices_edit");
  const form = (await formFields(request)) ?? {};
  if (!csrfOk(session, form.csrf)) return data({ error: "desk.errors.badCsrf", code: null as string | null }, { status: 403 });
  const reg = Register.safeParse(form);
  if (reg.success) {
    const r = await registerDevice(db, session.user, reg.data);
    if (!r.ok) return data({ error: r.error.i18nKey, code: null as string | null }, { status: r.error.status });
    return data({ error: null as string | null, code: r.value.enrolCode as string | null }, { headers: { "Cache-Control": "no-store" } });
  }
  const rev = Revoke.safeParse(form);
  if (rev.success) {
    const r = await revokeDevice(db, services.storage, session.user, rev.data.deviceId);
    if (!r.ok) return data({ error: r.error.i18nKey, code: null as string | null }, { status: r.error.status });
    return data({ error: null as string | null, code: null as string | null });
  }
  return data({ error: "errors.badRequestTitle", code: null as string | null }, { status: 400 });
}

export default function KioskDevices() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="container">
      <h1>{t("kiosk.devicesTitle")}</h1>
      {result?.error ? <div className="alert error" role="alert">{t(result.error)}</div> : null}
      {result?.code ? <div className="alert success" role="status" data-testid="enrol-code">{t("kiosk.devicesCreated", { code: result.code })}</div> : null}
      <section aria-labelledby="register-title" className="search-panel">
        <h2 id="register-title">{t("kiosk.devicesRegister")}</h2>
        <Form method="post" className="stack-form">
          <input type="hidden" name="csrf" value={d.csrf} />
          <input type="hidden" name="intent" value="register" />
          <label htmlFor="label">{t("kiosk.devicesLabel")}</label>
          <input id="label" name="label" required minLength={2} maxLength={100} />
          <label htmlFor="agencyCode">{t("kiosk.devicesAgency")}</label>
          <select id="agencyCode" name="agencyCode" required>
            {d.agencies.map((a) => <option key={a.code} value={a.code}>{a.name} ({a.code})</option>)}
          </select>
          <button type="submit" className="button primary">{t("kiosk.devicesRegister")}</button>
        </Form>
      </section>
      <div className="table-wrap">
        <table data-testid="devices">
          <thead><tr><th scope="col">{t("kiosk.devicesLabel")}</th><th scope="col">{t("kiosk.devicesAgency")}</th><th scope="col">{t("kiosk.devicesStatus")}</th><th scope="col"><span className="visually-hidden">{t("kiosk.devicesRevoke")}</span></th></tr></thead>
          <tbody>
            {d.devices.map((x) => (
              <tr key={x.id}>
                <th scope="row">{x.label}</th>
                <td>{x.agencyName}</td>
                <td>{x.revokedAt ? t("kiosk.devicesRevoked") : x.enrolledAt ? t("kiosk.devicesActive") : t("kiosk.devicesPending")}</td>
                <td>
                  {x.revokedAt ? null : (
                    <ActionButton csrf={d.csrf} fields={{ intent: "revoke", deviceId: x.id }}>
                      {t("kiosk.devicesRevoke")}<span className="visually-hidden"> {x.label}</span>
                    </ActionButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
