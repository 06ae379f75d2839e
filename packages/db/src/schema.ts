import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";

const nanos = (name: string) => bigint(name, { mode: "bigint" });
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/** A Discord guild, a Slack team or the console's demo tenant: whoever pays. */
export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    platform: text("platform", { enum: ["discord", "slack", "console"] }).notNull(),
    externalId: text("external_id").notNull(),
    name: text("name"),
    /** The admin's monthly limit; null means DEFAULT_TENANT_LIMIT_USD. */
    monthlyLimitNanos: nanos("monthly_limit_nanos"),
    /** Where spend alerts (80% and 100% of the limit) are posted; null means nowhere. */
    alertsChannelId: text("alerts_channel_id"),
    /** How many earlier turns of a conversation the model is given; 0 turns conversation memory off. */
    memoryTurns: integer("memory_turns").notNull().default(10),
    /** The admin's cap on the tokens of the earlier turns a request carries; null means only the model's window. */
    contextTokenCap: integer("context_token_cap"),
    /** The admin's system prompt for `/ask`; null means the catalog model's. */
    systemPrompt: text("system_prompt"),
    /** Discord: each answer gets a thread, where messages continue its conversation. */
    answerInThreads: boolean("answer_in_threads").notNull().default(false),
    /** Where and how members may use the bot (core's TenantPolicy: blocklist, channels, models, roles, image safety). */
    policy: jsonb("policy").notNull().default(sql`'{}'::jsonb`),
    /** Days members' words (prompts, turns) are kept, 1 to 365; null means CONVERSATION_RETENTION_DAYS. */
    retentionDays: integer("retention_days"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("tenants_platform_external_id_key").on(t.platform, t.externalId),
    check(
      "tenants_monthly_limit_nonnegative",
      sql`${t.monthlyLimitNanos} is null or ${t.monthlyLimitNanos} >= 0`,
    ),
    check("tenants_memory_turns_nonnegative", sql`${t.memoryTurns} >= 0`),
    check(
      "tenants_context_token_cap_positive",
      sql`${t.contextTokenCap} is null or ${t.contextTokenCap} > 0`,
    ),
    check(
      "tenants_retention_days_range",
      sql`${t.retentionDays} is null or ${t.retentionDays} between 1 and 365`,
    ),
  ],
);

