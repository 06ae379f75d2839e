import type { EditGovernor, RequestLimits } from "@replibot/chat";
import type { Logger, ReplyTarget } from "@replibot/core";
import type { Database } from "@replibot/db";
import type { Producer } from "@replibot/queue";
import type { Catalog } from "@replibot/replicate";

/** Settings the Discord app's handlers read. */
export interface DiscordAppConfig {
  applicationId: string;
  /** Guild ids allowed to use the bot; undefined means all. */
  allowedTenants?: string[];
  /** The guild direct messages are charged to; undefined refuses DMs politely. */
  dmTenant?: string;
  /** DEFAULT_TENANT_LIMIT_USD and MAX_TENANT_LIMIT_USD. */
  defaultLimitNanos: bigint;
  maxLimitNanos: bigint;
  /** USER_REQUESTS_PER_MINUTE, USER_ACTIVE_JOBS and TENANT_QUEUED_JOBS_MAX. */
  limits: RequestLimits;
  /** CONVERSATION_RETENTION_DAYS: days members' words are kept where no admin set it; 30 unless given. */
  defaultRetentionDays?: number;
}

/** What the Discord app's handlers use. */
export interface DiscordAppDeps {
  db: Database;
  producer: Producer;
  catalog: Catalog;
  logger: Logger;
  config: DiscordAppConfig;
  /** Sliding windows in Redis shared by every process: members' request rates. */
  governor: EditGovernor;
  /** Whether the bot reads message content (mentions, follow-ups, DMs); set once it is connected. */
  messageContent?: () => boolean;
  /** Shows "Queued: N ahead of you" in a job's reply, ordered with the worker's writes. */
  showQueued?: (jobId: string, target: ReplyTarget, ahead: number) => Promise<void>;
}
