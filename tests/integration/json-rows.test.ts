// jsonRowReader (db/client.server.ts): rows PostgreSQL built as JSON read back exactly as drizzle's
// own select gives them — on both drivers, for every table the sync worker reads that way.
import { eq, sql } from "drizzle-orm";
import { numeric, pgTable, uuid } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDossier } from "~/modules/dossiers/dossiers.server";
import { jsonRowReader, selectRows } from "~db/client.server";
import { attachments, dossierEvents, dossiers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { openTestDb, type TestDb } from "../support/db";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
});

const asJson = async (table: string, where = "true") =>
  (await t.query<{ rows: Record<string, unknown>[] }>(`select coalesce(json_agg(x), '[]') as rows from (select * from ${table} x where ${where}) x`))[0].rows;

describe("jsonRowReader", () => {
  it("reads dossiers and their events as drizzle's select does, nulls, dates and JSON included", async () => {
    const created = await createDossier(t.db, {
      procedureCode: "1.004222", agencyCode: "000.01.31.H49", channel: 2, applicantName: "Nguyễn Văn A", applicantIdNumber: "022090000001",
      applicantPhone: "0912345678", actor: { name: "Nguyễn Văn A" },
    });
    if (!created.ok) throw new Error("the dossier was not made");
    const made = created.value;
    await t.db.update(dossiers).set({ formData: { hoTen: "Nguyễn Văn A", con: [{ ten: "B" }] }, ratedAt: new Date("2026-11-28T10:11:12.345Z") }).where(eq(dossiers.id, made.id));
    const want = await t.db.select().from(dossiers).where(eq(dossiers.id, made.id));
    const got = (await asJson("dossiers", `id = '${made.id}'`)).map(jsonRowReader(dossiers));
    expect(got).toEqual(want);
    expect(got[0].ratedAt).toBeInstanceOf(Date);
    expect(got[0].ratedAt!.toISOString()).toBe("2026-11-28T10:11:12.345Z");
    expect(got[0].applicantEmail).toBeNull();

    const events = await t.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, made.id));
    expect(events.length).toBeGreaterThan(0);
    expect((await asJson("dossier_events", `dossier_id = '${made.id}'`)).map(jsonRowReader(dossierEvents))).toEqual(events);
  });

  it("reads some columns only when asked, and refuses a row that lacks one", async () => {
    const read = jsonRowReader(attachments, ["id", "createdAt"]);
    expect(read({ id: "x", created_at: "2026-11-28T10:11:12.345+07:00", file_name: "ignored" })).toEqual({ id: "x", createdAt: new Date("2026-11-28T03:11:12.345Z") });
    expect(() => read({ id: "x" })).toThrow(/created_at/);
  });

  it("refuses, when made, a column type whose JSON form it would misread", () => {
    const priced = pgTable("priced", { id: uuid("id"), amount: numeric("amount") });
    expect(() => jsonRowReader(priced)).toThrow(/amount of type PgNumeric/);
    expect(jsonRowReader(priced, ["id"])({ id: "a" })).toEqual({ id: "a" });
  });

  it("keeps timestamps to the millisecond, as drizzle does", async () => {
    const [r] = await selectRows<{ rows: Record<string, unknown>[] }>(t.db, sql`select json_agg(json_build_object('id', 'x', 'created_at', '2026-11-28 23:59:59.999999+07'::timestamptz)) as rows`);
    expect(jsonRowReader(attachments, ["id", "createdAt"])(r.rows[0]).createdAt.toISOString()).toBe("2026-11-28T16:59:59.999Z");
  });
});
