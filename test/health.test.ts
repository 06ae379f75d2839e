import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

// GET /healthz on apps/webhooks sums up the deployment from every process's heartbeat in Redis.
let stack: DiscordStack;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "health" });
});
afterAll(async () => {
  await stack?.close();
});

type Health = {
  ok: boolean;
  problems: string[];
  processes: { app: string; healthy: boolean }[];
  reconciler: { lastSweepAgoMs: number | null; backlog: number | null };
};

async function health(): Promise<{ status: number; body: Health }> {
  const response = await fetch(`${stack.webhooks.url}/healthz`);
  return { status: response.status, body: (await response.json()) as Health };
}

/** Waits (generously: heartbeats come every 10 s) until /healthz answers `status`. */
const healthBecomes = (status: number) =>
  eventually(async () => {
    const now = await health();
    return now.status === status ? now.body : undefined;
  }, 45_000);

describe("GET /healthz for the whole deployment", () => {
  it("is green with a worker, the Discord gateway and webhooks alive, and says which processes it sees", async () => {
    const body = await healthBecomes(200);
    expect(body.problems).toEqual([]);
    const apps = body.processes.map((p) => p.app).sort();
    expect(apps).toEqual(expect.arrayContaining(["discord", "webhooks", "worker"]));
    expect(body.reconciler.backlog).toBe(0);
  });

  it("goes red when the worker stops taking jobs while alive, and green again when it resumes", async () => {
    const [jobs] = stack.worker.consumers;
    await jobs!.worker.pause();
    const red = await healthBecomes(503);
    expect(red.problems.join("\n")).toMatch(/^worker .+: not taking jobs from the jobs queue$/m);
    jobs!.worker.resume();
    await healthBecomes(200);
  }, 120_000);

  it("goes red when no worker is alive, and green again once one starts", async () => {
    await stack.worker.close();
    expect((await healthBecomes(503)).problems).toContain("no worker process is alive");
    await stack.startWorker();
    await healthBecomes(200);
  }, 120_000);

  it("goes red when the Discord gateway is gone", async () => {
    await stack.discord.bot.client.destroy();
    const red = await healthBecomes(503);
    expect(red.problems.join("\n")).toMatch(/^discord .+: the Discord gateway is not connected$/m);
    await stack.restartDiscord();
    await healthBecomes(200);
  }, 120_000);
});
