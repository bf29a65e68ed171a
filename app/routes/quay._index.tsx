// The assisted session, one state at a time: start → identify the citizen (chip card QR by scanner
// or photo, or typed) → the citizen types the code sent to their phone, or approves from their own
// VNeID session (a QR code of /dong-y/<token>; the page re-checks every few seconds, with or
// without JavaScript) → choose a procedure. Before consent the page shows nothing personal (the
// phone only masked); every step is a POST.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import QRCode from "qrcode";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { KIOSK_ACTIVITY } from "~/components/kiosk/IdleLock";
import { QrScanner } from "~/components/kiosk/QrScanner";
import { publicUrl } from "~/config.server";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formFields } from "~/lib/form-data.server";
import { headersWithRetryAfter, refusalHeaders } from "~/lib/retry-after";
import { loadForm, proceduresWithForms } from "~/modules/filing/filing.server";
import { ConsentCode, ManualIdentify, maskPhone, parseCardQr } from "~/modules/kiosk/kiosk.schema";
import { sessionDossier, sessionDraft, startAssistedDraft } from "~/modules/kiosk/assisted-filing.server";
import { identifyCitizen, sendConsentCode, verifyConsentCode } from "~/modules/kiosk/consent.server";
import { approvalCookie, approvalPath, eidApprovalState, requestEidApproval } from "~/modules/kiosk/eid-consent.server";
import { kioskCsrfOk, requireKiosk } from "~/modules/kiosk/guard.server";
import { sessionCookie, startSession } from "~/modules/kiosk/sessions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];
export const headers = headersWithRetryAfter({ "Cache-Control": "no-store" });
const noStore = { "Cache-Control": "no-store" };
/** While the citizen approves on their phone, the page looks again this often. */
const APPROVAL_POLL_S = 4;

export async function loader({ request, context: { services } }: LoaderFunctionArgs) {
  const db = await getDb();
  const ctx = await requireKiosk(db, services.storage, request, "officer");
  const { t, lng } = await getFixedT(request);
  const title = `${t("kiosk.title")} | ${t("site.name")}`;
  const ended = new URL(request.url).searchParams.has("da-ket-thuc");
  const s = ctx.session;
  if (!s) return data({ title, csrf: ctx.csrf, ended, view: "start" as const }, { headers: noStore });
  if (s.state === "identifying") return data({ title, csrf: ctx.csrf, ended: false, view: "identify" as const }, { headers: noStore });
  if (s.state === "awaiting_consent" || !ctx.citizen) {
    const state = await eidApprovalState(db, ctx, request);
    let approval: { url: string; qr: string; expiresAt: string } | null = null;
    if (state?.kind === "pending") {
      const url = `${publicUrl()}${approvalPath(state.token)}`;
      approval = { url, qr: await QRCode.toDataURL(url, { margin: 1, width: 240, errorCorrectionLevel: "M" }), expiresAt: state.expiresAt.toISOString() };
    }
    return data({
      title, csrf: ctx.csrf, ended: false, view: "consent" as const, maskedPhone: s.phone ? maskPhone(s.phone) : null,
      approval, approvalRefused: state?.kind === "refused", approvalExpired: state?.kind === "expired",
    }, { headers: noStore });
  }
  // consented: now, and only now, the citizen's name
  const [procedures, draft, dossier] = await Promise.all([proceduresWithForms(db), sessionDraft(db, ctx), sessionDossier(db, ctx)]);
  return data({
    title, csrf: ctx.csrf, ended: false, view: "consented" as const, name: ctx.citizen.fullName,
    procedures: procedures.map((p) => ({ code: p.code, name: lng === "en" ? p.name_en : p.name_vi })),
    draftStep: draft?.step ?? null, filed: dossier?.code ?? null,
  }, { headers: noStore });
}

