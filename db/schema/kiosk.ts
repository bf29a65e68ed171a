// Kiosk mode for commune police (Project 06): registered kiosk devices, assisted sessions (an
// officer helping one citizen on one device), one-time consent codes and the consents given.
// Everything lives in the database, so any instance serves any kiosk request and a revocation
// bites on the next request.
import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { agencies } from "./catalog";
import { staffUsers } from "./identity";

/** A kiosk registered by an administrator: enrolled once with a one-time code, then a device cookie (hashed here). */
export const kioskDevices = pgTable(
  "kiosk_devices",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    label: text("label").notNull(),
    // the commune police that runs it; its officers are the only ones who may use it
    agencyCode: text("agency_code").notNull().references(() => agencies.code),
    enrolCodeHash: text("enrol_code_hash"),
    enrolExpiresAt: timestamp("enrol_expires_at", { withTimezone: true }),
    credentialHash: text("credential_hash"),
    enrolledAt: timestamp("enrolled_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("kiosk_devices_credential_key").on(t.credentialHash), uniqueIndex("kiosk_devices_enrol_key").on(t.enrolCodeHash)],
);

/**
 * One citizen helped by one officer on one device. Deleted when the session ends (explicitly or
 * idle): the row holds the citizen's identity only while the session lives.
 */
export const kioskSessions = pgTable(
  "kiosk_sessions",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    tokenHash: text("token_hash").notNull(),
    officerId: uuid("officer_id").notNull().references(() => staffUsers.id, { onDelete: "cascade" }),
    deviceId: uuid("device_id").notNull().references(() => kioskDevices.id, { onDelete: "cascade" }),
    // identifying | awaiting_consent | consented
    state: text("state").notNull().default("identifying"),
    idNumber: text("id_number"),
    fullName: text("full_name"),
    phone: text("phone"),
    citizenId: uuid("citizen_id"),
    consentId: uuid("consent_id"),
    draftId: uuid("draft_id"),
    dossierId: uuid("dossier_id"),
    csrfSecret: text("csrf_secret").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("kiosk_sessions_token_key").on(t.tokenHash), index("kiosk_sessions_officer_idx").on(t.officerId)],
);

/** A one-time consent code sent by SMS: stored hashed, short-lived, single use, a few attempts. */
export const kioskConsentCodes = pgTable(
  "kiosk_consent_codes",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    sessionId: uuid("session_id").notNull().references(() => kioskSessions.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("kiosk_consent_codes_session_idx").on(t.sessionId)],
);

/**
 * A request for the citizen to approve the assisted session from their own e-ID (VNeID) session:
 * the kiosk shows a QR code of `/dong-y/<token>`; only the token's SHA-256 is kept. Single use
 * (approved or refused), short-lived. When the kiosk session ends the row stays, unbound, so the
 * citizen's page can say the session has ended; expired rows are swept when new ones are made.
 */
export const kioskApprovals = pgTable(
  "kiosk_approvals",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    sessionId: uuid("session_id").references(() => kioskSessions.id, { onDelete: "set null" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    // approved | refused, once used
    outcome: text("outcome"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("kiosk_approvals_token_key").on(t.tokenHash), index("kiosk_approvals_session_idx").on(t.sessionId)],
);

/** Consents given by citizens (kept after the session ends): who, to whom, on which device, for what, how, when. */
export const consents = pgTable(
  "consents",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    idNumber: text("id_number").notNull(),
    citizenId: uuid("citizen_id"),
    // at a kiosk: the officer who asked and the device; null for the citizen's own online consent
    officerId: uuid("officer_id"),
    deviceId: uuid("device_id"),
    // the dossier the consent was given for (the declaration ticked when filing)
    dossierId: uuid("dossier_id"),
    // kiosk.assisted_filing: view the citizen's population record and file dossiers on their behalf;
    // filing.personal_data: the filing declaration (processing personal data for this dossier)
    scope: text("scope").notNull(),
    channel: text("channel").notNull(), // sms (kiosk code) | vneid (approved from the citizen's own e-ID session at a kiosk) | online (declaration) | kiosk (declaration at a kiosk)
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [index("consents_id_number_idx").on(t.idNumber, t.grantedAt)],
);
