// The status rules in one place (app/modules/dossiers/status.ts): every predicate a route or use
// case asks, pinned over every national status code, so a change to one rule shows here.
import { describe, expect, it } from "vitest";
import {
  awaitsReception, canAnswerSupplement, canRate, canReschedule, canTransition, canWithdraw, DossierStatus, isOpen, isStatus,
} from "~/modules/dossiers/status";

const S = DossierStatus;
const ALL = Object.values(S);
const holds = (rule: (status: number) => boolean) => ALL.filter((s) => rule(s));

describe("dossier status predicates", () => {
  it("cover the ten national codes", () => {
    expect(ALL).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const s of ALL) expect(isStatus(s)).toBe(true);
    for (const n of [0, 11, 2.5, "2", null]) expect(isStatus(n)).toBe(false);
  });

  it("say which statuses are open, and withdrawal follows them", () => {
    expect(holds(isOpen)).toEqual([S.NEW, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.PAYMENT]);
    expect(holds(canWithdraw)).toEqual(holds(isOpen));
    for (const s of ALL) expect(canWithdraw(s)).toBe(canTransition(s, S.WITHDRAWN));
  });

  it("let the citizen answer a supplement only while it is asked for", () => {
    expect(holds(canAnswerSupplement)).toEqual([S.SUPPLEMENT]);
  });

  it("let the citizen rate once the result is ready or handed over", () => {
    expect(holds(canRate)).toEqual([S.DONE, S.RETURNED]);
  });

  it("show a provisional appointment only before reception", () => {
    expect(holds(awaitsReception)).toEqual([S.NEW]);
  });

  it("let the agency reschedule only while it works against the due date", () => {
    expect(holds(canReschedule)).toEqual([S.RECEIVED, S.PROCESSING, S.PAYMENT]);
  });
});
