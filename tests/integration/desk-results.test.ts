// Result documents: attached by the official when completing or returning a dossier, through the
// streamed upload, inspection, scan and content-addressed storage citizens' files go through; the
// attachment rows commit with the status change or not at all; the citizen who owns the dossier
// downloads them once it is returned, nobody else ever.
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discard } from "~/modules/attachments/upload.server";
import { actOnDossier, openDossierFile } from "~/modules/backoffice/desk.server";
import { citizenDossier } from "~/modules/dossiers/citizen-view.server";
import { createDossier } from "~/modules/dossiers/dossiers.server";
import type { StaffUser } from "~/modules/identity/staff-auth.server";
import { citizenResultFile, receiveResultUploads, RESULT_SLOT } from "~/modules/results/results.server";
import { contentKey } from "~/modules/storage/storage.server";
import { attachments, citizens, staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import { openTestDb, type TestDb } from "../support/db";
import { useScratchStorage } from "../support/scratch-storage";
import { testServices } from "../support/services";

let t: TestDb;
let work: ReturnType<typeof useScratchStorage> | undefined;
/** Built on first use: after beforeAll has pointed STORAGE_DIR at this file's scratch directory. */
const services = testServices();
let staff: Record<string, StaffUser>;
let owner: string;
let stranger: string;

beforeAll(async () => {
  work = useScratchStorage("qn-results-");
  t = await openTestDb();
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  staff = Object.fromEntries((await t.db.select().from(staffUsers)).map((u) => [u.username, u]));
  const [a, b] = await t.db.insert(citizens).values([
    { sub: "sub-a", idNumber: "022085004517", fullName: "Nguyễn Văn An", phone: "0912345678" },
    { sub: "sub-b", idNumber: "022190318264", fullName: "Trần Thị Bình", phone: "0987654321" },
  ]).returning();
  owner = a.id;
  stranger = b.id;
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
  work?.remove();
});

async function receivedDossier() {
  const r = await createDossier(t.db, { procedureCode: "1.004222", agencyCode: "000.01.31.H49", channel: 2, applicantName: "Nguyễn Văn An", citizenId: owner, actor: { name: "Nguyễn Văn An", kind: "citizen" }, initialStatus: 2 });
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

async function pdfBytes(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]).drawText(text);
  return Buffer.from(await doc.save());
}

function pngBytes(): Buffer {
  const image = new PNG({ width: 4, height: 4 });
  image.data.fill(90);
  return PNG.sync.write(image);
}

/** The desk's multipart form: fields and files as a browser sends them. */
function deskForm(fields: Record<string, string>, files: { name: string; bytes: Buffer; type: string }[]) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const f of files) fd.append(RESULT_SLOT, new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
  return new Request("http://portal.test/can-bo/ho-so/x", { method: "POST", body: fd });
}

/** Receives the upload and acts, as the route does. */
async function actWith(who: string, code: string, action: "complete" | "returnResult" | "process", files: { name: string; bytes: Buffer; type: string }[]) {
  const received = await receiveResultUploads(deskForm({ csrf: "x", action }, files));
  if (!received.ok) return { ok: false as const, error: received.error };
  try {
    return await actOnDossier(t.db, staff[who], code, action, "", "test", { results: { files: received.files, storage: services.storage } });
  } finally {
    await discard(received.files);
  }
}

const sha = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");

