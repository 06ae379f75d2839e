import type { ChatPlatform, EditGovernor, RequestLimits } from "@replibot/chat";
import type { Logger } from "@replibot/core";
import type { Database } from "@replibot/db";
import type { Producer } from "@replibot/queue";
import type { Catalog } from "@replibot/replicate";
import type { WebClient } from "@slack/web-api";
import type { GroupCheck } from "./group-check.ts";

/** Settings the Slack app's handlers read. */
export interface SlackAppConfig {
  /** Team ids allowed to use the bot; undefined means all. */
  allowedTenants?: string[];
  /** DM_TENANT: the tenant direct messages to the bot are charged to; undefined refuses DMs politely. */
  dmTenant?: string;
  /** DEFAULT_TENANT_LIMIT_USD and MAX_TENANT_LIMIT_USD. */
  defaultLimitNanos: bigint;
  maxLimitNanos: bigint;
  /** USER_REQUESTS_PER_MINUTE, USER_ACTIVE_JOBS and TENANT_QUEUED_JOBS_MAX. */
  limits: RequestLimits;
  /** CONVERSATION_RETENTION_DAYS: days members' words are kept where no admin set it; 30 unless given. */
  defaultRetentionDays?: number;
}

/** Whether a member is a workspace admin or owner (Slack's `users.info`), briefly cached. */
export type AdminCheck = (client: WebClient, teamId: string, userId: string) => Promise<boolean>;

/** What the Slack app's handlers use. */
export interface SlackAppDeps {
  db: Database;
  producer: Producer;
  catalog: Catalog;
  logger: Logger;
  /** Writes to Slack as the worker does (the placeholder's queue notice, refusals in place). */
  platform: ChatPlatform;
  governor: EditGovernor;
  isAdmin: AdminCheck;
  /** Which of the given user groups a member is in (`usergroups.users.list`), briefly cached. */
  groupsOf: GroupCheck;
  config: SlackAppConfig;
}
