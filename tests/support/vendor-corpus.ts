// The corpus of vendor-shaped payloads (tests/fixtures/national-vendor/, described in
// integrations/national-portal/README.md) and what running one against a mock means.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ERR, isSuccessCode } from "~integrations/national-portal/contract";

export interface VendorPayload {
  id: string;
  source: { repo: string; path: string; commit: string; note: string };
  service: string;
  requires?: string;
  payload: Record<string, unknown>;
  expect: "ok" | "not_found" | "exists";
  lenient: string[];
  defect: { field: string; value: unknown; why: string };
}

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "national-vendor");

/** Every payload, in file-name order (the order `requires` assumes). */
export const corpus: VendorPayload[] = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as VendorPayload);

/** Whether an answer's code is what `expect` stands for. */
export function answers(expected: VendorPayload["expect"], code: unknown): boolean {
  if (expected === "ok") return isSuccessCode(code);
  return Number(code) === (expected === "not_found" ? ERR.NOT_FOUND : ERR.EXISTS);
}

/** A deep copy of `payload` with the value at the dot path `field` set (a missing key is added). */
export function withValue(payload: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(payload);
  const keys = field.split(".");
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  return copy;
}

/**
 * The field paths a message names: it is "path: reason; path: reason; …" (a reason without a
 * path, such as "Hồ sơ đã tồn tại", names none).
 */
export function namedFields(message: string): string[] {
  return message.split("; ").map((part) => part.split(": ")[0]).filter((p) => /^[A-Za-z]\w*(\.\w+)*$/.test(p));
}
