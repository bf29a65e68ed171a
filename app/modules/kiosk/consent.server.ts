// Identifying the citizen at the kiosk and their consent by a one-time code sent to the phone on
// record in the population database. Consent from the citizen's own e-ID is eid-consent.server.ts.
import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { config } from "~/config.server";
import type { Lng } from "~/i18n";
import { i18nFor } from "~/i18next.server";
import { err, ok, type Result } from "~/lib/result";
import { appendAudit } from "~/modules/audit/audit.server";
import { checkIdentity, grantAssistedConsent } from "~/modules/identity/assisted.server";
import { hitRateLimit } from "~/modules/identity/sessions.server";
import type { AppDb } from "~db/client.server";
import { kioskApprovals, kioskConsentCodes, kioskSessions } from "~db/schema";
import type { SmsSender } from "~integrations/notify/port";
import type { PopulationRegistry } from "~integrations/population/port";
import type { KioskContext } from "./guard.server";
import { KioskErrors } from "./kiosk.errors";
import { maskPhone, type ManualIdentify } from "./kiosk.schema";

export const CONSENT_SCOPE = "kiosk.assisted_filing";
export const MAX_CODE_ATTEMPTS = 5;
/** Per officer and per device, never per address: a commune's kiosks sit behind one NAT. */
export const LIMITS = {
  identify: { officer: 30, device: 60, windowMs: 15 * 60_000 },
  sendCode: { officer: 10, device: 20, windowMs: 15 * 60_000 },
  verify: { officer: 30, device: 60, windowMs: 15 * 60_000 },
  /** e-ID approval requests: like sending codes. */
  approval: { officer: 10, device: 20, windowMs: 15 * 60_000 },
};

// a consent code is salted with its session: the same six digits hash differently in each session
const codeHash = (sessionId: string, code: string) => createHash("sha256").update(`kiosk-consent:${sessionId}:${code}`).digest("hex");

/** Null when within the limits; otherwise the seconds to wait (the anomaly is audited). */
export async function limited(db: AppDb, ctx: KioskContext, what: keyof typeof LIMITS): Promise<number | null> {
  const l = LIMITS[what];
  const a = await hitRateLimit(db, `kiosk:${what}:officer:${ctx.officer.id}`, l.officer, l.windowMs);
  const b = await hitRateLimit(db, `kiosk:${what}:device:${ctx.device.id}`, l.device, l.windowMs);
  if (a.ok && b.ok) return null;
  await db.transaction((tx) => appendAudit(tx, {
    actorKind: "officer", actorId: ctx.officer.username, device: `kiosk:${ctx.device.id}`, action: "kiosk.anomaly", subjectKind: "kiosk", subjectId: ctx.device.id,
    details: { what, officer: !a.ok, device: !b.ok },
  }));
  return Math.max(a.ok ? 0 : a.retryAfterS, b.ok ? 0 : b.retryAfterS);
}

/**
 * Identifies the citizen (from the chip card's QR or typed) against the population database: the
 * identity number, name and birth date must match its record. Then a consent code goes to the
 * phone on record; a citizen without one can only approve from their own e-ID (maskedPhone null).
 * Nothing personal comes back but the masked phone.
 */
export async function identifyCitizen(
  db: AppDb, ctx: KioskContext, input: ManualIdentify & { via: "qr" | "manual" }, services: { population: PopulationRegistry; sms: SmsSender; lng: Lng },
): Promise<Result<{ maskedPhone: string | null }>> {
  if (!ctx.session) return err(KioskErrors.noSession());
  const wait = await limited(db, ctx, "identify");
  if (wait !== null) return err(KioskErrors.rateLimited(wait));
  const checked = await checkIdentity(db, input, {
    id: ctx.officer.id, username: ctx.officer.username, device: `kiosk:${ctx.device.id}`, requestId: `kiosk:${ctx.session.id}`, purpose: "kiosk.identify", via: input.via,
  }, services.population);
  if (checked.kind === "unavailable") return err(KioskErrors.registryUnavailable());
  if (checked.kind !== "found") return err(KioskErrors.notMatched());
  const found = checked.record;
  await db.delete(kioskApprovals).where(eq(kioskApprovals.sessionId, ctx.session.id));
  await db.update(kioskSessions).set({ state: "awaiting_consent", idNumber: found.identityNumber, fullName: found.fullName, phone: found.phone ?? null, citizenId: null, consentId: null })
    .where(eq(kioskSessions.id, ctx.session.id));
  // no phone on record: no code can be sent; the citizen approves from their own e-ID
  if (!found.phone) return ok({ maskedPhone: null });
  const sent = await sendConsentCode(db, { ...ctx, session: { ...ctx.session, phone: found.phone, state: "awaiting_consent" } }, services);
  if (!sent.ok) return sent;
  return ok({ maskedPhone: maskPhone(found.phone) });
}

