// Consent from the citizen's own e-ID: the kiosk shows a QR code of a single-use request the
// citizen approves (or refuses) from their own VNeID session.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, isNull, lt } from "drizzle-orm";
import { config } from "~/config.server";
import { err, ok, type Result } from "~/lib/result";
import { appendAudit } from "~/modules/audit/audit.server";
import { grantAssistedConsent } from "~/modules/identity/assisted.server";
import type { Citizen } from "~/modules/identity/citizen-auth.server";
import { cookieFor, tokenFor, tokenHash } from "~/modules/identity/sessions.server";
import { log } from "~/modules/observability/logger.server";
import type { AppDb, AppTx } from "~db/client.server";
import { agencies, kioskApprovals, kioskDevices, kioskSessions, staffUsers } from "~db/schema";
import { CONSENT_SCOPE, limited } from "./consent.server";
import type { KioskContext } from "./guard.server";
import { KioskErrors } from "./kiosk.errors";
import { idleMs, type KioskSession } from "./sessions.server";

const approvalTtlMs = () => config().KIOSK_CODE_TTL_SECONDS * 1000;
export const approvalPath = (token: string) => `/dong-y/${token}`;
/** The kiosk keeps the pending request's token in a cookie of its own (httpOnly) to redraw the QR code; the database only its hash. */
export const approvalCookie = (token: string) => cookieFor("kiosk_approval", token, Math.ceil(approvalTtlMs() / 1000));
const APPROVAL_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The officer asks the identified citizen to approve from their own VNeID session: a random
 * single-use token bound to this assisted session (only its SHA-256 stored; earlier requests of
 * the session die), shown on the kiosk as a QR code of `/dong-y/<token>` — no personal data in it.
 */
export async function requestEidApproval(db: AppDb, ctx: KioskContext, now = new Date()): Promise<Result<{ token: string; path: string; expiresAt: Date }>> {
  const s = ctx.session;
  if (!s || s.state !== "awaiting_consent" || !s.idNumber) return err(KioskErrors.noSession());
  const wait = await limited(db, ctx, "approval");
  if (wait !== null) return err(KioskErrors.rateLimited(wait));
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + approvalTtlMs());
  await db.transaction(async (tx) => {
    await tx.delete(kioskApprovals).where(eq(kioskApprovals.sessionId, s.id));
    // answered or abandoned requests of ended sessions are kept a day at most
    await tx.delete(kioskApprovals).where(lt(kioskApprovals.expiresAt, new Date(now.getTime() - 86_400_000)));
    const [row] = await tx.insert(kioskApprovals).values({ sessionId: s.id, tokenHash: tokenHash(token), expiresAt, createdAt: now }).returning({ id: kioskApprovals.id });
    await appendAudit(tx, {
      actorKind: "officer", actorId: ctx.officer.username, device: `kiosk:${ctx.device.id}`, action: "kiosk.approval_requested", subjectKind: "kiosk_session", subjectId: s.id,
      details: { approval: row.id },
    });
  });
  return ok({ token, path: approvalPath(token), expiresAt });
}

export type ApprovalState = { kind: "pending"; token: string; expiresAt: Date } | { kind: "expired" } | { kind: "refused" } | null;

/** For the kiosk page: the state of the request whose token this kiosk holds, if it is this session's. */
export async function eidApprovalState(db: AppDb, ctx: KioskContext, request: Request, now = new Date()): Promise<ApprovalState> {
  const token = tokenFor("kiosk_approval", request);
  if (!token || !ctx.session) return null;
  const [row] = await db.select().from(kioskApprovals).where(and(eq(kioskApprovals.tokenHash, tokenHash(token)), eq(kioskApprovals.sessionId, ctx.session.id)));
  if (!row) return null;
  if (row.outcome === "refused") return { kind: "refused" };
  if (row.usedAt) return null;
  if (row.expiresAt <= now) return { kind: "expired" };
  return { kind: "pending", token, expiresAt: row.expiresAt };
}

export interface ApprovalRequest {
  approvalId: string;
  expiresAt: Date;
  officerName: string;
  agencyName: string;
  deviceLabel: string;
  session: KioskSession;
}

/**
 * What the citizen is asked to approve, checked for the signed-in citizen: a live request, a
 * live kiosk session still awaiting consent, and the identity number the kiosk identified.
 * Reads only (in the caller's transaction when answering).
 */
