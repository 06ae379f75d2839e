import type { Logger } from "@replibot/core";
import type { Database } from "@replibot/db";
import type { Producer } from "@replibot/queue";
import type { Catalog } from "@replibot/replicate";
import type { Redis } from "ioredis";
import type { ConsoleAccess } from "./access.ts";
import type { ConsoleEnv } from "./env.ts";

/** What the console's routes use, built once per process by startConsole. */
export interface ConsoleDeps {
  env: ConsoleEnv;
  access: Exclude<ConsoleAccess, { mode: "off" }>;
  db: Database;
  redis: Redis;
  producer: Producer;
  catalog: Catalog;
  logger: Logger;
  /** The deployment's queue key prefix (QUEUE_PREFIX). */
  prefix: string;
}
