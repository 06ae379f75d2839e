import type { Benchmark } from "../lib/result.ts";
import { ackBenchmark } from "./ack.ts";
import { admissionBenchmark } from "./admission.ts";
import { finalBenchmark } from "./final.ts";
import { firstTokenBenchmark } from "./first-token.ts";
import { governorBenchmark } from "./governor.ts";
import { memoryBenchmark } from "./memory.ts";
import { overheadBenchmark } from "./overhead.ts";
import { queueBenchmark } from "./queue.ts";
import { webhooksBenchmark } from "./webhooks.ts";

/** Every benchmark, in the order `npm run bench` runs them (the order of priority). */
export const benchmarks: Benchmark[] = [
  queueBenchmark,
  admissionBenchmark,
  webhooksBenchmark,
  ackBenchmark,
  firstTokenBenchmark,
  finalBenchmark,
  overheadBenchmark,
  governorBenchmark,
  memoryBenchmark,
];
