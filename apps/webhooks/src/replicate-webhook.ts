import { JobId, type Logger } from "@replibot/core";
import type { Producer } from "@replibot/queue";
import { isTerminalStatus, verifyWebhook } from "@replibot/replicate";
import type { Context } from "hono";
import type { Redis } from "ioredis";
import type { WebhooksMetrics } from "./metrics.ts";

/** What the Replicate webhook route needs. */
export interface ReplicateWebhookDeps {
  redis: Redis;
  producer: Producer;
  /** The `whsec_…` secrets in force (several during rotation). */
  secrets: () => readonly string[];
  now?: () => number;
  /** How long a webhook id is remembered, to drop redeliveries. */
  dedupeTtlSecs?: number;
  /** Redis key prefix (the deployment's queue prefix); a hash tag keeps keys in one cluster slot. */
  keyPrefix?: string;
  /** This process's counters (kept in memory: a refusal touches neither Postgres nor Redis). */
  metrics?: Pick<WebhooksMetrics, "verificationFailures" | "webhooksReceived">;
  /** Lines about a job carry its id and its prediction's. */
  logger?: Logger;
}

/**
 * POST /webhooks/replicate?job=<job id>: verifies the signature before touching Postgres or Redis
 * (401 otherwise), drops redeliveries by webhook-id, answers at once, and enqueues the completion.
 */
export function replicateWebhookHandler(deps: ReplicateWebhookDeps) {
  return async (c: Context) => {
    const rawBody = new Uint8Array(await c.req.arrayBuffer());
    const verified = verifyWebhook({
      headers: c.req.raw.headers,
      rawBody,
      secrets: deps.secrets(),
      now: (deps.now ?? Date.now)(),
    });
    if (!verified.ok) {
      deps.metrics?.verificationFailures.inc({ reason: verified.reason });
      const status = verified.reason === "malformed_body" ? 400 : 401;
      return c.json({ error: `webhook refused: ${verified.reason.replaceAll("_", " ")}` }, status);
    }
    const jobId = JobId.safeParse(c.req.query("job"));
    if (!jobId.success) return c.json({ error: "webhook refused: the URL names no valid job" }, 400);
    const prediction = verified.event;
    const answer = (action: "ignored" | "duplicate" | "enqueued") => {
      deps.metrics?.webhooksReceived.inc({ action });
      return c.json({ ok: true, action });
    };
    if (!isTerminalStatus(prediction.status)) return answer("ignored");
    const seenKey = `${deps.keyPrefix ?? "{replibot}"}:webhook-seen:${verified.webhookId}`;
    const fresh = await deps.redis.set(seenKey, "1", "EX", deps.dedupeTtlSecs ?? 86_400, "NX");
    if (fresh === null) return answer("duplicate");
    const log = deps.logger?.child({ jobId: jobId.data, predictionId: prediction.id });
    try {
      await deps.producer.enqueue(
        "complete",
        { jobId: jobId.data, predictionId: prediction.id, source: "webhook" },
        { jobId: `complete-${prediction.id}-webhook` },
      );
    } catch (error) {
      // Forget the id so Replicate's retry is not taken for a duplicate, then ask it to retry.
      await deps.redis.del(seenKey).catch(() => {});
      log?.warn({ err: error }, "webhook: could not enqueue the completion; Replicate will retry");
      throw error;
    }
    log?.info({ status: prediction.status }, "webhook: completion enqueued");
    return answer("enqueued");
  };
}
