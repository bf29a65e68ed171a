CREATE TABLE "dossier_letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dossier_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"legal_basis" text,
	"previous_due_at" timestamp with time zone,
	"new_due_at" timestamp with time zone,
	"agency_code" text NOT NULL,
	"official_name" text NOT NULL,
	"official_title" text,
	"issued_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dossier_letters" ADD CONSTRAINT "dossier_letters_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dossier_letters_dossier_idx" ON "dossier_letters" USING btree ("dossier_id","issued_at");