// The review page: every answer with a link back to its step, the documents, the fee; then pay
// (when a fee is due and unpaid) or submit with the declaration. At the desk's counter the fee is
// taken in cash (its receipt number) and the citizen signs the declaration in front of the officer.
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatVnd } from "~/lib/format";
import type { Lng } from "~/i18n";
import { isVisible, type DocumentSlot, type FormDefinition, type FormValues } from "~/modules/forms/forms.schema";

export interface ReviewData {
  values: FormValues;
  incompleteStep: string | null;
  files: { id: string; slot: string; fileName: string; size: number }[];
  slots: DocumentSlot[];
  missing: string[];
  fee: number;
  paid: boolean;
}

export function ReviewStep({ draftId, csrf, lng, def, communes, review, stepHref = (step) => `/nop/${draftId}/${step}`, counter = false }: {
  draftId: string; csrf: string; lng: Lng; def: FormDefinition; communes: { code: string; name: string }[]; review: ReviewData;
  /** Where each step lives (the kiosk's pages keep the draft id out of the URL). */
  stepHref?: (step: string) => string;
  /** Filed at the desk's counter: cash and the citizen's signature instead of PayGov and the online declaration. */
  counter?: boolean;
}) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const result = useActionData<{ fieldErrors?: Record<string, string> }>();
  const payment = params.get("thanh-toan");
  const shown = (name: string, type: string, v: string) => {
    if (type === "commune") return communes.find((c) => c.code === v)?.name ?? v;
    if (type === "checkbox") return v === "on" ? t("forms.yes") : t("forms.no");
    if (type === "sex") return v === "Nữ" ? t("forms.female") : t("forms.male");
    const f = def.steps.flatMap((s) => s.fields).find((x) => x.name === name);
    return f?.options?.find((o) => o.value === v)?.label[lng] ?? v;
  };
  const ready = !review.incompleteStep && review.missing.length === 0;
  const declarationError = result?.fieldErrors?.declaration;
  const cashError = result?.fieldErrors?.cashReceipt;
  const cashDue = counter && review.fee > 0 && !review.paid;
  return (
    <>
      {payment === "ok" ? <div className="alert success" role="status">{t("payment.paidNotice")}</div> : null}
      {payment === "huy" ? <div className="alert error" role="alert">{t("payment.cancelledNotice")}</div> : null}
      {review.incompleteStep ? (
        <div className="alert error" role="alert"><Link to={stepHref(review.incompleteStep)}>{t("filing.errors.incomplete")}</Link></div>
      ) : null}
      {def.steps.map((s) => (
        <section key={s.id} aria-labelledby={`r-${s.id}`} className="review-section">
          <h2 id={`r-${s.id}`}>{s.title[lng]}</h2>
          <dl className="summary">
            {s.fields.filter((f) => isVisible(f.when, review.values) && review.values[f.name]).map((f) => (
              <div key={f.name}><dt>{f.label[lng]}</dt><dd>{shown(f.name, f.type, review.values[f.name])}</dd></div>
            ))}
          </dl>
          <p><Link to={stepHref(s.id)}>{t("filing.change")}<span className="visually-hidden"> {s.title[lng]}</span></Link></p>
        </section>
      ))}
      <section aria-labelledby="r-docs" className="review-section">
        <h2 id="r-docs">{t("filing.documentsTitle")}</h2>
        <ul>
          {review.slots.map((slot) => {
            const files = review.files.filter((f) => f.slot === slot.slot);
            return (
              <li key={slot.slot}>
                {slot.name[lng]}: {files.length ? files.map((f) => f.fileName).join(", ") : <strong>{review.missing.includes(slot.slot) ? t("filing.missing") : t("filing.none")}</strong>}
              </li>
            );
          })}
        </ul>
        <p><Link to={stepHref("tai-lieu")}>{t("filing.change")}<span className="visually-hidden"> {t("filing.documentsTitle")}</span></Link></p>
      </section>
      <section aria-labelledby="r-fee" className="review-section">
        <h2 id="r-fee">{t("filing.feeTitle")}</h2>
        <p data-testid="fee">{review.fee > 0 ? `${formatVnd(review.fee, lng)} — ${review.paid ? t("payment.paid") : t("payment.unpaid")}` : t("filing.free")}</p>
      </section>
      {!counter && review.fee > 0 && !review.paid ? (
        <Form method="post" className="stack-form">
          <input type="hidden" name="csrf" value={csrf} />
          <input type="hidden" name="intent" value="pay" />
          <button type="submit" className="button primary" disabled={!ready || undefined}>{t("payment.payNow", { amount: formatVnd(review.fee, lng) })}</button>
        </Form>
      ) : (
        <Form method="post" className="stack-form">
          <input type="hidden" name="csrf" value={csrf} />
          <input type="hidden" name="intent" value="submit" />
          {cashDue ? (
            <div className={`field${cashError ? " has-error" : ""}`}>
              <label htmlFor="cashReceipt">{t("counter.cashReceipt")}</label>
              <p id="cashReceipt-hint" className="hint">{t("counter.cashHint", { amount: formatVnd(review.fee, lng) })}</p>
              {cashError ? <p id="cashReceipt-error" className="field-error">{t(cashError)}</p> : null}
              <input id="cashReceipt" name="cashReceipt" maxLength={60} autoComplete="off" required
                aria-describedby={cashError ? "cashReceipt-hint cashReceipt-error" : "cashReceipt-hint"} aria-invalid={cashError ? true : undefined} />
            </div>
          ) : null}
          <div className={`field checkbox${declarationError ? " has-error" : ""}`}>
            {declarationError ? <p id="declaration-error" className="field-error">{t(declarationError)}</p> : null}
            <input type="checkbox" id="declaration" name="declaration" value="on" aria-describedby={declarationError ? "declaration-error" : undefined} aria-invalid={declarationError ? true : undefined} />
            <label htmlFor="declaration">{counter ? t("counter.signed") : t("filing.declaration")}</label>
          </div>
          <button type="submit" className="button primary" disabled={!ready || undefined}>{counter ? t("counter.submit") : t("filing.submit")}</button>
        </Form>
      )}
    </>
  );
}