export async function eidApprovalFor(db: AppDb | AppTx, token: string, citizen: Pick<Citizen, "idNumber">, now = new Date()): Promise<Result<ApprovalRequest>> {
  if (!APPROVAL_TOKEN.test(token)) return err(KioskErrors.approvalInvalid());
  const [row] = await db.select().from(kioskApprovals).where(eq(kioskApprovals.tokenHash, tokenHash(token)));
  if (!row || row.usedAt || row.expiresAt <= now) return err(KioskErrors.approvalInvalid());
  if (!row.sessionId) return err(KioskErrors.approvalSessionEnded());
  const [found] = await db.select({ session: kioskSessions, officerName: staffUsers.fullName, agencyName: agencies.nameVi, deviceLabel: kioskDevices.label, revokedAt: kioskDevices.revokedAt })
    .from(kioskSessions)
    .innerJoin(staffUsers, eq(staffUsers.id, kioskSessions.officerId))
    .innerJoin(kioskDevices, eq(kioskDevices.id, kioskSessions.deviceId))
    .innerJoin(agencies, eq(agencies.code, kioskDevices.agencyCode))
    .where(eq(kioskSessions.id, row.sessionId));
  // an idle session is over even before the sweep deletes it
  if (!found || found.revokedAt || found.session.lastSeenAt.getTime() < now.getTime() - idleMs()) return err(KioskErrors.approvalSessionEnded());
  if (found.session.state !== "awaiting_consent" || !found.session.idNumber) return err(KioskErrors.approvalInvalid());
  const mine = Buffer.from(citizen.idNumber ?? "");
  const theirs = Buffer.from(found.session.idNumber);
  if (mine.length !== theirs.length || !timingSafeEqual(mine, theirs)) return err(KioskErrors.approvalWrongCitizen());
  return ok({ approvalId: row.id, expiresAt: row.expiresAt, officerName: found.officerName, agencyName: found.agencyName, deviceLabel: found.deviceLabel, session: found.session });
}

class ApprovalConflict extends Error {}

/**
 * The citizen answers from their own e-ID session. Every check of `eidApprovalFor` first (a
 * refusal writes nothing); then, in one transaction, the request is consumed and — when approved —
 * the consent is recorded (channel `vneid`) and the kiosk session moves to `consented`, exactly as
 * after a right SMS code. A refusal consumes the request; the kiosk shows it.
 */
export async function answerEidApproval(
  db: AppDb, token: string, citizen: Pick<Citizen, "id" | "idNumber">, answer: "approve" | "refuse", now = new Date(),
): Promise<Result<{ outcome: "approved" | "refused" }>> {
  const checked = await eidApprovalFor(db, token, citizen, now);
  if (!checked.ok) {
    if (checked.error.code === "kiosk.approval_wrong_citizen") {
      // someone answering for another person's consent: a security event, kept in the audit log
      // (whose answer it was, for which kiosk session; not the token, which stays usable)
      log.warn("kiosk e-ID approval refused: the signed-in citizen is not the one identified");
      const [row] = await db.select({ id: kioskApprovals.id, sessionId: kioskApprovals.sessionId }).from(kioskApprovals).where(eq(kioskApprovals.tokenHash, tokenHash(token)));
      await db.transaction((tx) => appendAudit(tx, {
        actorKind: "citizen", actorId: citizen.id, action: "kiosk.approval_wrong_citizen", subjectKind: "kiosk_session", subjectId: row?.sessionId ?? "-",
        details: { approval: row?.id ?? null, answer },
      }));
    }
    return checked;
  }
  const outcome = answer === "approve" ? "approved" as const : "refused" as const;
  try {
    return await db.transaction(async (tx) => {
      const found = await eidApprovalFor(tx, token, citizen, now);
      if (!found.ok) throw new ApprovalConflict();
      const { session: s, approvalId } = found.value;
      const [used] = await tx.update(kioskApprovals).set({ usedAt: now, outcome })
        .where(and(eq(kioskApprovals.id, approvalId), isNull(kioskApprovals.usedAt))).returning({ id: kioskApprovals.id });
      if (!used) throw new ApprovalConflict();
      const device = `kiosk:${s.deviceId}`;
      if (outcome === "refused") {
        await appendAudit(tx, { actorKind: "citizen", actorId: citizen.id, device, action: "kiosk.approval_refused", subjectKind: "kiosk_session", subjectId: s.id, details: { approval: approvalId } });
        return ok({ outcome });
      }
      const [officer] = await tx.select({ username: staffUsers.username }).from(staffUsers).where(eq(staffUsers.id, s.officerId));
      const { citizen: account, consentId } = await grantAssistedConsent(tx, {
        idNumber: s.idNumber!, fullName: s.fullName ?? "", phone: s.phone, officer: { id: s.officerId, username: officer?.username ?? s.officerId, device }, deviceId: s.deviceId,
        scope: CONSENT_SCOPE, channel: "vneid", at: now,
      });
      const [moved] = await tx.update(kioskSessions).set({ state: "consented", citizenId: account.id, consentId })
        .where(and(eq(kioskSessions.id, s.id), eq(kioskSessions.state, "awaiting_consent"))).returning({ id: kioskSessions.id });
      if (!moved) throw new ApprovalConflict();
      return ok({ outcome });
    });
  } catch (error) {
    if (error instanceof ApprovalConflict) return err(KioskErrors.approvalInvalid());
    throw error;
  }
}
