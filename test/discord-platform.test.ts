import { createDiscordPlatform, createDiscordRest, createEditGovernor, discordLimits } from "@replibot/chat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeDiscord, type FakeDiscord } from "./fakes/discord/index.ts";
import { createTestRedis, type TestRedis } from "./helpers/test-redis.ts";

let fake: FakeDiscord;
let redis: TestRedis;
beforeAll(async () => {
  fake = await createFakeDiscord();
  redis = createTestRedis("platform");
});
afterAll(async () => {
  await fake.close();
  await redis.cleanup();
});

describe("the Discord platform", () => {
  it("takes Discord's Retry-After as authoritative: every process's governor waits, and the write still lands", async () => {
    const { channelIds } = fake.addGuild({ channels: [{ name: "general" }] });
    const channelId = channelIds[0]!;
    const governor = createEditGovernor({ redis: redis.connect("worker"), prefix: redis.prefix });
    const otherProcess = createEditGovernor({ redis: redis.connect("worker"), prefix: redis.prefix });
    const platform = createDiscordPlatform({
      rest: createDiscordRest({ api: fake.apiUrl, token: fake.botToken, governor }),
      governor,
    });
    // An expired interaction token: writes go through the bot token to the channel.
    const target = {
      platform: "discord" as const,
      applicationId: fake.applicationId,
      interactionToken: "gone",
      channelId,
      messageId: "@original",
      tokenExpiresAtMs: 1,
    };
    const messageId = await platform.createContinuation(target, { text: "first" });
    fake.failNext({
      method: "PATCH",
      route: "/channels/:channel_id/messages/:message_id",
      status: 429,
      headers: { "retry-after": "1" },
    });
    const edit = platform.edit(target, { kind: "continuation", messageId }, { text: "second" });
    // A roomy window under the same key: only the block from Retry-After can refuse it.
    const budget = {
      key: `discord-channel-${channelId}`,
      limit: 1_000,
      windowMs: discordLimits.channelMessages.windowMs,
    };
    const refused = await (async () => {
      for (let i = 0; i < 40; i++) {
        const attempt = await otherProcess.tryAcquire([budget]);
        if (!attempt.ok) return attempt;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return undefined;
    })();
    expect(refused?.ok).toBe(false);
    expect(refused?.ok === false && refused.retryInMs).toBeLessThanOrEqual(1_100);
    await edit;
    expect(fake.message(messageId)!.content).toBe("second");
    expect(fake.rateLimitLog()).toHaveLength(1);
  });
});
