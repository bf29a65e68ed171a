// A procedure's form is data: steps of fields, conditions, document slots and where it is filed.
// The zod schema of each step is derived from that data, so react-hook-form in the browser and
// the action on the server validate with the same rules. Messages are i18n keys.
import { z } from "zod";
import { CONTROL_CHARS_KEY, hasControlChars, plainText } from "~/lib/text";
import { checkIdAgainstPerson, checkMobile, checkVnDate, parseVnDate, type Sex } from "./validators";

const Label = z.object({ vi: plainText().min(1), en: plainText().min(1) });
export type Label = z.infer<typeof Label>;

const Condition = z.object({ field: z.string(), equals: z.string() });

export const PREFILL_KEYS = ["fullName", "birthDate", "sex", "idNumber", "phone", "email", "permanentCommune", "permanentDetail", "currentCommune", "currentDetail"] as const;
export type PrefillKey = (typeof PREFILL_KEYS)[number];

const FieldDef = z.object({
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/),
  type: z.enum(["text", "textarea", "idNumber", "phone", "email", "date", "pastDate", "commune", "select", "sex", "checkbox", "number"]),
  label: Label,
  hint: Label.optional(),
  required: z.boolean().default(true),
  maxLength: z.number().int().positive().max(2000).optional(),
  min: z.number().int().optional(),
  max: z.number().int().optional(),
  options: z.array(z.object({ value: plainText().min(1).max(60), label: Label })).optional(),
  prefill: z.enum(PREFILL_KEYS).optional(),
  /** Identity numbers: the fields holding the same person's birth date and sex. */
  person: z.object({ birthDate: z.string().optional(), sex: z.string().optional() }).optional(),
  when: Condition.optional(),
  autocomplete: z.string().optional(),
});
export type FieldDef = z.infer<typeof FieldDef>;

const StepDef = z.object({ id: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/), title: Label, fields: z.array(FieldDef).min(1) });
export type StepDef = z.infer<typeof StepDef>;

const DocumentSlot = z.object({
  slot: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/),
  name: Label,
  required: z.boolean(),
  when: Condition.optional(),
  maxFiles: z.number().int().min(1).max(10).default(3),
});
export type DocumentSlot = z.infer<typeof DocumentSlot>;

export const FormDefinition = z
  .object({
    procedureCode: z.string().regex(/^\d\.\d{6}$/),
    title: Label,
    /** Where the dossier goes: the police or the people's committee of a commune the citizen picks, or one fixed agency. */
    agency: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("commune_police"), communeField: z.string() }),
      z.object({ kind: z.literal("commune_committee"), communeField: z.string() }),
      z.object({ kind: z.literal("fixed"), code: z.string().regex(/^\d{3}\.\d{2}\.\d{2}\.H49$/) }),
    ]),
    steps: z.array(StepDef).min(1).max(8),
    documents: z.array(DocumentSlot).max(12),
    /** Fields whose values make the dossier's one-line summary (desk queue, receipt). */
    summary: z.array(z.string()).default([]),
  })
  .superRefine((def, ctx) => {
    const names = def.steps.flatMap((s) => s.fields.map((f) => f.name));
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) ctx.addIssue({ code: "custom", message: `duplicate field ${dup}` });
    const stepIds = def.steps.map((s) => s.id);
    if (new Set(stepIds).size !== stepIds.length || stepIds.some((id) => RESERVED_STEPS.includes(id))) ctx.addIssue({ code: "custom", message: "step ids must be unique and not reserved" });
    for (const f of def.steps.flatMap((s) => s.fields)) {
      if (f.when && !names.includes(f.when.field)) ctx.addIssue({ code: "custom", message: `${f.name}: condition on unknown field ${f.when.field}` });
      if (f.type === "select" && !f.options?.length) ctx.addIssue({ code: "custom", message: `${f.name}: select without options` });
    }
    if (def.agency.kind !== "fixed" && !names.includes(def.agency.communeField)) ctx.addIssue({ code: "custom", message: "agency commune field missing" });
  });
export type FormDefinition = z.infer<typeof FormDefinition>;

/** Steps every form has after its own: attachments, then review (and payment when a fee is due). */
export const RESERVED_STEPS = ["tai-lieu", "xem-lai"];

export type FormValues = Record<string, string>;

export interface ValidationContext {
  communeCodes: ReadonlySet<string>;
  now?: Date;
}

export function isVisible(cond: { field: string; equals: string } | undefined, values: FormValues): boolean {
  return !cond || values[cond.field] === cond.equals;
}

const str = (v: unknown) => (typeof v === "string" ? v.trim() : v === undefined || v === null ? "" : v);

// Compiled field schemas, per validation context and field definition (both long-lived objects:
// definitions are immutable per version), so validating a step does not rebuild zod schemas.
const compiled = new WeakMap<ValidationContext, WeakMap<FieldDef, z.ZodType<string>>>();
function fieldSchema(f: FieldDef, ctx: ValidationContext): z.ZodType<string> {
  let byField = compiled.get(ctx);
  if (!byField) compiled.set(ctx, (byField = new WeakMap()));
  let schema = byField.get(f);
  if (!schema) byField.set(f, (schema = buildFieldSchema(f, ctx)));
  return schema;
}

