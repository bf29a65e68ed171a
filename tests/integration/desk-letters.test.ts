// Letters to the applicant: the refusal notice (status 3) and the apology letter with a new
// appointment date for a late dossier. Each is written with its change in one transaction, read
// back as a PDF in Vietnamese (Noto Sans, diacritics intact), announced by SMS and email through
// the outbox, enqueues the national sync, is audited, and is shown only to its owner and agency.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actOnDossier, listQueue, openDossier, openDossierLetter, rescheduleDossier } from "~/modules/backoffice/desk.server";
import { mayReschedule } from "~/modules/backoffice/permissions";
import { citizenDossier } from "~/modules/dossiers/citizen-view.server";
import { createDossier } from "~/modules/dossiers/dossiers.server";
import type { StaffUser } from "~/modules/identity/staff-auth.server";
import { citizenLetterPdf, letterForNotification } from "~/modules/letters/letters.server";
import { renderMessage } from "~/modules/notifications/notifications.server";
import { citizens, dossierLetters, dossiers, holidays, notifications, staffUsers, syncState } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import { inspectPdf } from "../support/pdf";
import { openTestDb, type TestDb } from "../support/db";

let t: TestDb;
let staff: Record<string, StaffUser>;
let owner: string; // citizen id
let stranger: string; // another citizen
const vn = (s: string) => new Date(`${s}+07:00`);
const flat = (text: string) => text.replace(/\s+/g, " ");

beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  staff = Object.fromEntries((await t.db.select().from(staffUsers)).map((u) => [u.username, u]));
  const [a, b] = await t.db.insert(citizens).values([
    { sub: "sub-a", idNumber: "022085004517", fullName: "Nguyễn Văn An", phone: "0912345678", email: "an@example.com" },
    { sub: "sub-b", idNumber: "022190318264", fullName: "Trần Thị Bình", phone: "0987654321", email: "binh@example.com" },
  ]).returning();
  owner = a.id;
  stranger = b.id;
}, 60_000);
afterAll(() => t?.cleanup());

