// The documents step: what each slot needs, what is attached, upload (multipart; works without
// JavaScript), remove, and reuse of documents from earlier dossiers.
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Lng } from "~/i18n";
import type { DocumentSlot } from "~/modules/forms/forms.schema";

export interface DocumentsData {
  slots: DocumentSlot[];
  files: { id: string; slot: string; fileName: string; size: number; scan: string }[];
  reusable: { id: string; fileName: string; size: number; code: string }[];
  limits: { fileMb: number; dossierMb: number; files: number };
}

const kb = (n: number) => `${Math.max(1, Math.round(n / 1024))} KB`;

export function DocumentsStep({ csrf, lng, documents }: { draftId: string; csrf: string; lng: Lng; documents: DocumentsData }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const result = useActionData<{ fieldErrors?: Record<string, string> }>();
  const uploaded = params.get("da-tai");
  return (
    <>
      {uploaded ? <div className="alert success" role="status">{t("uploads.uploaded", { count: Number(uploaded) || 1 })}</div> : null}
      <p className="hint">{t("uploads.rules", documents.limits)}</p>
      {documents.slots.map((slot) => {
        const files = documents.files.filter((f) => f.slot === slot.slot);
        const error = result?.fieldErrors?.[slot.slot];
        const inputId = `file-${slot.slot}`;
        return (
          <section key={slot.slot} className={`document-slot${error ? " has-error" : ""}`} aria-labelledby={`slot-${slot.slot}`}>
            <h2 id={`slot-${slot.slot}`}>
              {slot.name[lng]} {slot.required ? null : <span className="optional">({t("forms.optional")})</span>}
            </h2>
            {error ? <p className="field-error" id={`${inputId}-error`}>{t(error)}</p> : null}
            {files.length ? (
              <ul className="files">
                {files.map((f) => (
                  <li key={f.id}>
                    <span>{f.fileName} ({kb(f.size)}){f.scan === "pending" ? ` — ${t("uploads.scanning")}` : ""}</span>
                    {f.scan === "infected" ? <strong className="field-error">{t("uploads.infectedLater")}</strong> : null}
                    <Form method="post" className="inline">
                      <input type="hidden" name="csrf" value={csrf} />
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="attachmentId" value={f.id} />
                      <button type="submit" className="button link">{t("uploads.remove")}<span className="visually-hidden"> {f.fileName}</span></button>
                    </Form>
                  </li>
                ))}
              </ul>
            ) : null}
            {files.length < slot.maxFiles ? (
              <Form method="post" encType="multipart/form-data" className="upload-form" reloadDocument>
                <input type="hidden" name="csrf" value={csrf} />
                <label htmlFor={inputId}>{t("uploads.choose")}</label>
                <input
                  id={inputId}
                  type="file"
                  name={slot.slot}
                  accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                  multiple={slot.maxFiles - files.length > 1}
                  aria-describedby={error ? `${inputId}-error` : undefined}
                />
                <button type="submit" className="button">{t("uploads.upload")}<span className="visually-hidden"> — {slot.name[lng]}</span></button>
              </Form>
            ) : null}
            {documents.reusable.length && files.length < slot.maxFiles ? (
              <Form method="post" className="reuse-form">
                <input type="hidden" name="csrf" value={csrf} />
                <input type="hidden" name="intent" value="reuse" />
                <input type="hidden" name="slot" value={slot.slot} />
                <label htmlFor={`reuse-${slot.slot}`}>{t("uploads.reuseLabel")}</label>
                <select id={`reuse-${slot.slot}`} name="attachmentId">
                  {documents.reusable.map((r) => <option key={r.id} value={r.id}>{r.fileName} ({r.code})</option>)}
                </select>
                <button type="submit" className="button">{t("uploads.reuse")}<span className="visually-hidden"> — {slot.name[lng]}</span></button>
              </Form>
            ) : null}
          </section>
        );
      })}
      <Form method="post" className="stack-form">
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="intent" value="continue" />
        <button type="submit" className="button primary">{t("filing.saveAndContinue")}</button>
      </Form>
    </>
  );
}
