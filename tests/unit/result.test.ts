// The one error helper (docs/decisions/003-error-convention.md): every module builds its failures
// with appError / invalidFields, so the shape a route reads is the same everywhere.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appError, err, fieldErrorsFrom, invalidFields, ok } from "~/lib/result";

describe("appError", () => {
  it("carries code, status and i18n key, and params only when given", () => {
    expect(appError("x.gone", 410, "x.errors.gone")).toStrictEqual({ code: "x.gone", status: 410, i18nKey: "x.errors.gone" });
    expect(appError("x.slow", 429, "x.errors.slow", { seconds: 3 })).toStrictEqual({ code: "x.slow", status: 429, i18nKey: "x.errors.slow", params: { seconds: 3 } });
  });

  it("wraps into a failed Result beside ok", () => {
    expect(err(appError("x.gone", 410, "x.errors.gone"))).toMatchObject({ ok: false, error: { code: "x.gone" } });
    expect(ok(1)).toStrictEqual({ ok: true, value: 1 });
  });
});

describe("field errors", () => {
  const Schema = z.object({ name: z.string().min(1, "f.name").max(3, "f.long"), age: z.number("f.age") })
    .refine((v) => v.name !== "no", "f.record");

  it("keeps the first message per field and names the whole record _", () => {
    const a = Schema.safeParse({ name: "", age: "x" });
    expect(a.success).toBe(false);
    expect(fieldErrorsFrom(a.error!.issues)).toStrictEqual({ name: "f.name", age: "f.age" });
    const b = Schema.safeParse({ name: "no", age: 1 });
    expect(fieldErrorsFrom(b.error!.issues)).toStrictEqual({ _: "f.record" });
  });

  it("is a 400 whose fieldErrors a route shows beside each field", () => {
    expect(invalidFields("x.invalid", { name: "f.name" })).toStrictEqual({ code: "x.invalid", status: 400, i18nKey: "forms.errors.invalid", fieldErrors: { name: "f.name" } });
  });
});
