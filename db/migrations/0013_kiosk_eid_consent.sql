CREATE TABLE "kiosk_approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"outcome" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kiosk_approvals" ADD CONSTRAINT "kiosk_approvals_session_id_kiosk_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."kiosk_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "kiosk_approvals_token_key" ON "kiosk_approvals" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "kiosk_approvals_session_idx" ON "kiosk_approvals" USING btree ("session_id");