// Property: whatever sequence of desk actions officials of every role attempt, a dossier only
// ever moves along legal transitions, its events record exactly the accepted moves, and refused
// moves change nothing.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actOnDossier } from "~/modules/backoffice/desk.server";
import { ACTIONS, DESK_ACTIONS, mayAct, NEEDS_NOTE } from "~/modules/backoffice/permissions";
import { createDossier } from "~/modules/dossiers/dossiers.server";
import { canTransition } from "~/modules/dossiers/status";
import type { StaffUser } from "~/modules/identity/staff-auth.server";
import { staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import { openTestDb, type TestDb } from "../support/db";

let t: TestDb;
let officials: StaffUser[];
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  // every role of commune 01's police, plus an official of another agency
  officials = (await t.db.select().from(staffUsers)).filter((u) => u.username !== "quantri");
}, 60_000);
afterAll(() => t?.cleanup());

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);

describe("desk state machine (property)", () => {
  it("random sequences of actions by every role never reach an illegal state", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ who: fc.nat({ max: officials.length - 1 }), action: fc.constantFrom(...DESK_ACTIONS), note: fc.constantFrom("", "lý do") }), { minLength: 1, maxLength: 12 }),
        async (steps) => {
          const created = await createDossier(t.db, { procedureCode: "1.004222", agencyCode: "000.01.31.H49", channel: 2, applicantName: "P", actor: { name: "P", kind: "citizen" } });
          if (!created.ok) throw new Error(created.error.code);
          let status = 1;
          const accepted: number[] = [1];
          for (const s of steps) {
            const who = officials[s.who];
            const r = await actOnDossier(t.db, who, created.value.code, s.action, s.note);
            const allowed = who.agencyCode === "000.01.31.H49" && mayAct(who.role, s.action) && (s.note !== "" || !NEEDS_NOTE.includes(s.action)) && canTransition(status, ACTIONS[s.action].to);
            expect(r.ok).toBe(allowed);
            if (r.ok) {
              expect(canTransition(status, r.value.status)).toBe(true);
              status = r.value.status;
              accepted.push(status);
            }
          }
          const events = await t.query<{ status: number }>("select e.status from dossier_events e join dossiers d on d.id = e.dossier_id where d.code = $1 order by e.seq", [created.value.code]);
          expect(events.map((e) => e.status)).toEqual(accepted);
          const [row] = await t.query<{ status: number }>("select status from dossiers where code = $1", [created.value.code]);
          expect(row.status).toBe(status);
        },
      ),
      { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20261128) },
    );
  }, 180_000);
});
