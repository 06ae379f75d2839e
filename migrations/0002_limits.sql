CREATE TABLE "operator_budgets" (
	"period" text PRIMARY KEY NOT NULL,
	"spent_nanos" bigint DEFAULT 0 NOT NULL,
	"held_nanos" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "operator_budgets_spent_nonnegative" CHECK ("operator_budgets"."spent_nanos" >= 0),
	CONSTRAINT "operator_budgets_held_nonnegative" CHECK ("operator_budgets"."held_nanos" >= 0)
);
--> statement-breakpoint
CREATE TABLE "spend_alerts" (
	"tenant_id" uuid NOT NULL,
	"period" text NOT NULL,
	"threshold_percent" integer NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "spend_alerts_tenant_id_period_threshold_percent_pk" PRIMARY KEY("tenant_id","period","threshold_percent")
);
--> statement-breakpoint
CREATE TABLE "user_limits" (
	"tenant_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"daily_limit_nanos" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_limits_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id"),
	CONSTRAINT "user_limits_nonnegative" CHECK ("user_limits"."daily_limit_nanos" >= 0)
);
--> statement-breakpoint
CREATE TABLE "user_spend" (
	"tenant_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"day" text NOT NULL,
	"spent_nanos" bigint DEFAULT 0 NOT NULL,
	"held_nanos" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "user_spend_tenant_id_user_id_day_pk" PRIMARY KEY("tenant_id","user_id","day"),
	CONSTRAINT "user_spend_spent_nonnegative" CHECK ("user_spend"."spent_nanos" >= 0),
	CONSTRAINT "user_spend_held_nonnegative" CHECK ("user_spend"."held_nanos" >= 0)
);
--> statement-breakpoint
ALTER TABLE "holds" ADD COLUMN "day" text DEFAULT to_char(now() at time zone 'utc', 'YYYY-MM-DD') NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "alerts_channel_id" text;--> statement-breakpoint
ALTER TABLE "spend_alerts" ADD CONSTRAINT "spend_alerts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_limits" ADD CONSTRAINT "user_limits_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_spend" ADD CONSTRAINT "user_spend_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;