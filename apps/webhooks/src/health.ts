import { pingDatabase } from "@replibot/db";
import { lastSweepAt, pingRedis, readHeartbeats } from "@replibot/queue";
import type { Redis } from "ioredis";
import type postgres from "postgres";

/** The health of what this process depends on. */
export interface HealthReport {
  ok: boolean;
  database: "up" | "down";
  redis: "up" | "down";
}

/** Checks Postgres and Redis at once, each with its own timeout. */
export async function checkHealth(sql: postgres.Sql, redis: Redis): Promise<HealthReport> {
  const [databaseUp, redisUp] = await Promise.all([pingDatabase(sql), pingRedis(redis)]);
  return {
    ok: databaseUp && redisUp,
    database: databaseUp ? "up" : "down",
    redis: redisUp ? "up" : "down",
  };
}

/** How long the sweep may go without running before /healthz says no worker takes jobs. */
export const SWEEP_SILENCE_MS = 60_000;

/** The deployment as /healthz reports it. */
export interface DeploymentHealth extends HealthReport {
  /** Every live process's heartbeat: which app, whether it is well, how old the beat is. */
  processes: { app: string; id: string; healthy: boolean; problems: string[]; ageMs: number }[];
  reconciler: { lastSweepAgoMs: number | null; backlog: number | null };
  /** Why it is not ok, one line each. */
  problems: string[];
}

/**
 * The whole deployment's health, from apps/webhooks: Postgres and Redis answer; at least one worker
 * is alive and taking jobs (its heartbeat) and the sweep ran within a minute (a worker that looks
 * alive but takes nothing stops it); every other process (the Discord gateway, Slack, webhooks)
 * says it is well; and how many jobs have waited over a minute.
 */
export async function checkDeployment(
  sql: postgres.Sql,
  redis: Redis,
  prefix: string,
  nowMs: number = Date.now(),
): Promise<DeploymentHealth> {
  const base = await checkHealth(sql, redis);
  const problems: string[] = [];
  if (base.database === "down") problems.push("Postgres is not answering");
  if (base.redis === "down") problems.push("Redis is not answering");
  const beats = base.redis === "up" ? await readHeartbeats(redis, prefix).catch(() => []) : [];
  const processes = beats.map((beat) => ({
    app: beat.app,
    id: beat.id,
    healthy: beat.healthy,
    problems: beat.problems,
    ageMs: Math.max(0, nowMs - beat.at),
  }));
  if (base.redis === "up" && !processes.some((p) => p.app === "worker"))
    problems.push("no worker process is alive");
  for (const p of processes.filter((p) => !p.healthy))
    problems.push(`${p.app} ${p.id}: ${p.problems.join("; ")}`);
  const swept = base.redis === "up" ? await lastSweepAt(redis, prefix).catch(() => undefined) : undefined;
  const lastSweepAgoMs = swept === undefined ? null : Math.max(0, nowMs - swept);
  if (lastSweepAgoMs !== null && lastSweepAgoMs > SWEEP_SILENCE_MS) {
    problems.push(
      `no worker has taken a job for ${Math.round(lastSweepAgoMs / 1000)} s (the sweep has not run)`,
    );
  }
  let backlog: number | null = null;
  if (base.database === "up") {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from jobs where status = 'queued' and created_at < now() - interval '1 minute'`.catch(
      () => [],
    );
    backlog = row?.n ?? null;
  }
  return { ...base, ok: problems.length === 0, processes, reconciler: { lastSweepAgoMs, backlog }, problems };
}
