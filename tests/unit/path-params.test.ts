// Path parameters are checked at the edge against the shape of what they name; a malformed one is a
// 404 before any module (and so SQL) sees it.
import { describe, expect, it } from "vitest";
import { ApprovalTokenParam, DossierCodeParam, paramOf, PaymentReferenceParam, StepParam, UuidParam } from "~/lib/path-params.server";
import { ProcedureCode } from "~/modules/catalog/catalog.schema";

const CONTROL = ["\u0000", "a\u0000b", "\u0001", "\t", "\n", "\u001f", "\u007f", "\u0080", "\u009f"];
const status = (run: () => unknown) => {
  try {
    run();
    return 200;
  } catch (thrown) {
    return thrown instanceof Response ? thrown.status : -1;
  }
};

describe("paramOf", () => {
  it("passes each shape's real values", () => {
    const cases: [Parameters<typeof paramOf>[2], string][] = [
      [DossierCodeParam, "000.01.31.H49-261128-0001"], [DossierCodeParam, "000.01.31.H49-261128-12345"], [DossierCodeParam, "000.05.31.H49-20261128-0009999"],
      [ProcedureCode, "1.004222"], [ProcedureCode, "QN-0001"], [UuidParam, "0b6f4f1e-6a8e-4c1e-9a43-2f1d4b7a9c10"], [StepParam, "xem-lai"],
      [ApprovalTokenParam, "A".repeat(43)], [PaymentReferenceParam, "QN-MI9X2K3L-0A1B2C3D4E"],
    ];
    for (const [shape, value] of cases) expect(paramOf({ p: value }, "p", shape), value).toBe(value);
  });

  it("answers 404 for a missing, malformed or control-character value, whatever the shape", () => {
    for (const shape of [DossierCodeParam, ProcedureCode, UuidParam, StepParam, ApprovalTokenParam, PaymentReferenceParam]) {
      expect(status(() => paramOf({}, "p", shape))).toBe(404);
      for (const bad of ["", "X!", "../etc/passwd", "a".repeat(5000), ...CONTROL, ...CONTROL.map((c) => `000.01.31.H49-261128-0001${c}`)]) {
        expect(status(() => paramOf({ p: bad }, "p", shape)), JSON.stringify(bad)).toBe(404);
      }
    }
  });
});
