// Staff accounts, server-side sessions and rate-limit counters — all in the database, so any
// instance can serve any request.
import { boolean, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { agencies } from "./catalog";

export const staffUsers = pgTable("staff_users", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  username: text("username").notNull().unique(),
  fullName: text("full_name").notNull(),
  title: text("title"),
  // desk | specialist | leader | admin | police
  role: text("role").notNull(),
  agencyCode: text("agency_code").notNull().references(() => agencies.code),
  passwordHash: text("password_hash").notNull(),
  totpSecret: text("totp_secret").notNull(),
  lastTotpStep: integer("last_totp_step"),
  failedAttempts: integer("failed_attempts").notNull().default(0),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
  disabled: boolean("disabled").notNull().default(false),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const sessions = pgTable(
  "sessions",
  {
    // SHA-256 of the cookie token: a database leak does not hand out live sessions
    tokenHash: text("token_hash").primaryKey(),
    kind: text("kind").notNull(), // staff | citizen
    // citizen sessions: the id token, for logging out of the identity provider too
    idTokenHint: text("id_token_hint"),
    userId: uuid("user_id").notNull(),
    stage: text("stage").notNull(), // password (awaiting the second factor) | full
    csrfSecret: text("csrf_secret").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    device: text("device"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  count: integer("count").notNull(),
});
