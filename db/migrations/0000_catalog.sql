CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE TABLE "agencies" (
	"code" text PRIMARY KEY NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"kind" text NOT NULL,
	"commune_code" text,
	"parent_code" text,
	"content_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "communes" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"search_name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "holidays" (
	"date" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"is_working_day" boolean NOT NULL,
	"official" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "procedure_documents" (
	"procedure_code" text NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"originals" integer,
	"copies" integer,
	"note" text,
	CONSTRAINT "procedure_documents_procedure_code_position_pk" PRIMARY KEY("procedure_code","position")
);
--> statement-breakpoint
CREATE TABLE "procedure_fees" (
	"procedure_code" text NOT NULL,
	"position" integer NOT NULL,
	"channel" text,
	"label" text NOT NULL,
	"amount_vnd" integer,
	"per" text,
	CONSTRAINT "procedure_fees_procedure_code_position_pk" PRIMARY KEY("procedure_code","position")
);
--> statement-breakpoint
CREATE TABLE "procedures" (
	"code" text PRIMARY KEY NOT NULL,
	"has_national_code" boolean NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"field" text NOT NULL,
	"level" text NOT NULL,
	"agency_kind" text NOT NULL,
	"agency_text" text NOT NULL,
	"processing_text" text,
	"processing_value" numeric,
	"processing_unit" text,
	"fee_amount_vnd" integer,
	"fee_text" text,
	"fee_exemptions" text,
	"online_mode" text NOT NULL,
	"online_channels" text,
	"result_text" text,
	"legal_bases" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"search_name" text NOT NULL,
	"search_text" text NOT NULL,
	"content_hash" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedure_documents" ADD CONSTRAINT "procedure_documents_procedure_code_procedures_code_fk" FOREIGN KEY ("procedure_code") REFERENCES "public"."procedures"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedure_fees" ADD CONSTRAINT "procedure_fees_procedure_code_procedures_code_fk" FOREIGN KEY ("procedure_code") REFERENCES "public"."procedures"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agencies_commune_idx" ON "agencies" USING btree ("commune_code");--> statement-breakpoint
CREATE INDEX "procedures_search_text_trgm" ON "procedures" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "procedures_field_idx" ON "procedures" USING btree ("field");