describe("result documents", () => {
  it("attached when completing and returning; the owner downloads them once returned, nobody else", async () => {
    const d = await receivedDossier();
    await actOnDossier(t.db, staff.chuyenvien01, d.code, "process", "");
    const certificate = await pdfBytes("Xac nhan thuong tru");
    const done = await actWith("chuyenvien01", d.code, "complete", [{ name: "Giấy xác nhận thường trú.pdf", bytes: certificate, type: "application/pdf" }]);
    expect(done).toMatchObject({ ok: true, value: { status: 9, results: 1 } });
    const rows = await t.db.select().from(attachments).where(eq(attachments.dossierId, d.id));
    expect(rows).toEqual([expect.objectContaining({ slot: RESULT_SLOT, fileName: "Giấy xác nhận thường trú.pdf", mime: "application/pdf", sha256: sha(certificate), scan: "clean", citizenId: null })]);
    expect(await services.storage.head(contentKey(sha(certificate)))).toEqual({ size: certificate.length });
    const [audit] = await t.query<{ n: number }>("select count(*)::int as n from audit_log where action = 'dossier.results' and subject_id = $1", [d.code]);
    expect(audit.n).toBe(1);

    // done (9) but not yet returned: not the citizen's yet
    const fileId = rows[0].id;
    expect(await citizenResultFile(t.db, owner, d.code, fileId)).toMatchObject({ ok: false, error: { status: 404 } });
    expect((await citizenDossier(t.db, owner, d.code))?.results).toEqual([]);

    const photo = pngBytes();
    expect(await actWith("motcua01", d.code, "returnResult", [{ name: "anh-ket-qua.png", bytes: photo, type: "image/png" }])).toMatchObject({ ok: true, value: { status: 10, results: 1 } });
    const mine = await citizenResultFile(t.db, owner, d.code, fileId);
    expect(mine).toMatchObject({ ok: true, value: { fileName: "Giấy xác nhận thường trú.pdf", mime: "application/pdf", sha256: sha(certificate) } });
    const view = await citizenDossier(t.db, owner, d.code);
    expect(view?.results.map((f) => f.fileName)).toEqual(["Giấy xác nhận thường trú.pdf", "anh-ket-qua.png"]);
    expect(view?.files.some((f) => f.slot === RESULT_SLOT)).toBe(false); // not among the filed documents

    // another citizen, a wrong code, a malformed id: 404, the same answer as for nothing at all
    expect(await citizenResultFile(t.db, stranger, d.code, fileId)).toMatchObject({ ok: false, error: { status: 404 } });
    expect(await citizenResultFile(t.db, owner, "000.01.31.H49-261128-9999", fileId)).toMatchObject({ ok: false, error: { status: 404 } });
    expect(await citizenResultFile(t.db, owner, d.code, "../../etc/passwd")).toMatchObject({ ok: false, error: { status: 404 } });
    // officials of another agency neither
    expect(await openDossierFile(t.db, staff.motcua02, d.code, fileId)).toMatchObject({ ok: false, error: { status: 404 } });
    expect(await openDossierFile(t.db, staff.motcua01, d.code, fileId)).toMatchObject({ ok: true });
  });

  it("refuses results with other actions and files that are not what they claim, storing nothing", async () => {
    const d = await receivedDossier();
    const bytes = await pdfBytes("Khong duoc luu");
    expect(await actWith("chuyenvien01", d.code, "process", [{ name: "ket-qua.pdf", bytes, type: "application/pdf" }])).toMatchObject({ ok: false, error: { code: "results.not_with_this_action" } });
    const fake = await actWith("chuyenvien01", d.code, "complete", [{ name: "ket-qua.pdf", bytes: Buffer.from("<html><script>alert(1)</script></html>"), type: "application/pdf" }]);
    expect(fake).toMatchObject({ ok: false, error: { status: 415 } });
    expect(await t.db.select().from(attachments).where(eq(attachments.dossierId, d.id))).toEqual([]);
    expect(await services.storage.head(contentKey(sha(bytes)))).toBeNull();
  });

  it("an illegal transition keeps neither the rows nor the stored bytes", async () => {
    const d = await receivedDossier(); // status 2: cannot be completed
    const bytes = await pdfBytes("Hoan thanh qua som");
    const r = await actWith("chuyenvien01", d.code, "complete", [{ name: "som.pdf", bytes, type: "application/pdf" }]);
    expect(r).toMatchObject({ ok: false, error: { code: "dossier.illegal_transition" } });
    expect(await t.db.select().from(attachments).where(eq(attachments.dossierId, d.id))).toEqual([]);
    expect(await services.storage.head(contentKey(sha(bytes)))).toBeNull();
  });
});
