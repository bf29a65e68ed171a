// The audit log: append-only, hash-chained (each row's hash covers the previous row's hash),
// with the head of the chain kept beside it so that removing the last rows is detected too.
import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const auditLog = pgTable("audit_log", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  at: timestamp("at", { withTimezone: true, mode: "string" }).notNull(),
  actorKind: text("actor_kind").notNull(), // citizen | official | officer | system | national
  actorId: text("actor_id").notNull(),
  action: text("action").notNull(), // e.g. dossier.create, dossier.status, personal_data.view
  subjectKind: text("subject_kind").notNull(),
  subjectId: text("subject_id").notNull(),
  device: text("device"),
  details: jsonb("details"),
  prevHash: text("prev_hash").notNull(),
  hash: text("hash").notNull(),
}, (t) => [
  // a citizen's "who accessed my dossier", an administrator's search by subject
  index("audit_log_subject_idx").on(t.subjectKind, t.subjectId, t.id),
]);

export const auditHead = pgTable("audit_head", {
  singleton: integer("singleton").primaryKey().default(1),
  lastId: bigint("last_id", { mode: "number" }).notNull(),
  hash: text("hash").notNull(),
  count: integer("count").notNull(),
});
