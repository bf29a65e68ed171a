// Citizen filing: citizens known from e-ID logins, login handshakes, form definitions (versioned
// data), drafts, attachments, payments, population look-ups and the notification outbox.
// Everything here lives in the database, so any portal instance can serve any step.
import { sql } from "drizzle-orm";
import {
  bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { dossiers } from "./dossiers";
import { staffUsers } from "./identity";

/** A citizen as the national e-ID last described them (refreshed at every login). */
export const citizens = pgTable(
  "citizens",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    // the identity provider's subject; one provider per deployment (configuration)
    sub: text("sub").notNull(),
    idNumber: text("id_number").notNull(),
    fullName: text("full_name").notNull(),
    birthDate: text("birth_date"), // yyyy-mm-dd
    sex: text("sex"), // Nam | Nữ
    phone: text("phone"),
    email: text("email"),
    locale: text("locale").notNull().default("vi"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastLoginAt: timestamp("last_login_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("citizens_sub_key").on(t.sub), uniqueIndex("citizens_id_number_key").on(t.idNumber)],
);

/** An authorization-code login in flight: state → PKCE verifier and nonce (single use, short-lived). */
export const oidcLogins = pgTable("oidc_logins", {
  state: text("state").primaryKey(),
  codeVerifier: text("code_verifier").notNull(),
  nonce: text("nonce").notNull(),
  returnTo: text("return_to").notNull().default("/ho-so"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
});

/** Each procedure's form as data (steps, fields, conditions, document slots); never edited in place. */
export const formDefinitions = pgTable(
  "form_definitions",
  {
    procedureCode: text("procedure_code").notNull(),
    version: integer("version").notNull(),
    definition: jsonb("definition").notNull(),
    contentHash: text("content_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.procedureCode, t.version] })],
);

/** A dossier being prepared: saved as the citizen goes, resumable anywhere, expired after 30 days. */
export const drafts = pgTable(
  "drafts",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    citizenId: uuid("citizen_id").notNull().references(() => citizens.id, { onDelete: "cascade" }),
    procedureCode: text("procedure_code").notNull(),
    formVersion: integer("form_version").notNull(),
    agencyCode: text("agency_code"),
    data: jsonb("data").notNull().default(sql`'{}'::jsonb`),
    step: text("step").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    reminderSentAt: timestamp("reminder_sent_at", { withTimezone: true }),
    submittedDossierId: uuid("submitted_dossier_id").references(() => dossiers.id, { onDelete: "set null" }),
    // a counter filing: the one-stop desk officer filling it in with the citizen at the desk (only they may open it)
    counterStaffId: uuid("counter_staff_id").references(() => staffUsers.id, { onDelete: "cascade" }),
  },
  (t) => [index("drafts_citizen_idx").on(t.citizenId, t.updatedAt), index("drafts_expiry_idx").on(t.expiresAt)],
);

/**
 * Stored files, content-addressed (SHA-256) behind the storage interface. A file belongs to a
 * citizen and is attached to a draft slot, then to the dossier it was submitted with.
 */
export const attachments = pgTable(
  "attachments",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    citizenId: uuid("citizen_id").references(() => citizens.id, { onDelete: "cascade" }),
    draftId: uuid("draft_id").references(() => drafts.id, { onDelete: "set null" }),
    dossierId: uuid("dossier_id").references(() => dossiers.id, { onDelete: "cascade" }),
    slot: text("slot").notNull(),
    fileName: text("file_name").notNull(),
    mime: text("mime").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    scan: text("scan").notNull().default("pending"), // pending | clean | infected
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("attachments_draft_idx").on(t.draftId),
    index("attachments_dossier_idx").on(t.dossierId),
    index("attachments_citizen_idx").on(t.citizenId),
    index("attachments_sha_idx").on(t.sha256),
  ],
);

/** Fee payments through the national payment platform: one reference per attempt. */
export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    reference: text("reference").notNull(), // MaThamChieu
    citizenId: uuid("citizen_id").references(() => citizens.id, { onDelete: "set null" }),
    draftId: uuid("draft_id").references(() => drafts.id, { onDelete: "set null" }),
    dossierId: uuid("dossier_id").references(() => dossiers.id, { onDelete: "set null" }),
    procedureCode: text("procedure_code").notNull(),
    amountVnd: integer("amount_vnd").notNull(),
    status: text("status").notNull().default("pending"), // pending | paid | failed
    // paygov (online, providerTxn is PayGov's transaction) | cash (at the counter, providerTxn is the desk's receipt number)
    method: text("method").notNull().default("paygov"),
    providerTxn: text("provider_txn"),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("payments_reference_key").on(t.reference), index("payments_draft_idx").on(t.draftId), index("payments_dossier_idx").on(t.dossierId)],
);

/** Every look-up in the population database: who asked, about whom, for what, when. */
export const populationLookups = pgTable(
  "population_lookups",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    idNumber: text("id_number").notNull(),
    requestedByKind: text("requested_by_kind").notNull(), // citizen | officer
    requestedById: text("requested_by_id").notNull(),
    purpose: text("purpose").notNull(), // e.g. draft:<id>
    outcome: text("outcome").notNull(), // found | not_found | mismatch | error
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("population_lookups_id_number_idx").on(t.idNumber, t.at)],
);

/** Outbox of emails and SMS: written in the transaction that causes them, sent by the worker. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    dossierId: uuid("dossier_id").references(() => dossiers.id, { onDelete: "cascade" }),
    channel: text("channel").notNull(), // email | sms
    recipient: text("recipient").notNull(),
    locale: text("locale").notNull(),
    template: text("template").notNull(),
    params: jsonb("params").notNull(),
    status: text("status").notNull().default("pending"), // pending | sent | dead
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    index("notifications_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("notifications_dossier_idx").on(t.dossierId),
  ],
);
