/**
 * `npm run bench [-- [--smoke] [name…]]`: runs the benchmarks of issue 14 on this machine, prints each
 * one's table and appends the run to bench/results.json. Each benchmark is bounded in time and load
 * and sends traffic only to 127.0.0.1. Redis is a private instance (so its operation count is ours
 * alone); Postgres is the machine's server (durable commits, as in production), in fresh databases.
 */
import { startPrivateRedis } from "../test/chaos/private-services.ts";
import { testEnv } from "../test/helpers/test-env.ts";
import { benchmarks } from "./benchmarks/index.ts";
import { type BenchDatabase, createBenchDatabase } from "./lib/databases.ts";
import { machine, readCounters, storeRates } from "./lib/machine.ts";
import type { BenchContext } from "./lib/result.ts";
import { appendRuns, type RecordedRun, resultsPath } from "./lib/results-file.ts";
import { formatResult } from "./lib/table.ts";

const args = process.argv.slice(2);
const smoke = args.includes("--smoke");
const names = args.filter((a) => !a.startsWith("--"));
const unknown = names.filter((n) => !benchmarks.some((b) => b.name === n));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark ${unknown.join(", ")}; known: ${benchmarks.map((b) => b.name).join(", ")}`,
  );
  process.exit(2);
}
const selected = names.length > 0 ? benchmarks.filter((b) => names.includes(b.name)) : benchmarks;
// The machine's Postgres, as the suites use it (TEST_POSTGRES_URL overrides it).
const postgresUrl = testEnv.postgresUrl;
// A benchmark that has not ended by then has hung: the run fails rather than waiting forever.
const benchTimeoutMs = (smoke ? 3 : 12) * 60_000;

async function main(): Promise<number> {
  const redis = await startPrivateRedis({ persist: false });
  const command = `npm run bench${args.length > 0 ? ` -- ${args.join(" ")}` : ""}`;
  const box = machine();
  console.log(
    `${box.cores} cores (${box.cpuModel}), ${box.memoryGiB} GiB, Node ${box.node}; ${smoke ? "smoke" : "full"} run.` +
      " The load generator, fakes and emulator share this machine with the apps.",
  );
  const runs: RecordedRun[] = [];
  let failures = 0;
  try {
    for (const benchmark of selected) {
      const databases: BenchDatabase[] = [];
      const context: BenchContext = {
        smoke,
        postgresUrl,
        redisUrl: redis.url,
        async createDatabase(label) {
          const database = await createBenchDatabase(postgresUrl, label);
          databases.push(database);
          return database.url;
        },
        log: (message) => console.log(`  [${benchmark.name}] ${message}`),
      };
      console.log(`\n${benchmark.name}: ${benchmark.measures}`);
      const before = await readCounters(redis.url, postgresUrl);
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`did not end within ${benchTimeoutMs} ms`)),
            benchTimeoutMs,
          );
        });
        const result = await Promise.race([benchmark.run(context), timeout]);
        const stores = storeRates(before, await readCounters(redis.url, postgresUrl));
        result.notes.push(
          `Redis ${stores.redisOpsPerSec.toLocaleString("en-US")} commands/s and Postgres ` +
            `${stores.pgCommitsPerSec.toLocaleString("en-US")} commits/s on average over the benchmark`,
        );
        console.log(formatResult(benchmark.name, result));
        runs.push({
          benchmark: benchmark.name,
          date: new Date().toISOString(),
          command,
          smoke,
          machine: box,
          stores,
          durationMs: Date.now() - started,
          ...result,
        });
      } catch (error) {
        failures++;
        console.error(`${benchmark.name} failed: ${error instanceof Error ? error.stack : String(error)}`);
      } finally {
        clearTimeout(timer);
        for (const database of databases) await database.drop().catch(() => {});
      }
    }
  } finally {
    await redis.close();
  }
  if (runs.length > 0) {
    appendRuns(runs);
    console.log(`\nappended ${runs.length} run(s) to ${resultsPath}`);
  }
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
