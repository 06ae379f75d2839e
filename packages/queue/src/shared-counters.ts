import type { Redis } from "ioredis";

/** A counter sample read back: its name, labels and the deployment-wide total. */
export interface CounterSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Counts events in any process; the totals are kept in Redis so /metrics shows the whole deployment. */
export interface SharedCounters {
  inc(name: string, labels?: Record<string, string>, by?: number): void;
  /** Writes what was counted since the last flush (also done every few seconds). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

const hashKey = (prefix: string) => `${prefix}:metrics`;
const fieldOf = (name: string, labels: Record<string, string>) =>
  JSON.stringify([name, Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)))]);

/**
 * Counters for processes without an HTTP endpoint (workers): counted in memory and added to one
 * Redis hash every `flushMs` (one round trip however many events), never on the hot path.
 */
export function createSharedCounters(redis: Redis, prefix: string, flushMs = 5_000): SharedCounters {
  let pending = new Map<string, number>();
  const flush = async () => {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    const pipeline = redis.pipeline();
    for (const [field, by] of batch) pipeline.hincrbyfloat(hashKey(prefix), field, by);
    await pipeline.exec().catch(() => {
      // Redis is away: keep the counts for the next flush rather than lose them.
      for (const [field, by] of batch) pending.set(field, (pending.get(field) ?? 0) + by);
    });
  };
  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();
  return {
    inc(name, labels = {}, by = 1) {
      const field = fieldOf(name, labels);
      pending.set(field, (pending.get(field) ?? 0) + by);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}

/** Every shared counter's deployment-wide total. */
export async function readSharedCounters(redis: Redis, prefix: string): Promise<CounterSample[]> {
  const all = await redis.hgetall(hashKey(prefix));
  return Object.entries(all).flatMap(([field, value]) => {
    try {
      const [name, labels] = JSON.parse(field) as [string, Record<string, string>];
      return [{ name, labels, value: Number(value) }];
    } catch {
      return [];
    }
  });
}
