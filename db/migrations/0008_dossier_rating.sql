ALTER TABLE "dossiers" ADD COLUMN "rating" integer;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "rating_comment" text;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "rated_at" timestamp with time zone;