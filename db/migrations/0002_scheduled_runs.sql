CREATE TABLE "scheduled_runs" (
	"job" text NOT NULL,
	"period" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"report" jsonb,
	CONSTRAINT "scheduled_runs_job_period_pk" PRIMARY KEY("job","period")
);
