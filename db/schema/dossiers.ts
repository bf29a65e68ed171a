// Dossiers (hồ sơ), their status history, and their sync to the national portal.
import { sql } from "drizzle-orm";
import {
  bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
} from "drizzle-orm/pg-core";

export const dossiers = pgTable(
  "dossiers",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    code: text("code").notNull(), // national format: {agency}-{yyMMdd}-{NNNN}
    procedureCode: text("procedure_code").notNull(),
    procedureName: text("procedure_name").notNull(),
    field: text("field"),
    agencyCode: text("agency_code").notNull(),
    channel: integer("channel").notNull(), // 1 direct, 2 online, 3 postal (KenhThucHien)
    origin: text("origin").notNull().default("province"), // province | national
    applicantName: text("applicant_name").notNull(),
    applicantIdNumber: text("applicant_id_number"),
    applicantPhone: text("applicant_phone"),
    applicantEmail: text("applicant_email"),
    summary: text("summary"),
    // online filings: the citizen's account (citizens.id; no FK to keep the table groups apart),
    // the form version and answers they filed with, and the fee charged
    citizenId: uuid("citizen_id"),
    formVersion: integer("form_version"),
    formData: jsonb("form_data"),
    feeVnd: integer("fee_vnd"),
    // the citizen's satisfaction with the result (1–5), for Decision 766's satisfaction indicator
    rating: integer("rating"),
    ratingComment: text("rating_comment"),
    ratedAt: timestamp("rated_at", { withTimezone: true }),
    // filed with a commune police officer's help at a kiosk (Project 06): the officer, the kiosk
    // and the officer's agency (staff_users, kiosk_devices; no FK to keep the table groups apart)
    helperStaffId: uuid("helper_staff_id"),
    helperKioskId: uuid("helper_kiosk_id"),
    helperAgencyCode: text("helper_agency_code"),
    status: integer("status").notNull(), // national TrangThaiHoSo 1..10
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }),
    dueAt: timestamp("due_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    returnedAt: timestamp("returned_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("dossiers_code_key").on(t.code),
    index("dossiers_agency_status_idx").on(t.agencyCode, t.status),
    index("dossiers_citizen_idx").on(t.citizenId, t.submittedAt.desc()),
    // the desk queue: an agency's dossiers, newest first, keyset-paged
    index("dossiers_agency_queue_idx").on(t.agencyCode, t.submittedAt.desc(), t.id.desc()),
    index("dossiers_helper_idx").on(t.helperAgencyCode, t.submittedAt).where(sql`${t.helperAgencyCode} is not null`),
  ],
);

/** Every status change, in order: the progress records synced to the national portal. */
export const dossierEvents = pgTable(
  "dossier_events",
  {
    dossierId: uuid("dossier_id").notNull().references(() => dossiers.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    status: integer("status").notNull(),
    actorName: text("actor_name").notNull(),
    actorTitle: text("actor_title"),
    department: text("department"),
    note: text("note"),
    at: timestamp("at", { withTimezone: true }).notNull(),
    deadline: timestamp("deadline", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.dossierId, t.seq] })],
);

/**
 * Letters the agency issues to the applicant of a dossier, each kept as the facts it was printed
 * from (the PDF is rendered from this row, so it reads the same every time): the refusal notice
 * ("Phiếu từ chối tiếp nhận, giải quyết hồ sơ") and the apology with a new appointment date
 * ("Phiếu xin lỗi và hẹn lại ngày trả kết quả"), which is also the history of due-date changes.
 */
export const dossierLetters = pgTable(
  "dossier_letters",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    dossierId: uuid("dossier_id").notNull().references(() => dossiers.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(), // refusal | apology
    reason: text("reason").notNull(),
    legalBasis: text("legal_basis"), // refusal: the rule the refusal rests on
    previousDueAt: timestamp("previous_due_at", { withTimezone: true }), // apology: the broken appointment
    newDueAt: timestamp("new_due_at", { withTimezone: true }), // apology: the new appointment
    agencyCode: text("agency_code").notNull(),
    officialName: text("official_name").notNull(),
    officialTitle: text("official_title"),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("dossier_letters_dossier_idx").on(t.dossierId, t.issuedAt)],
);