export async function action({ request, context: { services } }: ActionFunctionArgs) {
  const db = await getDb();
  const ctx = await requireKiosk(db, services.storage, request, "officer");
  const { lng } = await getFixedT(request);
  const form = await formFields(request);
  const fail = (error: string, status: number, params?: Record<string, string | number>) => data({ error, params, info: null as string | null }, { status, headers: { ...noStore, ...refusalHeaders({ status, params }) } });
  if (!form) return fail("errors.badRequestTitle", 400);
  if (!kioskCsrfOk(ctx, form.csrf)) return fail("filing.errors.csrf", 403);
  const kiosk = { population: services.population, sms: services.senders.sms, lng };

  if (form.intent === "start") {
    const { token } = await startSession(db, services.storage, ctx);
    return redirect("/quay", { headers: { "Set-Cookie": sessionCookie(token), ...noStore } });
  }
  if (!ctx.session) return redirect("/quay", { headers: noStore });

  if (form.intent === "identify-qr" || form.intent === "identify-manual") {
    let input: ManualIdentify | null = null;
    if (form.intent === "identify-qr") {
      const card = parseCardQr(String(form.qr ?? ""));
      if (!card) return fail("kiosk.errors.qr", 400);
      input = { idNumber: card.idNumber, fullName: card.fullName, birthDate: card.birthDate };
    } else {
      const parsed = ManualIdentify.safeParse(form);
      if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? "kiosk.errors.idNumber", 400);
      input = parsed.data;
    }
    const r = await identifyCitizen(db, ctx, { ...input, via: form.intent === "identify-qr" ? "qr" : "manual" }, kiosk);
    if (!r.ok) return fail(r.error.i18nKey, r.error.status, r.error.params);
    return redirect("/quay", { headers: noStore });
  }
  if (form.intent === "resend") {
    const r = await sendConsentCode(db, ctx, kiosk);
    if (!r.ok) return fail(r.error.i18nKey, r.error.status, r.error.params);
    return data({ error: null as string | null, params: undefined, info: r.value.maskedPhone as string | null }, { headers: noStore });
  }
  if (form.intent === "approve-eid") {
    const r = await requestEidApproval(db, ctx);
    if (!r.ok) return fail(r.error.i18nKey, r.error.status, r.error.params);
    return redirect("/quay", { headers: { "Set-Cookie": approvalCookie(r.value.token), ...noStore } });
  }
  if (form.intent === "verify") {
    const code = ConsentCode.safeParse(form.code);
    if (!code.success) return fail("kiosk.errors.codeFormat", 400);
    const r = await verifyConsentCode(db, ctx, code.data);
    if (!r.ok) return fail(r.error.i18nKey, r.error.status, r.error.params);
    return redirect("/quay", { headers: noStore });
  }
  if (form.intent === "restart") {
    const { token } = await startSession(db, services.storage, ctx);
    return redirect("/quay", { headers: { "Set-Cookie": sessionCookie(token), ...noStore } });
  }
  if (form.intent === "file") {
    const consented = await requireKiosk(db, services.storage, request, "consented");
    const code = String(form.procedureCode ?? "");
    const def = await loadForm(db, code);
    if (!def) return fail("kiosk.errors.badProcedure", 400);
    const r = await startAssistedDraft(db, consented, code, services.population);
    if (!r.ok) return fail(r.error.i18nKey, r.error.status, r.error.params);
    const draft = await sessionDraft(db, { ...consented, session: { ...consented.session!, draftId: r.value.draftId } });
    return redirect(`/quay/nop/${draft?.step ?? def.def.steps[0].id}`, { headers: noStore });
  }
  return fail("errors.badRequestTitle", 400);
}

/**
 * The QR code the citizen scans with their phone to approve from their own VNeID session, the
 * same address as text, and the wait: a light revalidation every few seconds with JavaScript, a
 * meta refresh without it, and a button that looks again.
 */
function EidApprovalWait({ approval }: { approval: { url: string; qr: string; expiresAt: string } }) {
  const { t } = useTranslation();
  const { revalidate } = useRevalidator();
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState !== "visible") return;
      // waiting for the citizen is using the kiosk: the idle countdown starts again (the request's
      // expiry bounds the wait, after which the page stops looking)
      window.dispatchEvent(new Event(KIOSK_ACTIVITY));
      revalidate();
    }, APPROVAL_POLL_S * 1000);
    return () => window.clearInterval(timer);
  }, [revalidate]);
  const until = new Date(approval.expiresAt).toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh" });
  return (
    <section aria-labelledby="eid-title" className="kiosk-card kiosk-eid">
      <noscript>
        <meta httpEquiv="refresh" content={String(APPROVAL_POLL_S)} />
      </noscript>
      <h2 id="eid-title">{t("kiosk.eid.title")}</h2>
      <p id="eid-hint">{t("kiosk.eid.hint", { time: until })}</p>
      <img className="kiosk-eid-qr" src={approval.qr} alt={t("kiosk.eid.qrAlt")} width={240} height={240} aria-describedby="eid-hint" />
      <p>
        <span>{t("kiosk.eid.urlLabel")}</span>{" "}
        <code className="kiosk-eid-url" data-testid="eid-url">{approval.url}</code>
      </p>
      <p role="status">{t("kiosk.eid.waiting")}</p>
      <p>
        <Link to="/quay" className="button primary">{t("kiosk.eid.check")}</Link>
      </p>
    </section>
  );
}

