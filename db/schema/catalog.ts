// The public catalogue: where procedures are done, what they cost, what they need.
import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

export const communes = pgTable("communes", {
  code: text("code").primaryKey(), // 5-digit statistics code
  name: text("name").notNull(),
  type: text("type").notNull(), // phuong | xa | dac_khu
  searchName: text("search_name").notNull(), // folded: no diacritics, lower case
});

export const agencies = pgTable(
  "agencies",
  {
    code: text("code").primaryKey(), // electronic agency code, e.g. 000.00.00.H49
    nameVi: text("name_vi").notNull(),
    nameEn: text("name_en").notNull(),
    // province_committee | department | provincial_police | commune_committee | commune_police
    kind: text("kind").notNull(),
    communeCode: text("commune_code").references(() => communes.code),
    parentCode: text("parent_code"),
    contentHash: text("content_hash").notNull(),
  },
  (t) => [index("agencies_commune_idx").on(t.communeCode)],
);

export const procedures = pgTable(
  "procedures",
  {
    // National TTHC code (N.NNNNNN), or a local QN-NNNN code where the national one is unknown.
    code: text("code").primaryKey(),
    hasNationalCode: boolean("has_national_code").notNull(),
    nameVi: text("name_vi").notNull(),
    nameEn: text("name_en").notNull(),
    field: text("field").notNull(),
    level: text("level").notNull(), // commune | province: who decides
    agencyKind: text("agency_kind").notNull(), // police | committee | department
    agencyText: text("agency_text").notNull(),
    processingText: text("processing_text"),
    processingValue: numeric("processing_value", { mode: "number" }),
    processingUnit: text("processing_unit"), // working_days | days | immediate
    feeAmountVnd: integer("fee_amount_vnd"), // 0 free, null unknown
    feeText: text("fee_text"),
    feeExemptions: text("fee_exemptions"),
    onlineMode: text("online_mode").notNull(), // full | partial | none
    onlineChannels: text("online_channels"),
    resultText: text("result_text"),
    legalBases: jsonb("legal_bases").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    notes: jsonb("notes").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    // Folded (no diacritics, đ→d, lower case) text the search ranks on; filled by the application
    // so PGlite (PostgreSQL 18) and PostgreSQL 15 rank identically.
    searchName: text("search_name").notNull(),
    searchText: text("search_text").notNull(),
    contentHash: text("content_hash").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("procedures_search_text_trgm").using("gin", sql`${t.searchText} gin_trgm_ops`),
    index("procedures_field_idx").on(t.field),
  ],
);

export const procedureDocuments = pgTable(
  "procedure_documents",
  {
    procedureCode: text("procedure_code")
      .notNull()
      .references(() => procedures.code, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    originals: integer("originals"),
    copies: integer("copies"),
    note: text("note"),
  },
  (t) => [primaryKey({ columns: [t.procedureCode, t.position] })],
);

export const procedureFees = pgTable(
  "procedure_fees",
  {
    procedureCode: text("procedure_code")
      .notNull()
      .references(() => procedures.code, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    channel: text("channel"), // direct | online | postal | null (any)
    label: text("label").notNull(),
    amountVnd: integer("amount_vnd"),
    per: text("per"),
  },
  (t) => [primaryKey({ columns: [t.procedureCode, t.position] })],
);

export const holidays = pgTable("holidays", {
  date: text("date").primaryKey(), // yyyy-MM-dd, Asia/Ho_Chi_Minh
  name: text("name").notNull(),
  kind: text("kind").notNull(),
  // true for make-up working Saturdays, false for days off
  isWorkingDay: boolean("is_working_day").notNull(),
  official: boolean("official").notNull(),
});
