// The body of a filing step — procedure line, step title, progress, error, then the step's form,
// documents or review — shared by a citizen's own filing (/nop/<draft>/<step>), filing on their
// behalf at a kiosk (/quay/nop/<step>) and at the desk's counter (/can-bo/nop/<draft>/<step>),
// which differ only in where each step lives (and, at the counter, how the fee is paid).
import { Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Lng } from "~/i18n";
import type { FormDefinition, FormValues } from "~/modules/forms/forms.schema";
import { DocumentsStep, type DocumentsData } from "./DocumentsStep";
import { ReviewStep, type ReviewData } from "./ReviewStep";
import { StepForm } from "./StepForm";

type Communes = { code: string; name: string }[];
export type FilingStepData = { def: FormDefinition; procedureCode: string; step: string; steps: string[]; index: number; lng: Lng; csrf: string } & (
  | { kind: "fields"; values: FormValues; answeredBefore: FormValues; communes: Communes; locked: string[] }
  | { kind: "documents"; documents: DocumentsData }
  | { kind: "review"; communes: Communes; review: ReviewData }
);

export function FilingSteps({ d, draftId, stepHref, counter }: { d: FilingStepData; draftId: string; stepHref: (step: string) => string; counter?: boolean }) {
  const result = useActionData<{ formError?: string | null; fieldErrors?: Record<string, string>; params?: Record<string, string | number>; values?: FormValues }>();
  const { t } = useTranslation();
  const stepTitle = (id: string) =>
    id === "tai-lieu" ? t("filing.documentsTitle") : id === "xem-lai" ? t("filing.reviewTitle") : d.def.steps.find((s) => s.id === id)?.title[d.lng] ?? id;
  return (
    <>
      <p className="eyebrow">{d.def.title[d.lng]} · {d.procedureCode}</p>
      <h1>{stepTitle(d.step)}</h1>
      <nav aria-label={t("filing.progress")}>
        <ol className="steps">
          {d.steps.map((s, i) => (
            <li key={s} aria-current={s === d.step ? "step" : undefined}>
              {i <= d.index ? <Link to={stepHref(s)}>{stepTitle(s)}</Link> : <span>{stepTitle(s)}</span>}
            </li>
          ))}
        </ol>
      </nav>
      {result?.formError ? <div className="alert error" role="alert">{t(result.formError, result.params)}</div> : null}
      {d.kind === "fields" ? (
        <StepForm
          key={d.step}
          def={d.def}
          stepId={d.step}
          values={result?.values ?? d.values}
          answeredBefore={d.answeredBefore}
          serverErrors={result?.fieldErrors}
          communes={d.communes}
          locked={d.locked}
          lng={d.lng}
          csrf={d.csrf}
          submitLabel={t("filing.saveAndContinue")}
        />
      ) : d.kind === "documents" ? (
        <DocumentsStep draftId={draftId} csrf={d.csrf} lng={d.lng} documents={d.documents} />
      ) : (
        <ReviewStep draftId={draftId} csrf={d.csrf} lng={d.lng} def={d.def} communes={d.communes} review={d.review} stepHref={stepHref} counter={counter} />
      )}
    </>
  );
}