async function newDossier(opts: { agency?: string; status?: 1 | 2; at?: Date } = {}) {
  const r = await createDossier(t.db, {
    procedureCode: "1.004222", agencyCode: opts.agency ?? "000.01.31.H49", channel: 2, applicantName: "Nguyễn Văn An", applicantIdNumber: "022085004517",
    applicantPhone: "0912345678", applicantEmail: "an@example.com", citizenId: owner, actor: { name: "Nguyễn Văn An", kind: "citizen" }, initialStatus: opts.status, at: opts.at,
  });
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

const wanted = async (id: string) => (await t.db.select({ v: syncState.wantedVersion }).from(syncState).where(eq(syncState.dossierId, id)))[0].v;
const auditCount = async (action: string, code: string) =>
  (await t.query<{ n: number }>("select count(*)::int as n from audit_log where action = $1 and subject_id = $2", [action, code]))[0].n;

describe("refusal notice", () => {
  it("a refusal writes its notice, tells the citizen by SMS and email (the notice attached) and syncs, in one go", async () => {
    const d = await newDossier();
    const before = await wanted(d.id);
    const reason = "Hồ sơ không thuộc thẩm quyền giải quyết của Công an xã; đề nghị nộp tại Công an phường Hồng Gai.";
    const r = await actOnDossier(t.db, staff.motcua01, d.code, "refuse", reason, "test", { legalBasis: "Điều 22 Luật Cư trú số 68/2020/QH14" });
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.status).toBe(3);
    const letterId = r.value.letterId!;

    const [row] = await t.db.select().from(dossierLetters).where(eq(dossierLetters.id, letterId));
    expect(row).toMatchObject({ dossierId: d.id, kind: "refusal", reason, legalBasis: "Điều 22 Luật Cư trú số 68/2020/QH14", officialName: staff.motcua01.fullName });
    expect(await wanted(d.id)).toBe(before + 1);
    const sent = await t.db.select().from(notifications).where(eq(notifications.dossierId, d.id));
    const refused = sent.filter((n) => n.template === "refused");
    expect(refused.map((n) => n.channel).sort()).toEqual(["email", "sms"]);
    for (const n of refused) expect(n.params).toMatchObject({ code: d.code, letter: letterId, note: reason });
    const [audited] = await t.query<{ n: number }>("select count(*)::int as n from audit_log where action = 'dossier.status' and subject_id = $1 and details->>'to' = '3'", [d.code]);
    expect(audited.n).toBe(1);

    const msg = await renderMessage("refused", "vi", refused[0].params as Record<string, string | number>);
    expect(msg.subject).toBe(`Hồ sơ ${d.code} không được tiếp nhận`);
    expect(msg.text).toContain(reason);
    const attached = await letterForNotification(t.db, d.id, letterId, "vi");
    expect(attached?.fileName).toBe(`phieu-tu-choi-${d.code}.pdf`);

    // the notice itself: Noto Sans embedded, no missing glyphs, and what it says
    const pdf = await citizenLetterPdf(t.db, owner, d.code, letterId, "vi");
    if (!pdf) throw new Error("no pdf");
    const doc = await inspectPdf(pdf.pdf);
    expect(doc.fonts.length).toBeGreaterThan(0);
    for (const f of doc.fonts) {
      expect(f.embedded).toBe(true);
      expect(f.baseFont).toMatch(/NotoSans-(Regular|Bold)/);
    }
    expect(doc.notdefCount).toBe(0);
    expect(doc.blankGlyphs).toEqual([]);
    const text = flat(doc.text);
    for (const s of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", `Mã hồ sơ: ${d.code}`,
      "Kính gửi: Ông/Bà Nguyễn Văn An", "Căn cứ quy định tại: Điều 22 Luật Cư trú số 68/2020/QH14.", reason, staff.motcua01.fullName,
      "Đăng ký thường trú",
    ]) expect(text).toContain(s);
    const [agency] = await t.query<{ name_vi: string }>("select name_vi from agencies where code = '000.01.31.H49'");
    expect(text).toContain(agency.name_vi.toLocaleUpperCase("vi").split(" ").slice(0, 3).join(" ")); // letterhead, upper case
    expect(text).toMatch(/Quảng Ninh, ngày \d{2} tháng \d{2} năm \d{4}/);
  });

  it("the legal basis defaults to the procedure's, and a refusal without a reason is refused", async () => {
    const d = await newDossier();
    expect(await actOnDossier(t.db, staff.motcua01, d.code, "refuse", "")).toMatchObject({ ok: false, error: { code: "desk.note_required" } });
    expect((await t.db.select().from(dossierLetters).where(eq(dossierLetters.dossierId, d.id))).length).toBe(0);
    const r = await actOnDossier(t.db, staff.lanhdao01, d.code, "refuse", "Thiếu chữ ký của chủ hộ");
    if (!r.ok) throw new Error(r.error.code);
    const [row] = await t.db.select().from(dossierLetters).where(eq(dossierLetters.id, r.value.letterId!));
    const [p] = await t.query<{ legal_bases: string[] }>("select legal_bases from procedures where code = '1.004222'");
    expect(p.legal_bases.length).toBeGreaterThan(0);
    expect(row.legalBasis).toBe(p.legal_bases.join("; "));
  });

  it("only the owner and the dossier's agency can read the notice; other officials' attempts are audited", async () => {
    const d = await newDossier();
    const r = await actOnDossier(t.db, staff.motcua01, d.code, "refuse", "Giấy tờ không hợp lệ");
    if (!r.ok) throw new Error(r.error.code);
    const id = r.value.letterId!;
    expect(await citizenLetterPdf(t.db, stranger, d.code, id, "vi")).toBeNull();
    expect(await citizenLetterPdf(t.db, owner, "000.02.30.H49-261128-9999", id, "vi")).toBeNull(); // wrong code for the letter
    expect(await citizenLetterPdf(t.db, owner, d.code, "not-a-uuid", "vi")).toBeNull();
    expect(await openDossierLetter(t.db, staff.motcua02, d.code, id, "vi")).toMatchObject({ ok: false, error: { status: 404 } });
    expect(await auditCount("desk.refused_access", d.code)).toBe(1);
    const mine = await openDossierLetter(t.db, staff.chuyenvien01, d.code, id, "en");
    if (!mine.ok) throw new Error(mine.error.code);
    expect(flat((await inspectPdf(mine.value.pdf)).text)).toContain("NOTICE OF REFUSAL TO RECEIVE AND PROCESS A DOSSIER");
    // the desk page and the citizen's page list it
    const opened = await openDossier(t.db, staff.motcua01, d.code);
    expect(opened.ok && opened.value.letters.map((l) => l.id)).toEqual([id]);
    expect((await citizenDossier(t.db, owner, d.code))?.letters.map((l) => l.id)).toEqual([id]);
  });
});

