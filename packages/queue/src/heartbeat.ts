import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Redis } from "ioredis";

/** What a process says about itself in its heartbeat. */
export interface ProcessHealth {
  healthy: boolean;
  /** Why it is not healthy, in words an operator reads. */
  problems: string[];
  details?: Record<string, unknown>;
}

/** One process's latest heartbeat, as /healthz reads it. */
export interface Heartbeat extends ProcessHealth {
  app: string;
  id: string;
  pid: number;
  /** When it was written (the process's clock, ms). */
  at: number;
}

/** Options for {@link startHeartbeat}. */
export interface HeartbeatOptions {
  redis: Redis;
  /** The deployment's key prefix (QUEUE_PREFIX), so deployments sharing a Redis never mix. */
  prefix: string;
  app: string;
  intervalMs?: number;
  check(): Promise<ProcessHealth> | ProcessHealth;
}

const keyOf = (prefix: string, app: string, id: string) => `${prefix}:heartbeat:${app}:${id}`;

/**
 * Writes this process's health to Redis every `intervalMs`, with a lifetime of three intervals: a
 * process that dies, or whose event loop is stuck, disappears from /healthz by itself.
 */
export function startHeartbeat(options: HeartbeatOptions): { stop(): Promise<void> } {
  const intervalMs = options.intervalMs ?? 10_000;
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const key = keyOf(options.prefix, options.app, id);
  const beat = async () => {
    const health = await Promise.resolve(options.check()).catch((error: unknown) => ({
      healthy: false,
      problems: [`health check failed: ${error instanceof Error ? error.message : String(error)}`],
    }));
    const heartbeat: Heartbeat = { ...health, app: options.app, id, pid: process.pid, at: Date.now() };
    await options.redis.set(key, JSON.stringify(heartbeat), "PX", intervalMs * 3).catch(() => {});
  };
  void beat();
  const timer = setInterval(() => void beat(), intervalMs);
  timer.unref();
  // A Redis that restarted empty forgot every heartbeat: say it again as soon as it answers.
  const onReady = () => void beat();
  options.redis.on("ready", onReady);
  return {
    async stop() {
      clearInterval(timer);
      options.redis.off("ready", onReady);
      await options.redis.del(key).catch(() => {});
    },
  };
}

/** Every live heartbeat of a deployment. */
export async function readHeartbeats(redis: Redis, prefix: string): Promise<Heartbeat[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${prefix}:heartbeat:*`, "COUNT", 200);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  return values.flatMap((value) => {
    try {
      return value ? [JSON.parse(value) as Heartbeat] : [];
    } catch {
      return [];
    }
  });
}

/** Records that the reconciler swept just now (whichever worker ran it). */
export async function markSwept(redis: Redis, prefix: string, atMs: number): Promise<void> {
  await redis.set(`${prefix}:last-sweep`, String(atMs), "PX", 86_400_000);
}

/** When the reconciler last swept, if it ever did in the last day. */
export async function lastSweepAt(redis: Redis, prefix: string): Promise<number | undefined> {
  const value = await redis.get(`${prefix}:last-sweep`);
  return value ? Number(value) : undefined;
}
