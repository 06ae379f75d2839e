import { Agent, request } from "node:http";
import { runClosedLoop } from "./load.ts";
import { ratePerSec, type Summary, summarize } from "./stats.ts";

/** One request to send: path, headers and body. */
export interface HttpCall {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** What a closed-loop HTTP run measured. */
export interface HttpRun {
  perSec: number;
  latency: Summary;
  statuses: Map<number, number>;
  bodies: Map<string, number>;
  errors: number;
}

/**
 * A small keep-alive load generator on node:http (no dependency to install, and the same client for
 * the app and its reference, so their ratio is fair): `connections` sockets, each sending the next
 * request as soon as the previous answer has arrived, for `durationMs` or `maxCalls`, to 127.0.0.1 only.
 */
export async function httpLoad(options: {
  port: number;
  connections: number;
  durationMs: number;
  maxCalls: number;
  make: (index: number) => HttpCall;
  /** Which answer bodies to count (e.g. the webhook's `action`); none by default. */
  classify?: (body: string) => string;
}): Promise<HttpRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const bodies = new Map<string, number>();
  let errors = 0;
  const send = (call: HttpCall) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = request(
        {
          host: "127.0.0.1",
          port: options.port,
          method: "POST",
          path: call.path,
          agent,
          headers: { ...call.headers, "content-length": Buffer.byteLength(call.body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            latencies.push(performance.now() - started);
            statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
            if (options.classify) {
              const kind = options.classify(Buffer.concat(chunks).toString());
              bodies.set(kind, (bodies.get(kind) ?? 0) + 1);
            }
            resolve();
          });
        },
      );
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end(call.body);
    });
  try {
    const run = await runClosedLoop({
      concurrency: options.connections,
      durationMs: options.durationMs,
      maxCalls: options.maxCalls,
      call: (i) => send(options.make(i)),
    });
    return {
      perSec: ratePerSec(latencies.length, run.spanMs),
      latency: summarize(latencies),
      statuses,
      bodies,
      errors,
    };
  } finally {
    agent.destroy();
  }
}