/** A new six-digit code to the phone on record (earlier codes of the session die). */
export async function sendConsentCode(db: AppDb, ctx: KioskContext, services: { sms: SmsSender; lng: Lng; now?: Date }): Promise<Result<{ maskedPhone: string }>> {
  const s = ctx.session;
  if (!s || s.state !== "awaiting_consent") return err(KioskErrors.noSession());
  if (!s.phone) return err(KioskErrors.noPhone());
  const wait = await limited(db, ctx, "sendCode");
  if (wait !== null) return err(KioskErrors.rateLimited(wait));
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const now = services.now ?? new Date();
  const [row] = await db.transaction(async (tx) => {
    await tx.delete(kioskConsentCodes).where(eq(kioskConsentCodes.sessionId, s.id));
    return tx.insert(kioskConsentCodes).values({ sessionId: s.id, codeHash: codeHash(s.id, code), expiresAt: new Date(now.getTime() + config().KIOSK_CODE_TTL_SECONDS * 1000), createdAt: now })
      .returning({ id: kioskConsentCodes.id });
  });
  const i18n = await i18nFor(services.lng);
  const text = i18n.t("kiosk.sms.consent", { code, minutes: Math.round(config().KIOSK_CODE_TTL_SECONDS / 60), interpolation: { escapeValue: false } });
  // sent now, not through the outbox: the code is never written anywhere in clear
  const r = await services.sms.send({ to: s.phone, text, ref: `kiosk-consent-${row.id}` });
  if (!r.ok) {
    await db.delete(kioskConsentCodes).where(eq(kioskConsentCodes.id, row.id));
    return err(KioskErrors.smsFailed());
  }
  return ok({ maskedPhone: maskPhone(s.phone) });
}

/**
 * Checks a consent code: the session's latest code, unexpired, unused, with attempts left (each
 * try counts, right or wrong, before the comparison). The right code is used once; consent is
 * recorded (scope, channel, time, officer, device) and the citizen's account is found or opened.
 */
export async function verifyConsentCode(db: AppDb, ctx: KioskContext, code: string, now = new Date()): Promise<Result<{ citizenId: string }>> {
  const s = ctx.session;
  if (!s || !s.idNumber || !s.fullName) return err(KioskErrors.noSession());
  const wait = await limited(db, ctx, "verify");
  if (wait !== null) return err(KioskErrors.rateLimited(wait));
  const [latest] = await db.select().from(kioskConsentCodes).where(eq(kioskConsentCodes.sessionId, s.id)).orderBy(desc(kioskConsentCodes.createdAt)).limit(1);
  if (!latest) return err(KioskErrors.noCode());
  if (latest.usedAt) return err(KioskErrors.codeUsed());
  if (latest.expiresAt <= now) return err(KioskErrors.codeExpired());
  // the attempt is counted first, atomically: parallel guesses cannot exceed the limit
  const [counted] = await db.update(kioskConsentCodes).set({ attempts: sql`${kioskConsentCodes.attempts} + 1` })
    .where(and(eq(kioskConsentCodes.id, latest.id), isNull(kioskConsentCodes.usedAt), lt(kioskConsentCodes.attempts, MAX_CODE_ATTEMPTS)))
    .returning({ attempts: kioskConsentCodes.attempts });
  if (!counted) return err(KioskErrors.codeLocked());
  const given = Buffer.from(codeHash(s.id, code));
  if (given.length !== latest.codeHash.length || !timingSafeEqual(given, Buffer.from(latest.codeHash))) {
    const left = MAX_CODE_ATTEMPTS - counted.attempts;
    await db.transaction((tx) => appendAudit(tx, { actorKind: "officer", actorId: ctx.officer.username, device: `kiosk:${ctx.device.id}`, action: "kiosk.consent_refused", subjectKind: "kiosk_session", subjectId: s.id, details: { left } }));
    return left > 0 ? err(KioskErrors.codeWrong(left)) : err(KioskErrors.codeLocked());
  }
  const [used] = await db.update(kioskConsentCodes).set({ usedAt: now }).where(and(eq(kioskConsentCodes.id, latest.id), isNull(kioskConsentCodes.usedAt))).returning({ id: kioskConsentCodes.id });
  if (!used) return err(KioskErrors.codeUsed());
  const idNumber = s.idNumber;
  const fullName = s.fullName;
  return db.transaction(async (tx) => {
    const { citizen, consentId } = await grantAssistedConsent(tx, {
      idNumber, fullName, phone: s.phone, officer: { id: ctx.officer.id, username: ctx.officer.username, device: `kiosk:${ctx.device.id}` }, deviceId: ctx.device.id,
      scope: CONSENT_SCOPE, channel: "sms", at: now,
    });
    await tx.update(kioskSessions).set({ state: "consented", citizenId: citizen.id, consentId }).where(eq(kioskSessions.id, s.id));
    return ok({ citizenId: citizen.id });
  });
}
