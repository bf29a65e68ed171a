ALTER TABLE "drafts" ADD COLUMN "counter_staff_id" uuid;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "method" text DEFAULT 'paygov' NOT NULL;--> statement-breakpoint
ALTER TABLE "drafts" ADD CONSTRAINT "drafts_counter_staff_id_staff_users_id_fk" FOREIGN KEY ("counter_staff_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;