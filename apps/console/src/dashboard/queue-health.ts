import { queuedJobsAge } from "@replibot/db";
import { type Heartbeat, lastSweepAt, readHeartbeats } from "@replibot/queue";
import type { ConsoleDeps } from "../deps.ts";

/** The queue as the dashboard shows it: BullMQ's counts, every live process, the sweep and the backlog. */
export interface QueueHealth {
  /** Per queue (`jobs`, `relays`): waiting (with prioritized), active, delayed, failed. */
  queues: { name: string; waiting: number; active: number; delayed: number; failed: number }[];
  processes: (Pick<Heartbeat, "app" | "id" | "healthy" | "problems"> & { ageMs: number })[];
  lastSweepAgoMs: number | null;
  /** Jobs queued in Postgres (the source of truth), and how long the oldest has waited. */
  queuedJobs: number;
  oldestQueuedAgeMs: number | null;
  /** What could not be read (Redis down), one line each. */
  problems: string[];
}

/**
 * Reads the deployment's queue health from where /healthz reads it (heartbeats and the last sweep in
 * Redis under the deployment's prefix, jobs in Postgres) plus BullMQ's own counts. A part that cannot
 * be read is named in `problems`, and the page still shows the rest.
 */
export async function readQueueHealth(deps: ConsoleDeps, nowMs = Date.now()): Promise<QueueHealth> {
  const problems: string[] = [];
  const [counts, beats, swept, queued] = await Promise.all([
    deps.producer.counts().catch(() => {
      problems.push("the queue's counts could not be read from Redis");
      return undefined;
    }),
    readHeartbeats(deps.redis, deps.prefix).catch(() => {
      problems.push("the processes' heartbeats could not be read from Redis");
      return [] as Heartbeat[];
    }),
    lastSweepAt(deps.redis, deps.prefix).catch(() => undefined),
    queuedJobsAge(deps.db),
  ]);
  const queues = Object.entries(counts ?? {}).map(([name, c]) => ({
    name,
    waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
    active: c.active ?? 0,
    delayed: c.delayed ?? 0,
    failed: c.failed ?? 0,
  }));
  const processes = beats
    .map((b) => ({
      app: b.app,
      id: b.id,
      healthy: b.healthy,
      problems: b.problems,
      ageMs: Math.max(0, nowMs - b.at),
    }))
    .sort((a, b) => a.app.localeCompare(b.app) || a.id.localeCompare(b.id));
  if (counts && !processes.some((p) => p.app === "worker")) problems.push("no worker process is alive");
  return {
    queues,
    processes,
    lastSweepAgoMs: swept === undefined ? null : Math.max(0, nowMs - swept),
    queuedJobs: queued.queued,
    oldestQueuedAgeMs: queued.oldestQueuedAt ? Math.max(0, nowMs - queued.oldestQueuedAt.getTime()) : null,
    problems,
  };
}
