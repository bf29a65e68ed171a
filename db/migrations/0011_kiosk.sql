CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"id_number" text NOT NULL,
	"citizen_id" uuid,
	"officer_id" uuid,
	"device_id" uuid,
	"dossier_id" uuid,
	"scope" text NOT NULL,
	"channel" text NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "kiosk_consent_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kiosk_devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"label" text NOT NULL,
	"agency_code" text NOT NULL,
	"enrol_code_hash" text,
	"enrol_expires_at" timestamp with time zone,
	"credential_hash" text,
	"enrolled_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "kiosk_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"officer_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"state" text DEFAULT 'identifying' NOT NULL,
	"id_number" text,
	"full_name" text,
	"phone" text,
	"citizen_id" uuid,
	"consent_id" uuid,
	"draft_id" uuid,
	"dossier_id" uuid,
	"csrf_secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "helper_staff_id" uuid;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "helper_kiosk_id" uuid;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "helper_agency_code" text;--> statement-breakpoint
ALTER TABLE "kiosk_consent_codes" ADD CONSTRAINT "kiosk_consent_codes_session_id_kiosk_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."kiosk_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk_devices" ADD CONSTRAINT "kiosk_devices_agency_code_agencies_code_fk" FOREIGN KEY ("agency_code") REFERENCES "public"."agencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk_sessions" ADD CONSTRAINT "kiosk_sessions_officer_id_staff_users_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk_sessions" ADD CONSTRAINT "kiosk_sessions_device_id_kiosk_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."kiosk_devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consents_id_number_idx" ON "consents" USING btree ("id_number","granted_at");--> statement-breakpoint
CREATE INDEX "kiosk_consent_codes_session_idx" ON "kiosk_consent_codes" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "kiosk_devices_credential_key" ON "kiosk_devices" USING btree ("credential_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "kiosk_devices_enrol_key" ON "kiosk_devices" USING btree ("enrol_code_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "kiosk_sessions_token_key" ON "kiosk_sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "kiosk_sessions_officer_idx" ON "kiosk_sessions" USING btree ("officer_id");--> statement-breakpoint
CREATE INDEX "dossiers_helper_idx" ON "dossiers" USING btree ("helper_agency_code","submitted_at") WHERE "dossiers"."helper_agency_code" is not null;