export default function KioskHome() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const error = result?.error ? <div className="alert error" role="alert">{t(result.error, result.params)}</div> : null;
  const hidden = (intent: string) => (
    <>
      <input type="hidden" name="csrf" value={d.csrf} />
      <input type="hidden" name="intent" value={intent} />
    </>
  );

  if (d.view === "start") {
    return (
      <div className="kiosk-panel">
        <h1>{t("kiosk.startTitle")}</h1>
        {d.ended ? <div className="alert success" role="status">{t("kiosk.ended")}</div> : null}
        {error}
        <p>{t("kiosk.startIntro")}</p>
        <Form method="post">
          {hidden("start")}
          <button type="submit" className="button primary kiosk-big">{t("kiosk.start")}</button>
        </Form>
      </div>
    );
  }

  if (d.view === "identify") {
    return (
      <div className="kiosk-panel">
        <h1>{t("kiosk.identifyTitle")}</h1>
        {error}
        <section aria-labelledby="scan-title" className="kiosk-card">
          <h2 id="scan-title">{t("kiosk.scanTitle")}</h2>
          <p id="scan-hint" className="hint">{t("kiosk.scanHint")}</p>
          <Form method="post" className="stack-form" autoComplete="off">
            {hidden("identify-qr")}
            <label htmlFor="qr">{t("kiosk.scanField")}</label>
            <input id="qr" name="qr" type="text" aria-describedby="scan-hint" autoComplete="off" spellCheck={false} required />
            <QrScanner fieldId="qr" />
            <button type="submit" className="button primary kiosk-big" disabled={busy}>{t("kiosk.useScan")}</button>
          </Form>
        </section>
        <section aria-labelledby="manual-title" className="kiosk-card">
          <h2 id="manual-title">{t("kiosk.manualTitle")}</h2>
          <Form method="post" className="stack-form" autoComplete="off">
            {hidden("identify-manual")}
            <label htmlFor="idNumber">{t("kiosk.idNumber")}</label>
            <input id="idNumber" name="idNumber" inputMode="numeric" pattern="\d{12}" maxLength={12} autoComplete="off" required />
            <label htmlFor="fullName">{t("kiosk.fullName")}</label>
            <input id="fullName" name="fullName" autoComplete="off" required />
            <label htmlFor="birthDate">{t("kiosk.birthDate")}</label>
            <input id="birthDate" name="birthDate" inputMode="numeric" placeholder="dd/mm/yyyy" autoComplete="off" required />
            <button type="submit" className="button primary kiosk-big" disabled={busy}>{t("kiosk.identify")}</button>
          </Form>
        </section>
      </div>
    );
  }

  if (d.view === "consent") {
    return (
      <div className="kiosk-panel">
        <h1>{t("kiosk.consentTitle")}</h1>
        {error}
        {result?.info ? <div className="alert success" role="status">{t("kiosk.resent", { phone: result.info })}</div> : null}
        {d.approvalRefused ? <div className="alert error" role="alert">{t("kiosk.eid.refused")}</div> : null}
        {d.approvalExpired ? <div className="alert error" role="alert">{t("kiosk.eid.expired")}</div> : null}
        {d.approval ? <EidApprovalWait approval={d.approval} /> : null}
        {d.maskedPhone ? (
          <>
            <p>{t("kiosk.consentIntro", { phone: d.maskedPhone })}</p>
            <p className="kiosk-scope">{t("kiosk.consentScope")}</p>
            <Form method="post" className="stack-form" autoComplete="off">
              {hidden("verify")}
              <label htmlFor="code">{t("kiosk.code")}</label>
              <input id="code" name="code" inputMode="numeric" pattern="\d{6}" maxLength={6} autoComplete="one-time-code" required className="kiosk-code" />
              <button type="submit" className="button primary kiosk-big" disabled={busy}>{t("kiosk.verify")}</button>
            </Form>
          </>
        ) : (
          <p className="kiosk-scope">{t("kiosk.eid.noPhone")}</p>
        )}
        <div className="kiosk-row">
          {d.maskedPhone ? (
            <Form method="post">
              {hidden("resend")}
              <button type="submit" className="button">{t("kiosk.resend")}</button>
            </Form>
          ) : null}
          <Form method="post">
            {hidden("approve-eid")}
            <button type="submit" className="button" disabled={busy}>{d.approval ? t("kiosk.eid.again") : t("kiosk.eid.ask")}</button>
          </Form>
          <Form method="post">
            {hidden("restart")}
            <button type="submit" className="button">{t("kiosk.restart")}</button>
          </Form>
        </div>
      </div>
    );
  }

  return (
    <div className="kiosk-panel">
      <h1>{t("kiosk.citizenTitle", { name: d.name })}</h1>
      {error}
      {d.filed ? <p><Link className="button" to="/quay/bien-nhan">{t("kiosk.receiptTitle")} — {d.filed}</Link></p> : null}
      {d.draftStep ? <p><Link className="button primary kiosk-big" to={`/quay/nop/${d.draftStep}`}>{t("kiosk.continueDraft")}</Link></p> : null}
      <h2>{t("kiosk.chooseProcedure")}</h2>
      <ul className="kiosk-procedures">
        {d.procedures.map((p) => (
          <li key={p.code}>
            <Form method="post">
              {hidden("file")}
              <input type="hidden" name="procedureCode" value={p.code} />
              <button type="submit" className="button kiosk-choice" disabled={busy || Boolean(d.draftStep)}>
                <span>{p.name}</span> <span className="note">{p.code}</span>
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </div>
  );
}
