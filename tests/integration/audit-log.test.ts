// npm run audit:verify passes on a clean log and fails, naming the row, after any single row is
// edited or deleted directly in the database.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditLog } from "~/modules/audit/audit.server";
import { changeStatus, createDossier } from "~/modules/dossiers/dossiers.server";
import { openDb, type DbHandle } from "~db/client.server";
import { seedCatalog } from "~db/seed";
import { createScratchDatabase, usingPostgres } from "../support/db";

let h: DbHandle;
let env: Record<string, string>;
let cleanup: () => Promise<void>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "audit-"));

async function open() {
  h = usingPostgres() ? await openDb({ databaseUrl: env.DATABASE_URL }) : await openDb({ pgliteDir: env.PGLITE_DIR });
}
/** Runs the real CLI (the embedded database allows one process at a time: close ours first). */
async function cli() {
  await h.close();
  const r = spawnSync(process.execPath, ["--import", "tsx", "app/cli/audit-verify.server.ts"], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 });
  await open();
  return { code: r.status, out: r.stdout + r.stderr };
}
const tamper = async (statement: string) => {
  await h.query("alter table audit_log disable trigger audit_log_append_only");
  await h.query(statement);
  await h.query("alter table audit_log enable trigger audit_log_append_only");
};

beforeAll(async () => {
  if (usingPostgres()) {
    const s = await createScratchDatabase(process.env.DATABASE_URL!, "audit");
    env = { DATABASE_URL: s.url };
    cleanup = s.drop;
  } else {
    env = { DATABASE_URL: "", PGLITE_DIR: path.join(tmp, "db") };
    cleanup = async () => fs.rmSync(tmp, { recursive: true, force: true });
  }
  await open();
  await seedCatalog(h.db);
  for (let i = 0; i < 5; i++) {
    const r = await createDossier(h.db, { procedureCode: "1.004222", agencyCode: "000.01.31.H49", channel: 2, applicantName: `Dân ${i}`, actor: { name: `Dân ${i}`, kind: "citizen", id: `0220900000${i}` } });
    if (!r.ok) throw new Error(r.error.code);
    await changeStatus(h.db, { dossierId: r.value.id, to: 2, actor: { name: "Cán bộ một cửa", kind: "official", id: "off-1", device: "pc-07" } });
  }
}, 120_000);
afterAll(async () => {
  await h?.close();
  await cleanup?.();
});

describe("audit log", () => {
  it("records every change, and a clean log verifies", async () => {
    const r = await verifyAuditLog(h.db);
    expect(r).toMatchObject({ ok: true, rows: 10 });
    const run = await cli();
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/audit log OK: 10 rows/);
  }, 60_000);

  it("refuses updates and deletes at the database", async () => {
    await expect(h.query("update audit_log set actor_id = 'x' where id = 3")).rejects.toThrow(/append-only/);
    await expect(h.query("delete from audit_log where id = 3")).rejects.toThrow(/append-only/);
  });

  it("names the row that was edited, and passes again once it is restored", async () => {
    const [orig] = await h.query<{ actor_id: string }>("select actor_id from audit_log where id = 4");
    await tamper("update audit_log set actor_id = 'someone-else' where id = 4");
    const run = await cli();
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/BROKEN at row 4: its content does not match its hash/);
    await tamper(`update audit_log set actor_id = '${orig.actor_id}' where id = 4`);
    expect((await verifyAuditLog(h.db)).ok).toBe(true);
  }, 60_000);

  it("detects a deleted row in the middle, at the first row, and at the end", async () => {
    const rows = await h.query<Record<string, unknown>>("select * from audit_log order by id");
    const restore = async (r: Record<string, unknown>) => {
      await h.query("alter table audit_log disable trigger audit_log_append_only");
      await h.query(
        "insert into audit_log (id, at, actor_kind, actor_id, action, subject_kind, subject_id, device, details, prev_hash, hash) values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
        [r.id, r.at, r.actor_kind, r.actor_id, r.action, r.subject_kind, r.subject_id, r.device, JSON.stringify(r.details), r.prev_hash, r.hash],
      );
      await h.query("alter table audit_log enable trigger audit_log_append_only");
    };
    for (const [id, expected] of [[6, /BROKEN at row 7: it does not follow the row before it/], [1, /BROKEN at row 2: the first row does not start the chain/], [10, /BROKEN at row 10: .*rows at the end were deleted/]] as const) {
      const row = rows.find((r) => Number(r.id) === id)!;
      await tamper(`delete from audit_log where id = ${id}`);
      const run = await cli();
      expect(run.code).toBe(1);
      expect(run.out).toMatch(expected);
      await restore(row);
      expect((await verifyAuditLog(h.db)).ok).toBe(true);
    }
  }, 120_000);
});
