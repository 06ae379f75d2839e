import type { ChatPlatform, ConsoleStore, EditGovernor } from "@replibot/chat";
import type { Logger } from "@replibot/core";
import type { Database, DbHandle } from "@replibot/db";
import type { Producer } from "@replibot/queue";
import type { Catalog } from "@replibot/replicate";
import type { Redis } from "ioredis";
import type { ConsoleAccess } from "./access.ts";
import type { ConsoleEnv } from "./env.ts";
import type { ConsoleEventHub } from "./playground/event-hub.ts";

/** What the console's routes use, built once per process by startConsole. */
export interface ConsoleDeps {
  env: ConsoleEnv;
  access: Exclude<ConsoleAccess, { mode: "off" }>;
  db: Database;
  /** The raw Postgres client beside `db` (health checks). */
  sql: DbHandle["sql"];
  redis: Redis;
  producer: Producer;
  catalog: Catalog;
  logger: Logger;
  /** The deployment's queue key prefix (QUEUE_PREFIX). */
  prefix: string;
  /** The rate-limit windows shared with every process (request limits, chat budgets). */
  governor: EditGovernor;
  /** The playground's conversations in Redis. */
  store: ConsoleStore;
  /** The playground as a chat platform: the console posts placeholders through it, as the Slack app does. */
  platform: ChatPlatform;
  /** Pushes each conversation's changes to the pages that show it. */
  events: ConsoleEventHub;
  /** The console's origin as the worker reaches it (known once it listens): voice notes are fetched from it. */
  publicOrigin(): string;
}
