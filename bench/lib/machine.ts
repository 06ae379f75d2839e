import { cpus, totalmem } from "node:os";
import { Redis } from "ioredis";
import postgres from "postgres";

/** The machine a run happened on, recorded beside its figures. */
export function machine() {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}

/** Counters of the stores a figure may be bound by, read before and after a benchmark. */
export interface StoreCounters {
  atMs: number;
  redisCommands: number;
  /** Commits of every database on the Postgres server whose name starts with `replibot_bench`. */
  pgCommits: number;
}

/** Reads Redis's total commands and Postgres's commit count of the bench databases. */
export async function readCounters(redisUrl: string, postgresUrl: string): Promise<StoreCounters> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const sql = postgres(postgresUrl, { max: 1, onnotice: () => {} });
  try {
    await redis.connect();
    const info = await redis.info("stats");
    const commands = Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? Number.NaN);
    const [row] = await sql<{ commits: string }[]>`
      select coalesce(sum(xact_commit), 0)::text as commits from pg_stat_database
       where datname like 'replibot_bench%'`;
    return { atMs: Date.now(), redisCommands: commands, pgCommits: Number(row?.commits ?? Number.NaN) };
  } finally {
    redis.disconnect();
    await sql.end({ timeout: 2 });
  }
}

/** Redis commands and Postgres commits per second between two readings. */
export function storeRates(before: StoreCounters, after: StoreCounters) {
  const seconds = (after.atMs - before.atMs) / 1000;
  return {
    redisOpsPerSec: Math.round((after.redisCommands - before.redisCommands) / seconds),
    pgCommitsPerSec: Math.round((after.pgCommits - before.pgCommits) / seconds),
  };
}