/** Daily sequence per agency for dossier codes; the row lock makes codes collision-free. */
export const dossierCodeCounters = pgTable(
  "dossier_code_counters",
  { agencyCode: text("agency_code").notNull(), day: text("day").notNull(), last: integer("last").notNull() },
  (t) => [primaryKey({ columns: [t.agencyCode, t.day] })],
);

/**
 * One row per dossier that needs (or needed) syncing: a change bumps wantedVersion in the same
 * transaction; a worker that brings the national side up to date records syncedVersion.
 */
export const syncState = pgTable(
  "sync_state",
  {
    dossierId: uuid("dossier_id").primaryKey().references(() => dossiers.id, { onDelete: "cascade" }),
    wantedVersion: integer("wanted_version").notNull().default(1),
    syncedVersion: integer("synced_version").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lockedBy: text("locked_by"),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    deadAt: timestamp("dead_at", { withTimezone: true }),
    lastError: text("last_error"),
    enqueuedAt: timestamp("enqueued_at", { withTimezone: true }).notNull().defaultNow(),
    syncedAt: timestamp("synced_at", { withTimezone: true }),
  },
  (t) => [index("sync_state_due_idx").on(t.nextAttemptAt).where(sql`${t.wantedVersion} > ${t.syncedVersion} and ${t.deadAt} is null`)],
);

/** The sync ledger: every call made for a dossier, with request, answer, latency and outcome. */
export const syncAttempts = pgTable(
  "sync_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    dossierId: uuid("dossier_id").notNull().references(() => dossiers.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    worker: text("worker").notNull(),
    service: text("service").notNull(),
    request: jsonb("request"),
    response: jsonb("response"),
    latencyMs: integer("latency_ms").notNull(),
    outcome: text("outcome").notNull(), // ok | refused | retry
  },
  (t) => [index("sync_attempts_dossier_idx").on(t.dossierId, t.id)],
);

/** Dossiers received from the national portal (push or pull), keyed by their national code. */
export const inboundReceipts = pgTable("inbound_receipts", {
  nationalCode: text("national_code").primaryKey(),
  dossierId: uuid("dossier_id").notNull().references(() => dossiers.id, { onDelete: "cascade" }),
  via: text("via").notNull(), // push | pull
  deliveries: integer("deliveries").notNull().default(1),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  dead: boolean("dead").notNull().default(false),
});

/**
 * Where the pull of national filings has read up to (docs/decisions/024-incremental-pull.md): the
 * national side's opaque cursor, moved in the transaction that stores the page it covers, and a
 * lease so one instance pulls at a time.
 */
export const inboundCursors = pgTable("inbound_cursors", {
  name: text("name").primaryKey(),
  position: text("position"),
  claimedBy: text("claimed_by"),
  claimedUntil: timestamp("claimed_until", { withTimezone: true }),
  lastError: text("last_error"),
  lastErrorAt: timestamp("last_error_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** National entries not received (failing the contract, or refused), kept for the operator. */
export const inboundRefusals = pgTable(
  "inbound_refusals",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    via: text("via").notNull(), // push | pull
    nationalCode: text("national_code"),
    reason: text("reason").notNull(),
    excerpt: text("excerpt"),
  },
  (t) => [index("inbound_refusals_at_idx").on(t.at)],
);

/** Scheduled jobs that must run once per period across all instances (first insert wins). */
export const scheduledRuns = pgTable(
  "scheduled_runs",
  {
    job: text("job").notNull(),
    period: text("period").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    report: jsonb("report"),
  },
  (t) => [primaryKey({ columns: [t.job, t.period] })],
);
