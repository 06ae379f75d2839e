import { createDb, periodOf, placeHold, upsertTenant } from "@replibot/db";
import { runClosedLoop } from "../lib/load.ts";
import { type Benchmark, type BenchResult, latencyRow } from "../lib/result.ts";
import { ratePerSec, summarize } from "../lib/stats.ts";

const callers = 50;
// apps/worker opens its pool with max 10 (worker.ts): the callers queue for those connections, as jobs do.
const workerPoolSize = 10;

export const admissionBenchmark: Benchmark = {
  name: "admission",
  measures: `spend holds/s on one tenant's budget row, ${callers} concurrent callers through a pool of ${workerPoolSize} (the worker's), pool wait included`,
  async run(context): Promise<BenchResult> {
    const durationMs = context.smoke ? 3_000 : 30_000;
    const maxCalls = context.smoke ? 20_000 : 200_000;
    const handle = createDb({ url: await context.createDatabase("admission"), max: workerPoolSize });
    try {
      const tenant = await upsertTenant(handle.db, "discord", "100000000000000001", "Bench server");
      // Holds reference their job row, so every call gets a job of its own, written beforehand.
      await handle.sql`
        insert into jobs (id, tenant_id, user_id, kind, input, reply_target)
        select 'bench-' || i, ${tenant.id}, 'u' || (i % ${callers}), 'ask', '{}'::jsonb, '{}'::jsonb
          from generate_series(0, ${maxCalls - 1}) as i`;
      await handle.sql`vacuum analyze jobs`;
      const period = periodOf(new Date());
      const latenciesMs: number[] = [];
      let refused = 0;
      const call = async (i: number) => {
        const started = performance.now();
        const result = await placeHold(handle.db, {
          jobId: `bench-${i}`,
          tenantId: tenant.id,
          userId: `u${i % callers}`,
          period,
          amountNanos: 1_000n,
          // Far above what the run can hold: every call is admitted, so each is a full admission.
          limitNanos: 10n ** 15n,
        });
        latenciesMs.push(performance.now() - started);
        if (!result.ok) refused++;
      };
      // Warm the pool's connections and prepared statements, as a running worker's are.
      const warm = await runClosedLoop({ concurrency: callers, durationMs: 1_000, maxCalls: 500, call });
      latenciesMs.length = 0;
      context.log(`warm-up: ${warm.completed} holds; measuring for ${durationMs / 1000} s`);
      const offset = warm.completed + warm.failed;
      const run = await runClosedLoop({
        concurrency: callers,
        durationMs,
        maxCalls: maxCalls - offset,
        call: (i) => call(i + offset),
      });
      const rate = ratePerSec(run.completed, run.spanMs);
      const latency = summarize(latenciesMs);
      const [budget] = await handle.sql<{ held: string }[]>`
        select held_nanos::text as held from budgets where tenant_id = ${tenant.id} and period = ${period}`;
      const expectedHeld = BigInt(warm.completed + run.completed - refused) * 1_000n;
      return {
        rows: [latencyRow("placeHold, pool wait included", latency, "ms", rate)],
        targets: [
          { target: "≥ 2,000 holds/s", measured: `${Math.round(rate)} holds/s`, held: rate >= 2_000 },
          { target: "p99 reported", measured: `${latency.p99.toFixed(1)} ms`, held: null },
        ],
        notes: [
          `${run.completed} holds in ${(run.spanMs / 1000).toFixed(1)} s, ${run.failed} errors, ${refused} refused`,
          `budget row holds ${budget?.held} nanos, ${BigInt(budget?.held ?? "0") === expectedHeld ? "exactly" : "NOT"} the sum of the holds`,
        ],
      };
    } finally {
      await handle.close();
    }
  },
};
