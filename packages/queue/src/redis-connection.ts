import { AppError, scrubSecrets } from "@replibot/core";
import { Redis } from "ioredis";

/** Who holds the connection: workers block and wait; producers fail fast so an ack never hangs. */
export type RedisRole = "worker" | "producer";

/** Options for {@link createRedis}. */
export interface CreateRedisOptions {
  url: string;
  role: RedisRole;
  connectTimeoutMs?: number;
}

/** "host:port", safe to print. */
export function describeRedisUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 6379}`;
}

/** Validates a redis:// URL; throws config_invalid naming REDIS_URL. */
export function parseRedisUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError("config_invalid", "REDIS_URL: not a URL (expected redis://host:6379)");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new AppError(
      "config_invalid",
      `REDIS_URL: scheme must be redis:// or rediss://, not ${parsed.protocol}//`,
    );
  }
  return parsed;
}

/**
 * An ioredis connection for one role. Workers use `maxRetriesPerRequest: null` (BullMQ requires it);
 * producers have no offline queue, so a command against a dead Redis rejects at once.
 */
export function createRedis(options: CreateRedisOptions): Redis {
  parseRedisUrl(options.url);
  const common = {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  };
  const redis =
    options.role === "worker"
      ? new Redis(options.url, { ...common, maxRetriesPerRequest: null, enableOfflineQueue: true })
      : new Redis(options.url, { ...common, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  // Errors surface through the commands that fail; an unhandled 'error' event would crash the process.
  redis.on("error", () => {});
  return redis;
}

/** Connects and waits until Redis answers PING, or throws redis_unavailable naming REDIS_URL. */
export async function connectRedis(redis: Redis, url: string, timeoutMs = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const attempt = (async () => {
      if (redis.status === "wait") await redis.connect();
      await redis.ping();
    })();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([attempt, timeout]);
  } catch (error) {
    redis.disconnect();
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError(
      "redis_unavailable",
      `REDIS_URL: cannot connect to Redis at ${describeRedisUrl(url)} (${scrubSecrets(message)})`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** True when Redis answers PING within `timeoutMs`. */
export async function pingRedis(redis: Redis, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const ping = redis.ping().then(
      (answer) => answer === "PONG",
      () => false,
    );
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