/** A tenant's money for one calendar month (UTC): what it may spend, has spent and holds. */
export const budgets = pgTable(
  "budgets",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** First day of the month, "YYYY-MM". */
    period: text("period").notNull(),
    limitNanos: nanos("limit_nanos").notNull(),
    spentNanos: nanos("spent_nanos").notNull().default(sql`0`),
    heldNanos: nanos("held_nanos").notNull().default(sql`0`),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.period] }),
    check("budgets_period_format", sql`${t.period} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check("budgets_spent_nonnegative", sql`${t.spentNanos} >= 0`),
    check("budgets_held_nonnegative", sql`${t.heldNanos} >= 0`),
    check("budgets_limit_nonnegative", sql`${t.limitNanos} >= 0`),
  ],
);

/** A job's chat request: one row from the first moment, the source of truth for its state. */
export const jobs = pgTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    userId: text("user_id").notNull(),
    kind: text("kind", { enum: ["ask", "imagine", "transcribe"] }).notNull(),
    model: text("model"),
    input: jsonb("input").notNull(),
    replyTarget: jsonb("reply_target").notNull(),
    status: text("status", {
      enum: ["queued", "creating", "running", "succeeded", "failed", "canceled", "timed_out", "refused"],
    })
      .notNull()
      .default("queued"),
    predictionId: text("prediction_id").unique("jobs_prediction_id_key"),
    error: text("error"),
    /** Ids of the extra messages a long answer continued into, in order, so a retry reuses them. */
    replyMessageIds: jsonb("reply_message_ids").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** When the final message was written; until then a completion retry writes it again. */
    finalWrittenAt: timestamp("final_written_at", { withTimezone: true }),
    /** The job this one regenerates or follows, where there is one. */
    parentJobId: text("parent_job_id"),
    /** The conversation an `/ask` continues (its turns are the model's context); null for a fresh question. */
    conversationId: text("conversation_id"),
    /** Earlier turns sent to the model as context. */
    contextTurns: integer("context_turns").notNull().default(0),
    /** Earlier turns left out because they did not fit the model's window or the tenant's cap. */
    contextLeftOut: integer("context_left_out").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    deadlineAt: timestamp("deadline_at", { withTimezone: true }),
  },
  (t) => [
    index("jobs_status_updated_at_idx").on(t.status, t.updatedAt),
    index("jobs_tenant_created_at_idx").on(t.tenantId, t.createdAt),
    // Only queued rows: a run's priority counts its tenant's backlog without reading the tenant's history.
    index("jobs_queued_tenant_created_at_idx").on(t.tenantId, t.createdAt).where(sql`${t.status} = 'queued'`),
    // The ack path counts a member's unfinished jobs to cap how many run at once.
    index("jobs_tenant_user_status_idx").on(t.tenantId, t.userId, t.status),
    check("jobs_id_no_colon", sql`position(':' in ${t.id}) = 0`),
    check("jobs_id_not_all_digits", sql`${t.id} !~ '^[0-9]+$'`),
  ],
);

/** The worst-case cost of an admitted job, held against its budget until completion. */
export const holds = pgTable(
  "holds",
  {
    jobId: text("job_id")
      .primaryKey()
      .references(() => jobs.id),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    userId: text("user_id").notNull(),
    period: text("period").notNull(),
    /** The UTC day, "YYYY-MM-DD", the member's daily limit counts it in. */
    day: text("day").notNull().default(sql`to_char(now() at time zone 'utc', 'YYYY-MM-DD')`),
    amountNanos: nanos("amount_nanos").notNull(),
    status: text("status", { enum: ["held", "settled", "released"] })
      .notNull()
      .default("held"),
    createdAt: createdAt(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    index("holds_status_created_at_idx").on(t.status, t.createdAt),
    check("holds_amount_nonnegative", sql`${t.amountNanos} >= 0`),
  ],
);

/** One row per paid prediction: what it cost, computed from list prices, recorded exactly once. */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    predictionId: text("prediction_id").notNull().unique("ledger_entries_prediction_id_key"),
    jobId: text("job_id")
      .notNull()
      .references(() => jobs.id),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    userId: text("user_id").notNull(),
    model: text("model").notNull(),
    period: text("period").notNull(),
    costNanos: nanos("cost_nanos").notNull(),
    billing: text("billing", { enum: ["tokens", "images", "hardware"] }).notNull(),
    /** Units and unit prices that produced the cost (tokens, images, seconds, hardware). */
    breakdown: jsonb("breakdown").notNull(),
    priceListDate: text("price_list_date").notNull(),
    predictionStatus: text("prediction_status").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("ledger_entries_tenant_period_idx").on(t.tenantId, t.period),
    check("ledger_entries_cost_nonnegative", sql`${t.costNanos} >= 0`),
  ],
);

/** Per-channel switches an admin set, such as automatic transcription. */
export const channelSettings = pgTable(
  "channel_settings",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    channelId: text("channel_id").notNull(),
    autoTranscribe: boolean("auto_transcribe").notNull().default(false),
    updatedBy: text("updated_by"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.channelId] })],
);

/** A Slack workspace that installed the app through OAuth; tokens encrypted with SECRETS_KEY. */
export const slackInstallations = pgTable("slack_installations", {
  teamId: text("team_id").primaryKey(),
  enterpriseId: text("enterprise_id"),
  botUserId: text("bot_user_id").notNull(),
  /** AES-GCM ciphertext of the bot token, never the token itself. */
  botTokenEncrypted: text("bot_token_encrypted").notNull(),
  /** AES-GCM ciphertext of Bolt's installation object. */
  installationEncrypted: text("installation_encrypted").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** One member's daily limit in one tenant, set by an admin. */
export const userLimits = pgTable(
  "user_limits",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    dailyLimitNanos: nanos("daily_limit_nanos").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    check("user_limits_nonnegative", sql`${t.dailyLimitNanos} >= 0`),
  ],
);

/** A member's money for one UTC day in one tenant: spent and held, against their daily limit. */
export const userSpend = pgTable(
  "user_spend",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    day: text("day").notNull(),
    spentNanos: nanos("spent_nanos").notNull().default(sql`0`),
    heldNanos: nanos("held_nanos").notNull().default(sql`0`),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.day] }),
    check("user_spend_spent_nonnegative", sql`${t.spentNanos} >= 0`),
    check("user_spend_held_nonnegative", sql`${t.heldNanos} >= 0`),
  ],
);

/** Every tenant together for one month, against OPERATOR_MONTHLY_CAP_USD. */
export const operatorBudgets = pgTable(
  "operator_budgets",
  {
    period: text("period").primaryKey(),
    spentNanos: nanos("spent_nanos").notNull().default(sql`0`),
    heldNanos: nanos("held_nanos").notNull().default(sql`0`),
  },
  (t) => [
    check("operator_budgets_spent_nonnegative", sql`${t.spentNanos} >= 0`),
    check("operator_budgets_held_nonnegative", sql`${t.heldNanos} >= 0`),
  ],
);

/** Spend alerts already posted: one per threshold per tenant per month. */
export const spendAlerts = pgTable(
  "spend_alerts",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    period: text("period").notNull(),
    thresholdPercent: integer("threshold_percent").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.period, t.thresholdPercent] })],
);

/**
 * One answered `/ask` of a conversation: what the model is given as context for the next one.
 * (Named with `Table` so the query `conversationTurns` can keep the plain name.)
 */
export const conversationTurnsTable = pgTable(
  "conversation_turns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    conversationId: text("conversation_id").notNull(),
    jobId: text("job_id")
      .notNull()
      .unique("conversation_turns_job_id_key")
      .references(() => jobs.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    prompt: text("prompt").notNull(),
    answer: text("answer").notNull(),
    model: text("model").notNull(),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    /** Platform keys of the question's and the answer's messages, e.g. `discord:123`; deleting one drops the turn. */
    messageKeys: text("message_keys").array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [
    index("conversation_turns_conversation_created_at_idx").on(t.conversationId, t.createdAt),
    index("conversation_turns_message_keys_idx").using("gin", t.messageKeys),
    index("conversation_turns_created_at_idx").on(t.createdAt),
  ],
);

/** Every settings change an admin made: who, when, what it was and what it became. */
export const settingsAudit = pgTable(
  "settings_audit",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The admin's platform user id. */
    actorId: text("actor_id").notNull(),
    /** The setting changed, e.g. `blocklist`, `channels`, `memory`. */
    setting: text("setting").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    createdAt: createdAt(),
  },
  (t) => [index("settings_audit_tenant_created_at_idx").on(t.tenantId, t.createdAt)],
);
