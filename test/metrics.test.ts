import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";
import { TEST_METRICS_TOKEN } from "./helpers/pipeline.ts";

let stack: DiscordStack;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "metrics" });
});
afterAll(async () => {
  await stack?.close();
});

/** One sample's value from Prometheus text, by metric name and labels (in any order). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

const metrics = async () => {
  const response = await fetch(`${stack.webhooks.url}/metrics`, {
    headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
  });
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
};

describe("GET /metrics", () => {
  it("refuses without METRICS_TOKEN: it shows every tenant's figures", async () => {
    for (const authorization of [
      undefined,
      "Bearer wrong-token-0123456789xx",
      `Basic ${TEST_METRICS_TOKEN}`,
    ]) {
      const response = await fetch(`${stack.webhooks.url}/metrics`, {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain("replibot_");
    }
  });

  it("shows jobs by kind and outcome, holds, spend, stages, queues and webhook refusals after a scripted run", async () => {
    const ok = stack.ask("mia", "Repeat exactly:\nCounted.");
    stack.emulator.control.failNextPredictions({ error: "boom" });
    const failed = stack.ask("max", "Repeat exactly:\nNot counted.");
    const done = [await stack.finished(ok.interactionId), await stack.finished(failed.interactionId)];
    expect(done.map((job) => job.status).sort()).toEqual(["failed", "succeeded"]);
    const forged = await fetch(`${stack.webhooks.url}/webhooks/replicate?job=discord-1`, {
      method: "POST",
      headers: {
        "webhook-id": "msg_x",
        "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
        "webhook-signature": "v1,Zm9yZ2Vk",
      },
      body: "{}",
    });
    expect(forged.status).toBe(401);

    const text = await eventually(async () => {
      const now = await metrics();
      // Workers add their counts to Redis every few seconds; wait for the sweep's to arrive.
      return sample(now, "replibot_worker_events_total", { event: "sweep" }) !== undefined ||
        now.includes('event="sweep"')
        ? now
        : undefined;
    }, 30_000).catch(() => metrics());
    expect(sample(text, "replibot_jobs", { kind: "ask", status: "succeeded" })).toBe(1);
    expect(sample(text, "replibot_jobs", { kind: "ask", status: "failed" })).toBe(1);
    expect(sample(text, "replibot_open_holds")).toBe(0);
    expect(sample(text, "replibot_oldest_queued_job_seconds")).toBe(0);
    expect(sample(text, "replibot_webhook_verification_failures_total", { reason: "bad_signature" })).toBe(1);
    expect(sample(text, "replibot_webhooks_received_total", { action: "enqueued" })).toBeGreaterThanOrEqual(
      2,
    );
    const spent = sample(text, "replibot_spend_usd", { platform: "discord", tenant: stack.guildId });
    expect(spent).toBeGreaterThan(0);
    expect(sample(text, "replibot_stage_seconds", { stage: "running" })).toBeGreaterThan(0);
    expect(sample(text, "replibot_queue_jobs", { queue: "jobs", state: "waiting" })).toBe(0);
    expect(sample(text, "replibot_scrape_ok")).toBe(1);
    expect(text).toContain("# HELP replibot_worker_events_total");
    // The sample Grafana dashboard only charts families this endpoint serves.
    const dashboard = readFileSync(new URL("../deploy/grafana-dashboard.json", import.meta.url), "utf8");
    const charted = new Set(dashboard.match(/replibot_[a-z_]+/g));
    expect(charted.size).toBeGreaterThan(5);
    for (const name of charted) expect(text, name).toContain(`# HELP ${name} `);
  });
});
