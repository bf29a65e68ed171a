CREATE TABLE "inbound_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"position" text,
	"claimed_by" text,
	"claimed_until" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_refusals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"via" text NOT NULL,
	"national_code" text,
	"reason" text NOT NULL,
	"excerpt" text
);
--> statement-breakpoint
CREATE INDEX "inbound_refusals_at_idx" ON "inbound_refusals" USING btree ("at");