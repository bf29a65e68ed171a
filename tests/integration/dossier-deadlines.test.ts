// Receipt sets the appointment date from the procedure's time limit and the holiday table;
// a supplement pause moves it by the working time spent waiting.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeStatus, createDossier } from "~/modules/dossiers/dossiers.server";
import { seedCatalog } from "~db/seed";
import { openTestDb, type TestDb } from "../support/db";

let t: TestDb;
beforeAll(async () => { t = await openTestDb(); await seedCatalog(t.db); });
afterAll(() => t?.cleanup());
const vn = (s: string) => new Date(`${s}+07:00`);
const iso = (d: Date | string) => new Date(new Date(d).getTime() + 7 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
const due = async (id: string) => (await t.query<{ due_at: string | null }>("select due_at from dossiers where id = $1", [id]))[0].due_at;

describe("dossier deadlines", () => {
  it("permanent residence (7 working days) received the Friday before Tết at 16:59 is due 03/03/2026 16:59", async () => {
    const r = await createDossier(t.db, { procedureCode: "1.004222", agencyCode: "000.01.31.H49", channel: 1, applicantName: "A", actor: { name: "Cán bộ" }, at: vn("2026-02-13T16:59"), initialStatus: 2 });
    if (!r.ok) throw new Error(r.error.code);
    expect(iso((await due(r.value.id))!)).toBe("2026-03-03 16:59");
  });
  it("is set at receipt, and a supplement pause moves it by the working time waited", async () => {
    const r = await createDossier(t.db, { procedureCode: "1.004194", agencyCode: "000.01.31.H49", channel: 2, applicantName: "B", actor: { name: "B" }, at: vn("2026-11-23T08:00") });
    if (!r.ok) throw new Error(r.error.code);
    expect(await due(r.value.id)).toBeNull();
    const step = (to: number, at: string) => changeStatus(t.db, { dossierId: r.value.id, to, actor: { name: "Cán bộ" }, at: vn(at) });
    expect((await step(2, "2026-11-23T09:00")).ok).toBe(true);
    // temporary residence: 3 working days → Fri 27/11 09:00 (Tue 24/11 is a day off)
    expect(iso((await due(r.value.id))!)).toBe("2026-11-27 09:00");
    await step(4, "2026-11-23T10:00");
    await step(5, "2026-11-23T15:00");
    await step(4, "2026-11-25T10:00"); // 5 working hours waiting
    expect(iso((await due(r.value.id))!)).toBe("2026-11-27 16:00");
  });
  it("refuses an illegal transition and changes nothing", async () => {
    const r = await createDossier(t.db, { procedureCode: "1.004194", agencyCode: "000.01.31.H49", channel: 2, applicantName: "C", actor: { name: "C" } });
    if (!r.ok) throw new Error(r.error.code);
    const bad = await changeStatus(t.db, { dossierId: r.value.id, to: 9, actor: { name: "X" } });
    expect(bad).toMatchObject({ ok: false, error: { code: "dossier.illegal_transition", status: 409 } });
    const [row] = await t.query<{ status: number; n: number }>("select status, (select count(*)::int from dossier_events where dossier_id = $1) as n from dossiers where id = $1", [r.value.id]);
    expect(row).toEqual({ status: 1, n: 1 });
  });
});
