// One step of a procedure's form, rendered from its definition. With JavaScript, react-hook-form
// validates with the same zod schema the action uses (stepSchema) before posting; without it the
// native POST reaches the action, which answers 400 with the same messages. Errors are listed in
// a summary that takes focus (screen readers announce it) and next to each field.
import { zodResolver } from "@hookform/resolvers/zod";
import { Form, useSubmit } from "@remix-run/react";
import { useEffect, useMemo, useRef } from "react";
import { useForm, type Resolver } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { Lng } from "~/i18n";
import { isVisible, stepSchema, type FieldDef, type FormDefinition, type FormValues } from "~/modules/forms/forms.schema";

export interface StepFormProps {
  def: FormDefinition;
  stepId: string;
  values: FormValues;
  answeredBefore: FormValues;
  serverErrors?: Record<string, string>;
  communes: { code: string; name: string }[];
  locked: string[];
  lng: Lng;
  csrf: string;
  submitLabel: string;
}

const inputMode: Partial<Record<FieldDef["type"], "numeric" | "tel" | "email">> = { idNumber: "numeric", phone: "tel", email: "email", number: "numeric" };

export function StepForm({ def, stepId, values, answeredBefore, serverErrors, communes, locked, lng, csrf, submitLabel }: StepFormProps) {
  const { t } = useTranslation();
  const step = def.steps.find((s) => s.id === stepId)!;
  const schema = useMemo(
    () => stepSchema(def, stepId, answeredBefore, { communeCodes: new Set(communes.map((c) => c.code)) }),
    [def, stepId, answeredBefore, communes],
  );
  const { register, handleSubmit, watch, formState } = useForm<Record<string, unknown>>({
    resolver: zodResolver(schema as never) as unknown as Resolver<Record<string, unknown>>,
    defaultValues: values,
    mode: "onSubmit",
    // the error summary takes focus (it links to each field), as GOV.UK-style forms do
    shouldFocusError: false,
  });
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const live = watch();
  const current: FormValues = { ...answeredBefore, ...values, ...Object.fromEntries(Object.entries(live).map(([k, v]) => [k, String(v ?? "")])) };
  const clientErrors = Object.fromEntries(Object.entries(formState.errors).map(([k, e]) => [k, String(e?.message ?? "forms.errors.invalid")]));
  const errors: Record<string, string> = Object.keys(clientErrors).length ? clientErrors : serverErrors ?? {};
  const errorList = step.fields.filter((f) => errors[f.name]);

  useEffect(() => {
    if (errorList.length) summaryRef.current?.focus();
  }, [errorList.length, formState.submitCount, serverErrors]);

  return (
    <Form
      method="post"
      noValidate
      ref={formRef}
      className="stack-form filing-form"
      onSubmit={(e) => handleSubmit(() => submit(formRef.current))(e)}
    >
      <input type="hidden" name="csrf" value={csrf} />
      {errorList.length ? (
        <div className="alert error" role="alert" tabIndex={-1} ref={summaryRef} aria-labelledby="error-summary-title">
          <h2 id="error-summary-title">{t("forms.errorSummary", { count: errorList.length })}</h2>
          <ul>
            {errorList.map((f) => (
              <li key={f.name}><a href={`#f-${f.name}`}>{f.label[lng]}: {t(errors[f.name])}</a></li>
            ))}
          </ul>
        </div>
      ) : null}
      {step.fields.map((f) => {
        if (!isVisible(f.when, current)) return null;
        const id = `f-${f.name}`;
        const error = errors[f.name];
        const describedBy = [f.hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
        const common = {
          id,
          "aria-invalid": error ? true : undefined,
          "aria-describedby": describedBy,
          "aria-required": f.required ? true : undefined,
          ...register(f.name),
        };
        const label = (
          <label htmlFor={id}>
            {f.label[lng]}
            {f.required ? null : <span className="optional"> ({t("forms.optional")})</span>}
            {locked.includes(f.name) ? <span className="note"> — {t("forms.fromPopulation")}</span> : null}
          </label>
        );
        const hint = f.hint ? <p id={`${id}-hint`} className="hint">{f.hint[lng]}</p> : null;
        const err = error ? <p id={`${id}-error`} className="field-error">{t(error)}</p> : null;
        if (f.type === "checkbox") {
          return (
            <div key={f.name} className={`field checkbox${error ? " has-error" : ""}`}>
              {err}
              <input type="checkbox" value="on" {...common} defaultChecked={values[f.name] === "on"} />
              {label}
              {hint}
            </div>
          );
        }
        // the value is in the server's HTML too: without JavaScript, react-hook-form never fills the fields
        const value = values[f.name];
        let control;
        if (f.type === "select" || f.type === "sex" || f.type === "commune") {
          const options = f.type === "sex"
            ? [{ value: "Nam", label: t("forms.male") }, { value: "Nữ", label: t("forms.female") }]
            : f.type === "commune"
              ? communes.map((c) => ({ value: c.code, label: c.name }))
              : (f.options ?? []).map((o) => ({ value: o.value, label: o.label[lng] }));
          // a locked choice offers only its value (a disabled select would post nothing)
          const shown = locked.includes(f.name) ? options.filter((o) => o.value === values[f.name]) : options;
          control = (
            <select {...common} defaultValue={value}>
              {locked.includes(f.name) ? null : <option value="">{t("forms.choose")}</option>}
              {shown.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          );
        } else if (f.type === "textarea") {
          control = <textarea rows={4} maxLength={f.maxLength} {...common} defaultValue={value} />;
        } else {
          control = (
            <input
              type={f.type === "email" ? "email" : "text"}
              inputMode={inputMode[f.type]}
              autoComplete={f.autocomplete ?? "off"}
              maxLength={f.maxLength ?? (f.type === "idNumber" ? 12 : f.type === "phone" ? 10 : undefined)}
              readOnly={locked.includes(f.name) || undefined}
              {...common}
              defaultValue={value}
            />
          );
        }
        return (
          <div key={f.name} className={`field${error ? " has-error" : ""}`}>
            {label}
            {hint}
            {err}
            {control}
          </div>
        );
      })}
      <button type="submit" className="button primary">{submitLabel}</button>
    </Form>
  );
}
