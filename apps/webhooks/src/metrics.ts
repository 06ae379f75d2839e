import { type Producer, readSharedCounters } from "@replibot/queue";
import type { Redis } from "ioredis";
import type postgres from "postgres";
import { Counter, Gauge, Registry } from "prom-client";

/** The metrics registry of a webhooks process, and the counters its own routes add to. */
export interface WebhooksMetrics {
  registry: Registry;
  /** Webhooks refused before anything was touched, by reason (bad signature, stale, malformed body). */
  verificationFailures: Counter<"reason">;
  /** Webhooks accepted, by what was done with them (enqueued, duplicate, ignored). */
  webhooksReceived: Counter<"action">;
}

/** The figures read from Postgres at each scrape: the whole deployment's, whichever process wrote them. */
async function databaseFigures(sql: postgres.Sql) {
  const [jobs, oldest, holds, spend, stages] = await Promise.all([
    sql<{ kind: string; status: string; n: number }[]>`
      select kind, status, count(*)::int as n from jobs group by kind, status`,
    sql<{ age: number | null }[]>`
      select extract(epoch from now() - min(created_at))::float8 as age from jobs where status = 'queued'`,
    sql<{ n: number }[]>`select count(*)::int as n from holds where status = 'held'`,
    sql<{ platform: string; external_id: string; spent: string }[]>`
      select t.platform, t.external_id, b.spent_nanos::text as spent
        from budgets b join tenants t on t.id = b.tenant_id
       where b.period = to_char(now() at time zone 'utc', 'YYYY-MM')`,
    // Mean seconds in each stage over the jobs that ended in the last 15 minutes.
    sql<{ queued: number | null; running: number | null; writing: number | null }[]>`
      select avg(extract(epoch from started_at - created_at))::float8 as queued,
             avg(extract(epoch from completed_at - started_at))::float8 as running,
             avg(extract(epoch from final_written_at - completed_at))::float8 as writing
        from jobs where completed_at > now() - interval '15 minutes' and started_at is not null`,
  ]);
  return { jobs, oldestAgeSecs: oldest[0]?.age ?? 0, openHolds: holds[0]?.n ?? 0, spend, stages: stages[0] };
}

/**
 * Prometheus metrics for GET /metrics: this process's own webhook counters; figures read from
 * Postgres at each scrape (jobs by kind and outcome, the oldest queued job, time in each stage, open
 * holds, spend per tenant this month); queue depths from BullMQ; and the counters every worker adds
 * to Redis (governor waits, dropped interim edits, platform 429s, sweep actions, Replicate errors).
 */
export function createWebhooksMetrics(deps: {
  sql: postgres.Sql;
  redis: Redis;
  producer?: Producer;
  prefix: string;
}): WebhooksMetrics {
  const registry = new Registry();
  const verificationFailures = new Counter({
    name: "replibot_webhook_verification_failures_total",
    help: "Replicate webhooks refused before anything was touched, by reason",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const webhooksReceived = new Counter({
    name: "replibot_webhooks_received_total",
    help: "Verified Replicate webhooks, by what was done with them",
    labelNames: ["action"] as const,
    registers: [registry],
  });
  const jobs = new Gauge({
    name: "replibot_jobs",
    help: "Jobs by kind and status",
    labelNames: ["kind", "status"] as const,
    registers: [registry],
  });
  const oldest = new Gauge({
    name: "replibot_oldest_queued_job_seconds",
    help: "Age of the oldest queued job",
    registers: [registry],
  });
  const stage = new Gauge({
    name: "replibot_stage_seconds",
    help: "Mean seconds in each stage (queued, running, writing) over jobs ended in the last 15 minutes",
    labelNames: ["stage"] as const,
    registers: [registry],
  });
  const holds = new Gauge({
    name: "replibot_open_holds",
    help: "Spend holds not yet settled or released",
    registers: [registry],
  });
  const spend = new Gauge({
    name: "replibot_spend_usd",
    help: "Each tenant's spend this month (UTC), from the ledger's totals",
    labelNames: ["platform", "tenant"] as const,
    registers: [registry],
  });
  const depth = new Gauge({
    name: "replibot_queue_jobs",
    help: "BullMQ jobs by queue and state",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
  });
  const shared = new Gauge({
    name: "replibot_worker_events_total",
    help: "Events counted by every worker: governor waits, dropped interim edits, platform 429s, sweep actions, Replicate errors",
    labelNames: ["event", "detail"] as const,
    registers: [registry],
  });
  // One collect refreshes every gauge: prom-client awaits it before rendering.
  new Gauge({
    name: "replibot_scrape_ok",
    help: "1 when the last scrape read Postgres and Redis",
    registers: [registry],
    async collect() {
      let ok = 1;
      try {
        const figures = await databaseFigures(deps.sql);
        jobs.reset();
        for (const row of figures.jobs) jobs.set({ kind: row.kind, status: row.status }, row.n);
        oldest.set(figures.oldestAgeSecs);
        holds.set(figures.openHolds);
        spend.reset();
        for (const row of figures.spend)
          spend.set({ platform: row.platform, tenant: row.external_id }, Number(row.spent) / 1e9);
        for (const name of ["queued", "running", "writing"] as const)
          stage.set({ stage: name }, figures.stages?.[name] ?? 0);
      } catch {
        ok = 0;
      }
      try {
        if (deps.producer) {
          depth.reset();
          for (const [queue, states] of Object.entries(await deps.producer.counts())) {
            for (const [state, n] of Object.entries(states)) depth.set({ queue, state }, n);
          }
        }
        shared.reset();
        for (const sample of await readSharedCounters(deps.redis, deps.prefix)) {
          shared.set({ event: sample.name, detail: Object.values(sample.labels).join(",") }, sample.value);
        }
      } catch {
        ok = 0;
      }
      this.set(ok);
    },
  });
  return { registry, verificationFailures, webhooksReceived };
}
