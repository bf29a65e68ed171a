CREATE TABLE "dossier_code_counters" (
	"agency_code" text NOT NULL,
	"day" text NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "dossier_code_counters_agency_code_day_pk" PRIMARY KEY("agency_code","day")
);
--> statement-breakpoint
CREATE TABLE "dossier_events" (
	"dossier_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"status" integer NOT NULL,
	"actor_name" text NOT NULL,
	"actor_title" text,
	"department" text,
	"note" text,
	"at" timestamp with time zone NOT NULL,
	"deadline" timestamp with time zone,
	CONSTRAINT "dossier_events_dossier_id_seq_pk" PRIMARY KEY("dossier_id","seq")
);
--> statement-breakpoint
CREATE TABLE "dossiers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"procedure_code" text NOT NULL,
	"procedure_name" text NOT NULL,
	"field" text,
	"agency_code" text NOT NULL,
	"channel" integer NOT NULL,
	"origin" text DEFAULT 'province' NOT NULL,
	"applicant_name" text NOT NULL,
	"applicant_id_number" text,
	"applicant_phone" text,
	"applicant_email" text,
	"summary" text,
	"status" integer NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"returned_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_receipts" (
	"national_code" text PRIMARY KEY NOT NULL,
	"dossier_id" uuid NOT NULL,
	"via" text NOT NULL,
	"deliveries" integer DEFAULT 1 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dead" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dossier_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"worker" text NOT NULL,
	"service" text NOT NULL,
	"request" jsonb,
	"response" jsonb,
	"latency_ms" integer NOT NULL,
	"outcome" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_state" (
	"dossier_id" uuid PRIMARY KEY NOT NULL,
	"wanted_version" integer DEFAULT 1 NOT NULL,
	"synced_version" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"dead_at" timestamp with time zone,
	"last_error" text,
	"enqueued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"synced_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "dossier_events" ADD CONSTRAINT "dossier_events_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_receipts" ADD CONSTRAINT "inbound_receipts_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_attempts" ADD CONSTRAINT "sync_attempts_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_state" ADD CONSTRAINT "sync_state_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dossiers_code_key" ON "dossiers" USING btree ("code");--> statement-breakpoint
CREATE INDEX "dossiers_agency_status_idx" ON "dossiers" USING btree ("agency_code","status");--> statement-breakpoint
CREATE INDEX "sync_attempts_dossier_idx" ON "sync_attempts" USING btree ("dossier_id","id");--> statement-breakpoint
CREATE INDEX "sync_state_due_idx" ON "sync_state" USING btree ("next_attempt_at") WHERE "sync_state"."wanted_version" > "sync_state"."synced_version" and "sync_state"."dead_at" is null;