// Every kind of visitor the portal has, signed in by writing sessions straight into the test's
// database: nobody, a citizen with a ready draft, a desk officer, a leader, an administrator, and
// a commune police officer at an enrolled kiosk (with a kiosk session of their own for /quay).
// For the in-process system tests that ask the production build as each of them.
import { and, eq, sql } from "drizzle-orm";
import { createSession, csrfTokenOf, tokenHash } from "~/modules/identity/sessions.server";
import { enrolDevice } from "~/modules/kiosk/devices.server";
import { requireKiosk } from "~/modules/kiosk/guard.server";
import { startSession } from "~/modules/kiosk/sessions.server";
import type { AppDb } from "~db/client.server";
import { dossiers, sessions, staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { DEMO_KIOSKS, seedDemoDossiers, seedDemoKiosks, seedDemoStaff } from "~db/seed-demo";
import { communeCommittees, insertCitizens, insertReadyDrafts, type ReadyDraft } from "./filing-drafts";
import type { FileStorage } from "~/modules/storage/storage.server";
import { testServices } from "./services";

export interface Visitors {
  /** Cookie header per visitor ("" for nobody). */
  cookies: Record<string, string>;
  /** Each visitor's valid CSRF token (the police officer's kiosk session has its own, for /quay). */
  csrf: Record<string, { main: string; quay?: string }>;
  /** The citizen's complete draft, at the review step. */
  draft: ReadyDraft;
  /** A dossier at the desk officer's agency. */
  dossierCode: string | null;
}

/** Seeds the catalogue and the demo staff, dossiers and kiosks, then signs everyone in. */
export async function seedVisitors(db: AppDb, storage: FileStorage = testServices().storage): Promise<Visitors> {
  await seedCatalog(db);
  await seedDemoStaff(db);
  await seedDemoDossiers(db);
  await seedDemoKiosks(db);
  const cookies: Record<string, string> = { nobody: "" };
  const csrf: Record<string, { main: string; quay?: string }> = { nobody: { main: "" } };
  const [citizen] = await insertCitizens(db, 1);
  const [draft] = await insertReadyDrafts(db, [citizen], await communeCommittees(db));
  const session = async (kind: "citizen" | "staff", userId: string) => {
    const token = await createSession(db, { kind, userId, stage: "full", ttlMs: 3600_000 });
    const [row] = await db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
    return { cookie: `qn_${kind}=${token}`, csrf: csrfTokenOf(row) };
  };
  const own = await session("citizen", citizen.id);
  [cookies.citizen, csrf.citizen] = [own.cookie, { main: own.csrf }];
  const staff = async (v: string, username: string) => {
    const [u] = await db.select().from(staffUsers).where(eq(staffUsers.username, username));
    const s = await session("staff", u.id);
    [cookies[v], csrf[v]] = [s.cookie, { main: s.csrf }];
  };
  await staff("desk", "motcua01");
  await staff("leader", "lanhdao01");
  await staff("admin", "quantri");
  await staff("police", "congan01");
  const device = await enrolDevice(db, DEMO_KIOSKS[0].enrolCode);
  if (!device.ok) throw new Error(device.error.code);
  const kioskBase = `qn_kiosk_device=${device.value.token}; ${cookies.police}`;
  const officer = await requireKiosk(db, storage, new Request("http://127.0.0.1/quay", { headers: { cookie: kioskBase } }), "officer");
  cookies.police = `${kioskBase}; qn_kiosk=${(await startSession(db, storage, officer)).token}`;
  csrf.police.quay = (await requireKiosk(db, storage, new Request("http://127.0.0.1/quay", { headers: { cookie: cookies.police } }), "session")).csrf;
  const [dossier] = await db.select({ code: dossiers.code }).from(dossiers).where(and(eq(dossiers.agencyCode, "000.01.31.H49"), sql`true`)).limit(1);
  return { cookies, csrf, draft, dossierCode: dossier?.code ?? null };
}
