import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, startDiscordStack } from "./helpers/discord-stack.ts";
import { type SpawnedApp, spawnNpm } from "./helpers/spawn-app.ts";

let stack: DiscordStack;
let secondWorker: SpawnedApp;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "mixed", emulator: { tokensPerSecond: 60, imageStepMs: 150 } });
  // A second worker in its own process, started as an operator scales out.
  secondWorker = spawnNpm(["start", "-w", "@replibot/worker"], {
    DATABASE_URL: stack.database.url,
    REDIS_URL: stack.redis.url,
    QUEUE_PREFIX: stack.redis.prefix,
    PUBLIC_URL: stack.webhooks.url,
    REPLICATE_API_TOKEN: "r8_test",
    REPLICATE_API_BASE_URL: stack.emulator.baseUrl,
    DISCORD_TOKEN: stack.fake.botToken,
    DISCORD_API_BASE_URL: stack.fake.apiUrl,
    LOG_LEVEL: "info",
  });
  await secondWorker.waitFor(/worker consuming jobs/);
});
afterAll(async () => {
  secondWorker?.signal("SIGTERM");
  await secondWorker?.exited();
  await stack?.close();
});

describe("twenty concurrent /ask and /imagine across five channels, two workers", () => {
  it("every final message is exact and Discord never answers 429", async () => {
    const requests = Array.from({ length: 20 }, (_, i) => {
      const channel = stack.channelIds[i % 5]!;
      return i % 2 === 0
        ? {
            kind: "ask" as const,
            ref: stack.ask(`user${i}`, `Repeat exactly 12 times:\nline ${i} of the answer `, channel),
          }
        : {
            kind: "imagine" as const,
            ref: stack.imagine(`user${i}`, { prompt: `picture number ${i}` }, channel),
          };
    });
    const jobs = await Promise.all(requests.map((r) => stack.finished(r.ref.interactionId, 90_000)));
    for (const [i, job] of jobs.entries()) {
      expect(job.status).toBe("succeeded");
      const message = stack.fake.interactionResponse(requests[i]!.ref.interactionId)!.original!;
      if (requests[i]!.kind === "ask") {
        expect(message.content.startsWith(stack.answerOf(job))).toBe(true);
        expect(message.content).toMatch(/-# Llama 3 70B Instruct · \$0\.\d+$/);
      } else {
        expect(message.content).toMatch(new RegExp(`^\\*\\*picture number ${i}\\*\\*\\n-# FLUX`));
        expect(message.attachments).toHaveLength(1);
      }
    }
    expect(stack.fake.rateLimitLog()).toEqual([]);
    // Both workers took part: the second process ran some of the jobs.
    expect(secondWorker.output()).toMatch(/"msg":"job finished"/);
  });
});
