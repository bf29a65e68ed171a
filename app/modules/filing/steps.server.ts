// One step of a draft, wherever its pages live — a citizen's own (/nop/<draft>/<step>), a kiosk's
// (/quay/nop/<step>) or the desk's counter (/can-bo/nop/<draft>/<step>): which step it is, what
// its page shows (the data the shared FilingSteps view takes), and saving its answers.
import { data, redirect } from "@remix-run/node";
import { stepIds, type FormValues } from "~/modules/forms/forms.schema";
import type { AppDb } from "~db/client.server";
import { documentsView, type StepUrl } from "./documents.server";
import { communeList, loadForm, lockedFields, reviewDraft, saveStep, type Draft, type LoadedForm } from "./filing.server";

export type StepPlace =
  | { kind: "ok"; form: LoadedForm; steps: string[]; index: number }
  | { kind: "no_form" }
  | { kind: "unknown_step" }
  /** A step is reachable once every step before it is saved: go to the draft's own step instead. */
  | { kind: "ahead"; reached: string };

export async function locateStep(db: AppDb, draft: Draft, step: string): Promise<StepPlace> {
  const form = await loadForm(db, draft.procedureCode, draft.formVersion);
  if (!form) return { kind: "no_form" };
  const steps = stepIds(form.def);
  const index = steps.indexOf(step);
  if (index < 0) return { kind: "unknown_step" };
  if (index > steps.indexOf(draft.step)) return { kind: "ahead", reached: draft.step };
  return { kind: "ok", form, steps, index };
}

/**
 * For routes: the step's place, or the response to throw (404 for an unknown step or form, a
 * redirect to the reached step for one ahead of it). Messages are i18n keys the caller translates.
 */
export async function requireStep(db: AppDb, draft: Draft, step: string, opts: { stepUrl: StepUrl; t: (key: string) => string; headers?: HeadersInit }) {
  const place = await locateStep(db, draft, step);
  if (place.kind === "no_form") throw data({ message: opts.t("filing.errors.noForm") }, { status: 404, headers: opts.headers });
  if (place.kind === "unknown_step") throw data({ message: opts.t("filing.errors.badStep") }, { status: 404, headers: opts.headers });
  if (place.kind === "ahead") throw redirect(opts.stepUrl(place.reached), { headers: opts.headers });
  return place;
}

/** What a step's page shows: the form's fields (with the answers before it), the documents, or the review. */
export async function stepView(db: AppDb, input: { draft: Draft; citizenId: string; step: string; place: Extract<StepPlace, { kind: "ok" }> }) {
  const { draft, step, place: { form, steps, index } } = input;
  const base = { def: form.def, steps, step, index, procedureCode: draft.procedureCode };
  if (step === "tai-lieu") return { ok: true as const, value: { ...base, kind: "documents" as const, documents: await documentsView(db, input.citizenId, draft) } };
  if (step === "xem-lai") {
    const r = await reviewDraft(db, draft);
    if (!r.ok) return r;
    const { values, checked, files, slots, missing, fee, paid } = r.value;
    return {
      ok: true as const,
      value: {
        ...base, kind: "review" as const, communes: await communeList(db),
        review: { values, incompleteStep: checked.ok ? null : checked.step, files: files.map((f) => ({ id: f.id, slot: f.slot, fileName: f.fileName, size: f.size })), slots, missing: missing.map((m) => m.slot), fee, paid },
      },
    };
  }
  const values = draft.data as FormValues;
  const answeredBefore: FormValues = {};
  for (const s of form.def.steps.slice(0, Math.max(0, index))) for (const f of s.fields) if (values[f.name] !== undefined) answeredBefore[f.name] = values[f.name];
  return { ok: true as const, value: { ...base, kind: "fields" as const, values, answeredBefore, communes: await communeList(db), locked: lockedFields(values) } };
}

/**
 * Saves a form step's answers (the caller has checked CSRF) and goes to the next step; invalid
 * answers come back with what was typed (a form posted without JavaScript keeps it).
 */
export async function saveStepReply(
  db: AppDb, input: { citizenId: string; draft: Draft; step: string; form: Record<string, FormDataEntryValue>; stepUrl: StepUrl; headers?: HeadersInit },
) {
  const r = await saveStep(db, { citizenId: input.citizenId, draftId: input.draft.id, stepId: input.step, raw: input.form });
  if (r.ok) return redirect(input.stepUrl(r.value.next), { headers: input.headers });
  const { fieldErrors } = r.error;
  if (!fieldErrors) return data({ formError: r.error.i18nKey as string | null, fieldErrors: {} as Record<string, string> }, { status: r.error.status, headers: input.headers });
  const values: FormValues = {};
  for (const [k, v] of Object.entries(input.form)) if (k !== "csrf" && typeof v === "string") values[k] = v;
  return data({ formError: null as string | null, fieldErrors, values }, { status: 400, headers: input.headers });
}