describe("new appointment date and apology letter", () => {
  // Friday 20 November 2026, 10:00 in Viet Nam; Tuesday 24 November is a public holiday (Vietnamese Culture Day)
  const now = vn("2026-11-20T10:00:00");
  let d: { id: string; code: string };
  const due = vn("2026-11-23T17:00:00"); // Monday

  beforeAll(async () => {
    d = await newDossier({ status: 2, at: vn("2026-11-09T08:00:00") });
    await actOnDossier(t.db, staff.chuyenvien01, d.code, "process", "");
    await t.db.update(dossiers).set({ dueAt: due }).where(eq(dossiers.id, d.id));
  });

  const reschedule = (newDate: string, reason = "Chờ kết quả xác minh của Công an tỉnh", who = "chuyenvien01", code = d.code) =>
    rescheduleDossier(t.db, staff[who], code, { newDate, reason }, "test", now);

  it("refuses dates that are not a working day after today and after the current appointment", async () => {
    const cases: [string, string][] = [
      ["2026-11-20", "letters.not_after_today"], ["2026-11-19", "letters.not_after_today"],
      ["2026-11-22", "letters.not_working_day"], // Sunday
      ["2026-11-24", "letters.not_working_day"], // the holiday table's day off
      ["2026-11-23", "letters.not_later"], // the current appointment's own day
      ["2026-02-30", "letters.bad_date"], ["26-11-25", "letters.bad_date"],
      ["2028-01-05", "letters.too_far"],
    ];
    for (const [date, code] of cases) expect(await reschedule(date), date).toMatchObject({ ok: false, error: { code, status: 400 } });
    expect(await reschedule("2026-11-25", "   ")).toMatchObject({ ok: false, error: { code: "letters.reason_required" } });
    const [row] = await t.db.select({ dueAt: dossiers.dueAt }).from(dossiers).where(eq(dossiers.id, d.id));
    expect(row.dueAt).toEqual(due);
    expect((await t.db.select().from(dossierLetters).where(eq(dossierLetters.dossierId, d.id))).length).toBe(0);
  });

  it("sets the new due date (end of that working day), writes the apology, notifies, syncs and audits together", async () => {
    const before = await wanted(d.id);
    const reason = "Chờ kết quả xác minh nơi cư trú của Công an tỉnh Quảng Ninh";
    const r = await reschedule("2026-11-25", reason);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.dueAt).toEqual(vn("2026-11-25T17:00:00"));
    const [row] = await t.db.select({ dueAt: dossiers.dueAt, status: dossiers.status }).from(dossiers).where(eq(dossiers.id, d.id));
    expect(row).toEqual({ dueAt: vn("2026-11-25T17:00:00"), status: 4 });
    const [letter] = await t.db.select().from(dossierLetters).where(eq(dossierLetters.id, r.value.letterId));
    expect(letter).toMatchObject({ kind: "apology", reason, previousDueAt: due, newDueAt: vn("2026-11-25T17:00:00") });
    expect(await wanted(d.id)).toBe(before + 1); // NgayHenTra travels with the dossier's sync
    const apology = (await t.db.select().from(notifications).where(eq(notifications.dossierId, d.id))).filter((n) => n.template === "apology");
    expect(apology.map((n) => n.channel).sort()).toEqual(["email", "sms"]);
    for (const n of apology) expect(n.params).toMatchObject({ code: d.code, date: "25/11/2026", letter: r.value.letterId });
    const msg = await renderMessage("apology", "vi", apology[0].params as Record<string, string | number>);
    expect(msg.subject).toContain("25/11/2026");
    expect(msg.sms).toContain("25/11/2026");
    const [audit] = await t.query<{ details: { from: string; to: string; reason: string } }>("select details from audit_log where action = 'dossier.reschedule' and subject_id = $1", [d.code]);
    expect(audit.details).toMatchObject({ from: due.toISOString(), to: vn("2026-11-25T17:00:00").toISOString(), reason });

    // the citizen's page and the desk queue show the new date
    const view = await citizenDossier(t.db, owner, d.code);
    expect(view?.dossier.dueAt).toEqual(vn("2026-11-25T17:00:00"));
    expect(view?.letters.map((l) => [l.kind, l.newDueAt])).toEqual([["apology", vn("2026-11-25T17:00:00")]]);
    const queue = await listQueue(t.db, staff.motcua01, { q: d.code });
    expect(queue.items).toEqual([expect.objectContaining({ code: d.code, dueAt: vn("2026-11-25T17:00:00").toISOString(), rescheduled: true })]);

    const pdf = await citizenLetterPdf(t.db, owner, d.code, r.value.letterId, "vi");
    if (!pdf) throw new Error("no pdf");
    const doc = await inspectPdf(pdf.pdf);
    expect(doc.notdefCount).toBe(0);
    expect(doc.blankGlyphs).toEqual([]);
    const text = flat(doc.text);
    for (const s of ["PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", `Mã hồ sơ: ${d.code}`, reason, "23/11/2026 17:00", "25/11/2026 17:00", "thành thật xin lỗi", "hẹn trả kết quả vào ngày 25/11/2026", staff.chuyenvien01.fullName]) {
      expect(text).toContain(s);
    }
    expect(pdf.fileName).toBe(`phieu-xin-loi-${d.code}.pdf`);
    expect(await letterForNotification(t.db, d.id, r.value.letterId, "en").then((l) => l && inspectPdf(l.pdf)).then((x) => x && flat(x.text))).toContain("LETTER OF APOLOGY AND NEW APPOINTMENT FOR RESULTS");
  });

  it("a make-up working Saturday in the holiday table is a working day", async () => {
    await t.db.insert(holidays).values({ date: "2026-12-05", isWorkingDay: true, name: "Làm bù", kind: "make_up", official: false }).onConflictDoUpdate({ target: holidays.date, set: { isWorkingDay: true } });
    expect(await reschedule("2026-12-06")).toMatchObject({ ok: false, error: { code: "letters.not_working_day" } }); // Sunday
    const r = await reschedule("2026-12-05", "Chờ ý kiến của Sở Tư pháp");
    expect(r).toMatchObject({ ok: true, value: { dueAt: vn("2026-12-05T17:00:00") } });
  });

  it("only for the agency's own dossiers being handled; other agencies' attempts are audited", async () => {
    expect(mayReschedule("admin")).toBe(false);
    expect(mayReschedule("specialist")).toBe(true);
    expect(await reschedule("2026-12-10", "Lý do", "motcua02")).toMatchObject({ ok: false, error: { status: 404 } });
    expect(await auditCount("desk.refused_access", d.code)).toBe(1);
    const fresh = await newDossier(); // status 1: not received, no due date yet
    expect(await reschedule("2026-12-10", "Lý do", "motcua01", fresh.code)).toMatchObject({ ok: false, error: { code: "letters.not_now", status: 409 } });
    const waiting = await newDossier({ status: 2 });
    await actOnDossier(t.db, staff.chuyenvien01, waiting.code, "process", "");
    await actOnDossier(t.db, staff.chuyenvien01, waiting.code, "requestSupplement", "Bổ sung sổ hộ khẩu");
    expect(await reschedule("2026-12-10", "Lý do", "motcua01", waiting.code)).toMatchObject({ ok: false, error: { code: "letters.not_now" } });
    const [{ n }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(dossierLetters).where(eq(dossierLetters.dossierId, waiting.id));
    expect(n).toBe(0);
  });
});