function buildFieldSchema(f: FieldDef, ctx: ValidationContext): z.ZodType<string> {
  const base = z.preprocess(str, z.string({ message: "forms.errors.invalid" }).max(f.maxLength ?? 500, "forms.errors.tooLong"));
  return base.superRefine((value, issue) => {
    const fail = (message: string) => issue.addIssue({ code: "custom", message });
    if (value === "") {
      if (f.required) fail(f.type === "checkbox" ? "forms.errors.mustAccept" : "forms.errors.required");
      return;
    }
    // a control character has no place in any answer; tab and line breaks only in a multi-line one
    if (hasControlChars(value, { multiline: f.type === "textarea" })) {
      fail(CONTROL_CHARS_KEY);
      return;
    }
    switch (f.type) {
      case "phone": { const e = checkMobile(value); if (e) fail(e); break; }
      case "email": if (!/^[^\s@]{1,64}@[^\s@]{1,190}\.[a-zA-Z]{2,}$/.test(value)) fail("forms.errors.email"); break;
      case "date": { const e = checkVnDate(value, { now: ctx.now }); if (e) fail(e); break; }
      case "pastDate": { const e = checkVnDate(value, { past: true, now: ctx.now }); if (e) fail(e); break; }
      case "commune": if (!ctx.communeCodes.has(value)) fail("forms.errors.commune"); break;
      case "select": if (!f.options?.some((o) => o.value === value)) fail("forms.errors.choice"); break;
      case "sex": if (value !== "Nam" && value !== "Nữ") fail("forms.errors.choice"); break;
      case "checkbox": if (value !== "on" && value !== "true") fail("forms.errors.invalid"); break;
      case "number": {
        if (!/^\d{1,9}$/.test(value)) { fail("forms.errors.number"); break; }
        const n = Number(value);
        if ((f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) fail("forms.errors.numberRange");
        break;
      }
      case "idNumber": { const e = checkIdAgainstPerson(value, null, null); if (e) fail(e); break; }
    }
  }) as unknown as z.ZodType<string>;
}

/**
 * The schema for one step, given everything answered so far (conditions may look at earlier
 * steps). Hidden fields are dropped; unknown keys are ignored.
 */
export function stepSchema(def: FormDefinition, stepId: string, answered: FormValues, ctx: ValidationContext) {
  const step = def.steps.find((s) => s.id === stepId);
  if (!step) throw new Error(`unknown step ${stepId}`);
  return z.record(z.string(), z.unknown(), { message: "forms.errors.invalid" }).transform((raw, issue) => {
    const values: FormValues = { ...answered };
    // only text decides conditions (a value of another kind fails its field below anyway)
    for (const f of step.fields) { const v = raw[f.name]; values[f.name] = typeof v === "string" ? v.trim() : ""; }
    const out: FormValues = {};
    for (const f of step.fields) {
      if (!isVisible(f.when, values)) continue;
      const r = fieldSchema(f, ctx).safeParse(raw[f.name]);
      if (!r.success) {
        for (const e of r.error.issues) issue.addIssue({ code: "custom", message: e.message, path: [f.name] });
        continue;
      }
      out[f.name] = r.data;
    }
    // identity numbers agree with the same person's birth date and sex, where the form has them
    for (const f of step.fields) {
      if (f.type !== "idNumber" || !out[f.name] || !f.person) continue;
      const all = { ...answered, ...out };
      const birth = f.person.birthDate ? parseVnDate(all[f.person.birthDate] ?? "") : null;
      const sex = f.person.sex ? ((all[f.person.sex] as Sex | undefined) ?? null) : null;
      const e = checkIdAgainstPerson(out[f.name], birth, sex === "Nam" || sex === "Nữ" ? sex : null);
      if (e) issue.addIssue({ code: "custom", message: e, path: [f.name] });
    }
    return out;
  });
}

/** Every step's answers together, re-validated (the final check before submission). */
export function validateAll(def: FormDefinition, data: FormValues, ctx: ValidationContext): { ok: true; values: FormValues } | { ok: false; step: string } {
  let answered: FormValues = {};
  for (const step of def.steps) {
    const r = stepSchema(def, step.id, answered, ctx).safeParse(data);
    if (!r.success) return { ok: false, step: step.id };
    answered = { ...answered, ...r.data };
  }
  return { ok: true, values: answered };
}

/** Document slots that apply given the answers. */
export function activeSlots(def: FormDefinition, values: FormValues): DocumentSlot[] {
  return def.documents.filter((d) => isVisible(d.when, values));
}

/** One-line summary for queues and receipts. */
export function summarise(def: FormDefinition, values: FormValues, lang: "vi" | "en"): string {
  return def.summary
    .map((name) => {
      const f = def.steps.flatMap((s) => s.fields).find((x) => x.name === name);
      const v = values[name];
      if (!f || !v) return null;
      const shown = f.options?.find((o) => o.value === v)?.label[lang] ?? v;
      return `${f.label[lang]}: ${shown}`;
    })
    .filter(Boolean)
    .join("; ")
    .slice(0, 500);
}

export function stepIds(def: FormDefinition): string[] {
  return [...def.steps.map((s) => s.id), ...RESERVED_STEPS];
}
