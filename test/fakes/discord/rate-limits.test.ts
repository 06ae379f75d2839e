import { type ChatInputCommandInteraction, Routes } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { type BotGuild, nextInteraction, startBotGuild } from "./bot-guild.ts";
import type { FakeDiscordOptions } from "./index.ts";

let env: BotGuild | undefined;

afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function start(options: FakeDiscordOptions = {}): Promise<BotGuild> {
  env = await startBotGuild(options);
  return env;
}

/** Delivers /ask and defers it through the bot's client; returns the interaction and its ids. */
async function deferredAsk(bot: BotGuild) {
  const arrived = nextInteraction(bot.client);
  const ref = bot.fake.slashCommand({
    channelId: bot.channelId,
    userId: bot.memberId,
    name: "ask",
    options: { prompt: "stream" },
  });
  const interaction = (await arrived) as ChatInputCommandInteraction;
  await interaction.deferReply();
  return { interaction, ...ref };
}

function sendable(bot: BotGuild) {
  const channel = bot.client.channels.cache.get(bot.channelId);
  if (!channel?.isSendable()) throw new Error("channel is not sendable");
  return channel;
}

describe("rate limits of the fake", () => {
  it("sends headers that one client honours: a burst is spaced out without a single 429", async () => {
    const bot = await start({ rateLimits: { channelMessages: { limit: 2, windowMs: 150 } } });
    const channel = sendable(bot);
    await Promise.all(Array.from({ length: 5 }, (_, i) => channel.send(`message ${i}`)));
    expect(bot.fake.messages(bot.channelId)).toHaveLength(5);
    expect(bot.fake.rateLimitHits()).toBe(0);
    const posts = bot.fake.requests().filter((r) => r.route === "/channels/:channel_id/messages");
    // Five sends at two per window need at least three windows.
    expect((posts.at(-1)?.realAt ?? 0) - (posts[0]?.realAt ?? 0)).toBeGreaterThanOrEqual(2 * 150);
  });

  it("answers 429 past the per-token limit; @discordjs/rest waits and retries until every edit lands", async () => {
    const bot = await start({ rateLimits: { interactionWebhook: { limit: 2, windowMs: 300 } } });
    const { interaction, interactionId, token } = await deferredAsk(bot);
    // The bot and a worker edit the same reply; they share the token's bucket but each knows only its own headers.
    const worker = bot.rest;
    const edits = Array.from({ length: 3 }, (_, i) => [
      interaction.editReply(`bot edit ${i}`),
      worker.patch(Routes.webhookMessage(bot.fake.applicationId, token, "@original"), {
        body: { content: `worker edit ${i}` },
        auth: false,
      }),
    ]).flat();
    await Promise.all(edits);
    expect(bot.fake.rateLimitHits()).toBeGreaterThan(0);
    expect(bot.fake.rateLimitLog().every((hit) => hit.scope === "user" && hit.retryAfterMs > 0)).toBe(true);
    expect(bot.fake.requests().filter((r) => r.status === 429)).toHaveLength(bot.fake.rateLimitHits());
    expect(bot.fake.interactionResponse(interactionId)?.original?.editCount).toBe(6);
  });

  it("caps interaction-webhook writes per channel across tokens with a shared-scope 429", async () => {
    const bot = await start({ rateLimits: { interactionWebhookPerChannel: { limit: 3, windowMs: 400 } } });
    const { interaction, interactionId } = await deferredAsk(bot);
    for (const text of ["a", "ab", "abc", "abcd"]) await interaction.editReply(text);
    expect(bot.fake.rateLimitLog()).toEqual([expect.objectContaining({ scope: "shared", global: false })]);
    expect(bot.fake.interactionResponse(interactionId)?.original?.contentHistory).toEqual([
      "",
      "a",
      "ab",
      "abc",
      "abcd",
    ]);
  });

  it("counts injected faults: a global 429 from failNext is waited out and retried", async () => {
    const bot = await start();
    bot.fake.failNext({
      method: "POST",
      route: "/channels/:channel_id/messages",
      status: 429,
      headers: { "retry-after": "0.2", "x-ratelimit-global": "true" },
    });
    const started = Date.now();
    await sendable(bot).send("after the global limit");
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(bot.fake.rateLimitLog()).toEqual([expect.objectContaining({ global: true, scope: "global" })]);
    expect(bot.fake.messages(bot.channelId).map((m) => m.content)).toEqual(["after the global limit"]);
  });

  it("limits bot routes to 50 requests per second per bot, but not interaction routes", async () => {
    const bot = await start({ rateLimits: { globalPerSecond: 3 } });
    const { interaction } = await deferredAsk(bot);
    // In a fresh window, four interaction-webhook edits would overrun three if they counted.
    bot.fake.clock.advance(1_000);
    for (const text of ["1", "2", "3", "4"]) await interaction.editReply(text);
    expect(bot.fake.rateLimitHits()).toBe(0);
    // Start a fresh one-second window, then send four bot-token requests at once: the fourth is over three.
    bot.fake.clock.advance(1_000);
    const channel = sendable(bot);
    await Promise.all(Array.from({ length: 4 }, (_, i) => channel.send(`global ${i}`)));
    expect(bot.fake.messages(bot.channelId).filter((m) => m.content.startsWith("global"))).toHaveLength(4);
    expect(bot.fake.rateLimitLog()).toEqual([expect.objectContaining({ scope: "global", global: true })]);
  });
});
