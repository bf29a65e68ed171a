// The property behind the pull parser's tests (tests/integration/national-pull-property.test.ts,
// a small run; tests/reliability/national-pull-property.test.ts, the big one): arbitrary answers
// of LayHoSoTuDVCQG — pages well formed or not, entries valid, broken, hostile (NUL, huge text,
// lone surrogates, SQL-ish, wrong types) — fed through the real parser (client.ts) into a round
// of the pull on the real database. Whatever comes:
//   - the round never throws;
//   - no national dossier is left without its first event or its receipt;
//   - the stored cursor is never past a valid dossier that was neither stored nor refused;
//   - nothing of a page after the stored cursor is stored;
//   - pages that all parse are all taken (no entry blocks the pull).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pullFromNational } from "~/modules/sync/inbound-pull.server";
import { NationalPortalClient, readPulledEntry } from "~integrations/national-portal/client";
import { PullPage } from "~integrations/national-portal/contract";
import type { CallOutcome, OnCall, Service } from "~integrations/national-portal/port";
import { seedCatalog } from "~db/seed";
import { openTestDb, type TestDb } from "./db";

/** A transport answering the pages given, in turn, then "nothing more" from where it was asked. */
class ScriptedPull extends NationalPortalClient {
  readonly madonvi = "000.00.00.H49";
  constructor(private pages: CallOutcome[]) {
    super();
  }
  async call(_service: Service, payload: Record<string, unknown>, _onCall?: OnCall): Promise<CallOutcome> {
    return this.pages.shift() ?? { kind: "ok", answer: { error_code: 0, message: "", result: { data: [], cursor: (payload.cursor as string | undefined) ?? null, conTiep: false } } };
  }
}

const hostile = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom("\u0000", "Nguyễn\u0000Văn", "\ud800", "\udfff lẻ", "'; drop table dossiers; --", "<script>alert(1)</script>", "  ", ""),
  fc.integer({ min: 1, max: 20_000 }).map((n) => "ạ".repeat(n)),
);
const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));

let serial = 0;
/** A dossier of the contract, for a procedure and agency the seeded catalogue knows (or, sometimes, does not). */
const validDossier = fc.record({ known: fc.boolean(), first: fc.integer({ min: 1, max: 3 }) }).map(({ known, first }) => ({
  MaHoSo: `000.05.31.H49-20261208-${String(++serial).padStart(7, "0")}`,
  MaTTHC: known || first > 1 ? "1.004222" : "1.999999",
  TenTTHC: "Đăng ký thường trú", KenhThucHien: 2, ChuHoSo: "Nguyễn Văn An", LoaiDoiTuong: 1,
  NgayNopHoSo: "20261208090000", TrangThaiHoSo: first === 3 ? 2 : 1, DonViXuLy: "000.05.31.H49",
}));
const FIELDS = ["MaHoSo", "MaTTHC", "TenTTHC", "ChuHoSo", "TrichYeuHoSo", "NoiNopHoSo", "NgayNopHoSo", "KenhThucHien", "TrangThaiHoSo", "DonViXuLy", "Email", "TaiLieuNop"] as const;
const entry = fc.oneof(
  { weight: 4, arbitrary: validDossier },
  // one field hostile or of the wrong type
  { weight: 4, arbitrary: fc.tuple(validDossier, fc.constantFrom(...FIELDS), fc.oneof(hostile, wrongType)).map(([d, k, v]) => ({ ...d, [k]: v })) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);

let pageSerial = 0;
const wellFormed = fc.record({ data: fc.array(entry, { maxLength: 6 }), conTiep: fc.boolean() }).map((p) => ({ ...p, cursor: `c${++pageSerial}` }));
const ok = (result: unknown): CallOutcome => ({ kind: "ok", answer: { error_code: 0, message: "", result } });
const answer: fc.Arbitrary<CallOutcome> = fc.oneof(
  { weight: 6, arbitrary: wellFormed.map(ok) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }).map(ok) },
  { weight: 1, arbitrary: fc.record({ data: fc.oneof(fc.anything({ maxDepth: 1 }), fc.constant(Array.from({ length: 501 }, () => ({})))), cursor: fc.oneof(hostile, wrongType), conTiep: fc.anything({ maxDepth: 0 }) }).map(ok) },
  { weight: 1, arbitrary: fc.constant<CallOutcome>({ kind: "retry", reason: "HTTP 502" }) },
  { weight: 1, arbitrary: fc.constant<CallOutcome>({ kind: "refused", code: 2, message: "từ chối", answer: { error_code: 2, message: "từ chối" } }) },
);

const codesOf = (pages: CallOutcome[]) =>
  pages.map((p) => {
    const r = p.kind === "ok" ? (p.answer.result as { data?: unknown; cursor?: unknown } | null) : null;
    const data = r && Array.isArray(r.data) ? r.data : [];
    const wellFormed = PullPage.safeParse(r).success;
    return { cursor: r?.cursor, wellFormed, more: (r as { conTiep?: unknown } | null)?.conTiep === true, valid: data.map(readPulledEntry).flatMap((e) => ("reason" in e ? [] : [e.MaHoSo])) };
  });

async function checkPullProperty(t: TestDb, runs: number) {
  await fc.assert(
    fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 4 }), async (pages) => {
      await t.query("delete from inbound_cursors");
      const script = codesOf(pages);
      const out = await pullFromNational(t.db, new ScriptedPull([...pages]), { pageSize: 500, maxPages: 5 });
      expect(out.kind).toBe("pulled");
      const partial = await t.query(
        `select d.code from dossiers d where d.origin = 'national' and (
           not exists (select 1 from dossier_events e where e.dossier_id = d.id and e.seq = 1)
           or not exists (select 1 from inbound_receipts r where r.dossier_id = d.id))`);
      expect(partial).toEqual([]);
      const [cursor] = await t.query<{ position: string | null }>("select position from inbound_cursors");
      // the page whose cursor is stored (only a page that parsed has one: a string)
      const upTo = cursor?.position == null ? -1 : script.findIndex((p) => typeof p.cursor === "string" && p.cursor === cursor.position);
      const codes = script.flatMap((p) => p.valid);
      const stored = new Set((await t.query<{ code: string }>(
        `select code from dossiers where code = any($1::text[])
         union select national_code from inbound_refusals where national_code = any($1::text[])`, [codes])).map((r) => r.code));
      // pages that all parse are all taken, up to the one saying no more follow: no entry, however
      // hostile, blocks the pull
      const end = script.findIndex((p) => !p.wellFormed || !p.more);
      if (end === -1 || script[end].wellFormed) {
        expect(out.kind === "pulled" && out.error, "a round of well-formed pages failed").toBeFalsy();
        expect(cursor?.position).toBe(script[end === -1 ? script.length - 1 : end].cursor);
      }
      // everything valid up to the cursor was stored or refused; nothing after it was
      script.forEach((p, i) => {
        for (const code of p.valid) expect(stored.has(code), `${code} on page ${i}, cursor at page ${upTo}`).toBe(i <= upTo);
      });
    }),
    { numRuns: runs },
  );
}

/** The property's test, on a scratch database with the seeded catalogue, over `runs` cases. */
export function describePullProperty(runs: number, timeoutMs: number) {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
    await seedCatalog(t.db);
  });
  afterAll(async () => t?.cleanup());
  describe(`pull of national filings, ${runs} arbitrary answers`, () => {
    it("never throws, never leaves a partial dossier, never moves the cursor past a dossier it did not store or refuse", () => checkPullProperty(t, runs), timeoutMs);
  });
}
