// Files left `pending` because clamd could not scan them at upload are rescanned from storage by
// the hourly housekeeping, against a fake clamd speaking the real INSTREAM protocol over TCP:
// clean ones are released, infected ones quarantined, the rest wait; one instance per hour does it.
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rescanPendingAttachments, rescanThisHour } from "~/modules/attachments/rescan.server";
import { contentKey, createStorage, type FileStorage } from "~/modules/storage/storage.server";
import { seedCatalog } from "~db/seed";
import { attachments, drafts } from "~db/schema";
import { openTestDb, type TestDb } from "../support/db";
import { EICAR, startFakeClamd } from "../support/fake-clamd";
import { BIRTH_REGISTRATION, insertCitizens } from "../support/filing-drafts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rescan-"));
let t: TestDb;
let store: FileStorage;
const sha = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");
const cleanPdf = Buffer.from("%PDF-1.4\n% a clean scan of a birth certificate\n%%EOF\n");
const infectedPdf = Buffer.from(`%PDF-1.4\n%${EICAR}\n%%EOF\n`);
const missing = "f".repeat(64); // a content whose bytes never reached storage

/** A port nothing listens on: clamd is down. */
async function deadAddress(): Promise<string> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return `127.0.0.1:${port}`;
}

const scans = async () =>
  (await t.db.select({ fileName: attachments.fileName, scan: attachments.scan }).from(attachments).orderBy(asc(attachments.fileName)))
    .map((r) => `${r.fileName} ${r.scan}`);

beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  store = createStorage({ driver: "local", dir: path.join(tmp, "files") });
  const [c] = await insertCitizens(t.db, 1, 900);
  const [d1, d2] = await t.db.insert(drafts).values([1, 2].map(() => ({
    citizenId: c.id, procedureCode: BIRTH_REGISTRATION, formVersion: 1, step: "tai-lieu", expiresAt: new Date(Date.now() + 86_400_000), data: {},
  }))).returning();
  for (const bytes of [cleanPdf, infectedPdf]) await store.put(contentKey(sha(bytes)), bytes, { size: bytes.length, contentType: "application/pdf" });
  const row = (draftId: string, fileName: string, sha256: string, scan = "pending") => ({
    citizenId: c.id, draftId, slot: "giay-chung-sinh", fileName, mime: "application/pdf", size: 10, sha256, scan,
  });
  // the same clean bytes in two drafts (scanned once), an infected file, one without bytes, one already clean
  await t.db.insert(attachments).values([
    row(d1.id, "a-clean.pdf", sha(cleanPdf)), row(d2.id, "b-clean-again.pdf", sha(cleanPdf)), row(d1.id, "c-infected.pdf", sha(infectedPdf)),
    row(d2.id, "d-missing.pdf", missing), row(d2.id, "e-was-clean.pdf", sha(cleanPdf), "clean"),
  ]);
});
afterAll(async () => {
  await t?.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("rescan of quarantined attachments", () => {
  const before = ["a-clean.pdf pending", "b-clean-again.pdf pending", "c-infected.pdf pending", "d-missing.pdf pending", "e-was-clean.pdf clean"];

  it("changes nothing while clamd is still down, and never releases a file unscanned", async () => {
    expect(await rescanPendingAttachments(t.db, store, { clamd: await deadAddress(), timeoutMs: 2000 })).toEqual({ scanned: 2, released: 0, infected: 0, stillPending: 3 });
    expect(await rescanPendingAttachments(t.db, store, {})).toEqual({ scanned: 0, released: 0, infected: 0, stillPending: 0 });
    expect(await rescanThisHour(t.db, store, {}, new Date("2026-11-28T05:10:00Z"))).toBeUndefined();
    expect(await scans()).toEqual(before);
  });

  it("releases clean files and quarantines infected ones, once per content, on one instance per hour", async () => {
    const clamd = await startFakeClamd();
    try {
      const now = new Date("2026-11-28T06:10:00Z");
      // two instances' hourly jobs at once: one claims the hour, the other does nothing
      const runs = await Promise.all([rescanThisHour(t.db, store, { clamd: clamd.address }, now), rescanThisHour(t.db, store, { clamd: clamd.address }, now)]);
      expect(runs.filter((r) => r === undefined)).toHaveLength(1);
      expect(runs.find((r) => r !== undefined)).toEqual({ scanned: 2, released: 2, infected: 1, stillPending: 1 });
      expect(clamd.streamsScanned()).toBe(2);
      expect(await scans()).toEqual(["a-clean.pdf clean", "b-clean-again.pdf clean", "c-infected.pdf infected", "d-missing.pdf pending", "e-was-clean.pdf clean"]);

      // later in the same hour, nobody runs it again; the next hour finds only the file without bytes
      expect(await rescanThisHour(t.db, store, { clamd: clamd.address }, new Date("2026-11-28T06:50:00Z"))).toBeUndefined();
      expect(await rescanThisHour(t.db, store, { clamd: clamd.address }, new Date("2026-11-28T07:10:00Z"))).toEqual({ scanned: 0, released: 0, infected: 0, stillPending: 1 });
      expect(clamd.streamsScanned()).toBe(2);
    } finally {
      await clamd.close();
    }
  });

  it("never overwrites a verdict: an infected file stays quarantined", async () => {
    await t.db.update(attachments).set({ scan: "pending" }).where(eq(attachments.fileName, "a-clean.pdf"));
    const clamd = await startFakeClamd();
    try {
      expect(await rescanPendingAttachments(t.db, store, { clamd: clamd.address })).toEqual({ scanned: 1, released: 1, infected: 0, stillPending: 1 });
    } finally {
      await clamd.close();
    }
    expect((await scans()).filter((s) => s.startsWith("c-"))).toEqual(["c-infected.pdf infected"]);
  });
});
