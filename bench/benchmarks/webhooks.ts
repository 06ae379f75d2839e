import { signWebhook } from "@replibot/emulator";
import { Redis } from "ioredis";
import { startAppStack } from "../lib/app-stack.ts";
import { startBareServer } from "../lib/bare-server.ts";
import { type HttpCall, httpLoad } from "../lib/http-load.ts";
import { type Benchmark, type BenchResult, latencyRow } from "../lib/result.ts";

const connections = 32;
// One in ten deliveries repeats an earlier webhook-id, as Replicate's retries do: it must be dropped.
const duplicateEvery = 10;

/** A completed prediction as Replicate sends it (about 1.3 KB, an answer of a few sentences). */
function completion(index: number): string {
  const now = new Date().toISOString();
  return JSON.stringify({
    id: `benchpred${index.toString(36).padStart(8, "0")}`,
    model: "meta/meta-llama-3-8b-instruct",
    version: "dp-bench",
    input: { prompt: `benchmark question ${index}`, max_tokens: 512 },
    logs: "",
    output: Array.from({ length: 120 }, (_, i) => (i % 12 === 0 ? " answer" : " word")),
    data_removed: false,
    error: null,
    status: "succeeded",
    created_at: now,
    started_at: now,
    completed_at: now,
    source: "api",
    urls: { get: "http://127.0.0.1/v1/predictions/x", cancel: "http://127.0.0.1/v1/predictions/x/cancel" },
    metrics: { predict_time: 1.2, input_token_count: 4, output_token_count: 120, time_to_first_token: 0.1 },
  });
}

function signed(secret: string, index: number, webhookId: string, badSignature: boolean): HttpCall {
  const body = completion(index);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = signWebhook(secret, webhookId, timestamp, body);
  // A forged signature: the real one with its first character changed, so it can never verify.
  const forged = `v1,${signature[3] === "A" ? "B" : "A"}${signature.slice(4)}`;
  return {
    path: `/webhooks/replicate?job=bench-job-${index}`,
    headers: {
      "content-type": "application/json",
      "webhook-id": webhookId,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": badSignature ? forged : signature,
    },
    body,
  };
}

export const webhooksBenchmark: Benchmark = {
  name: "webhooks",
  measures: `signed completion webhooks accepted/s and bad-signature rejections/s at a webhooks process, ${connections} keep-alive connections; reference a bare node:http server answering 204`,
  async run(context): Promise<BenchResult> {
    const durationMs = context.smoke ? 3_000 : 20_000;
    const maxCalls = context.smoke ? 20_000 : 400_000;
    const stack = await startAppStack({
      databaseUrl: await context.createDatabase("webhooks"),
      redisUrl: context.redisUrl,
      workers: 0,
      webhooks: true,
      discord: false,
      slack: false,
      channels: 1,
    });
    const bare = await startBareServer();
    const port = Number(new URL(stack.webhooksUrl).port);
    const secret = stack.emulator.webhookSecret;
    const classify = (body: string) => /"action":"(\w+)"/.exec(body)?.[1] ?? body.slice(0, 40);
    try {
      const load = (targetPort: number, make: (i: number) => HttpCall, ms = durationMs) =>
        httpLoad({ port: targetPort, connections, durationMs: ms, maxCalls, make, classify });
      // Warm both servers (JIT, connections) before anything is measured.
      await load(bare.port, (i) => signed(secret, i, `warm-${i}`, true), 1_000);
      await load(port, (i) => signed(secret, i, `warm-${i}`, true), 1_000);
      context.log("bare node:http");
      const reference = await load(bare.port, (i) => signed(secret, i, `ref-${i}`, false));
      context.log("valid webhooks");
      const valid = await load(port, (i) =>
        i % duplicateEvery === duplicateEvery - 1
          ? signed(secret, i - 1, `msg-${i - 1}`, false)
          : signed(secret, i, `msg-${i}`, false),
      );
      const redis = new Redis(context.redisUrl);
      const queued = await redis.llen(`${stack.prefix}:jobs:wait`).finally(() => redis.disconnect());
      context.log("bad signatures");
      const rejected = await load(port, (i) => signed(secret, i, `bad-${i}`, true));
      const enqueued = valid.bodies.get("enqueued") ?? 0;
      const acceptedPerSec = valid.perSec;
      const ratio = rejected.perSec / reference.perSec;
      const count = (run: typeof valid) =>
        [...run.statuses].map(([status, n]) => `${n}×${status}`).join(", ") +
        (run.errors ? `, ${run.errors} errors` : "");
      return {
        rows: [
          latencyRow("bare node:http 204", reference.latency, "ms", reference.perSec),
          latencyRow("valid signed webhooks (10% duplicates)", valid.latency, "ms", acceptedPerSec),
          latencyRow("bad-signature rejections", rejected.latency, "ms", rejected.perSec),
          { figure: "valid / bare (req/s)", unit: "×", value: acceptedPerSec / reference.perSec },
          { figure: "rejections / bare (req/s)", unit: "×", value: ratio },
        ],
        targets: [
          {
            // Raised from the issue's ≥ 2,000/s: the first quiet full run took 2,961/s, 4,060/s once signatures moved to node:crypto.
            target: "≥ 3,000 valid/s (first target: 2,000) with p99 < 50 ms",
            measured: `${Math.round(acceptedPerSec)}/s, p99 ${valid.latency.p99.toFixed(1)} ms`,
            held: acceptedPerSec >= 3_000 && valid.latency.p99 < 50,
          },
          {
            target: "rejections ≥ 0.5 × the bare server's rate",
            measured: ratio.toFixed(2),
            held: ratio >= 0.5,
          },
          {
            target: "every fresh webhook enqueued its completion, every repeat dropped",
            measured: `${enqueued} enqueued, ${queued} complete jobs waiting in Redis, ${valid.bodies.get("duplicate") ?? 0} duplicates`,
            held: enqueued === queued && valid.statuses.get(200) === valid.latency.count,
          },
        ],
        notes: [
          `answers: bare ${count(reference)}; valid ${count(valid)}; bad ${count(rejected)}`,
          "the webhooks route reads no Postgres (the completion handler does, in the worker); no worker ran, so the completions stay queued",
        ],
      };
    } finally {
      await bare.close();
      await stack.close();
    }
  },
};
