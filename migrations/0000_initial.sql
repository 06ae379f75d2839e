CREATE TABLE "budgets" (
	"tenant_id" uuid NOT NULL,
	"period" text NOT NULL,
	"limit_nanos" bigint NOT NULL,
	"spent_nanos" bigint DEFAULT 0 NOT NULL,
	"held_nanos" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "budgets_tenant_id_period_pk" PRIMARY KEY("tenant_id","period"),
	CONSTRAINT "budgets_period_format" CHECK ("budgets"."period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "budgets_spent_nonnegative" CHECK ("budgets"."spent_nanos" >= 0),
	CONSTRAINT "budgets_held_nonnegative" CHECK ("budgets"."held_nanos" >= 0),
	CONSTRAINT "budgets_limit_nonnegative" CHECK ("budgets"."limit_nanos" >= 0)
);
--> statement-breakpoint
CREATE TABLE "channel_settings" (
	"tenant_id" uuid NOT NULL,
	"channel_id" text NOT NULL,
	"auto_transcribe" boolean DEFAULT false NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_settings_tenant_id_channel_id_pk" PRIMARY KEY("tenant_id","channel_id")
);
--> statement-breakpoint
CREATE TABLE "holds" (
	"job_id" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"period" text NOT NULL,
	"amount_nanos" bigint NOT NULL,
	"status" text DEFAULT 'held' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "holds_amount_nonnegative" CHECK ("holds"."amount_nanos" >= 0)
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"model" text,
	"input" jsonb NOT NULL,
	"reply_target" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"prediction_id" text,
	"error" text,
	"parent_job_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"deadline_at" timestamp with time zone,
	CONSTRAINT "jobs_prediction_id_key" UNIQUE("prediction_id"),
	CONSTRAINT "jobs_id_no_colon" CHECK (position(':' in "jobs"."id") = 0),
	CONSTRAINT "jobs_id_not_all_digits" CHECK ("jobs"."id" !~ '^[0-9]+$')
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"prediction_id" text NOT NULL,
	"job_id" text NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"model" text NOT NULL,
	"period" text NOT NULL,
	"cost_nanos" bigint NOT NULL,
	"billing" text NOT NULL,
	"breakdown" jsonb NOT NULL,
	"price_list_date" text NOT NULL,
	"prediction_status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entries_prediction_id_key" UNIQUE("prediction_id"),
	CONSTRAINT "ledger_entries_cost_nonnegative" CHECK ("ledger_entries"."cost_nanos" >= 0)
);
--> statement-breakpoint
CREATE TABLE "slack_installations" (
	"team_id" text PRIMARY KEY NOT NULL,
	"enterprise_id" text,
	"bot_user_id" text NOT NULL,
	"bot_token_encrypted" text NOT NULL,
	"installation_encrypted" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"platform" text NOT NULL,
	"external_id" text NOT NULL,
	"name" text,
	"monthly_limit_nanos" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_platform_external_id_key" UNIQUE("platform","external_id"),
	CONSTRAINT "tenants_monthly_limit_nonnegative" CHECK ("tenants"."monthly_limit_nanos" is null or "tenants"."monthly_limit_nanos" >= 0)
);
--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_settings" ADD CONSTRAINT "channel_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "holds_status_created_at_idx" ON "holds" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "jobs_status_updated_at_idx" ON "jobs" USING btree ("status","updated_at");--> statement-breakpoint
CREATE INDEX "jobs_tenant_created_at_idx" ON "jobs" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "ledger_entries_tenant_period_idx" ON "ledger_entries" USING btree ("tenant_id","period");