import type { EventEmitter } from "node:events";
import {
  type ChatInputCommandInteraction,
  type Client,
  Events,
  Routes,
  type TextChannel,
  type ThreadChannel,
} from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { type BotGuild, nextInteraction, startBotGuild } from "./bot-guild.ts";
import type { GuildInput } from "./index.ts";
import { nextEvent } from "./test-client.ts";

let env: BotGuild | undefined;

afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function start(guild: GuildInput = {}): Promise<BotGuild> {
  env = await startBotGuild({}, { guild });
  return env;
}

type Raw = Record<string, unknown> & { channel: Record<string, unknown> };

/** The `d` of every INTERACTION_CREATE the client receives: discord.js reads the channel from its cache, not from here. */
function rawInteractions(client: Client): Raw[] {
  const seen: Raw[] = [];
  (client as unknown as EventEmitter).on(Events.Raw, (packet: { t?: string; d?: Raw }) => {
    if (packet.t === "INTERACTION_CREATE" && packet.d) seen.push(packet.d);
  });
  return seen;
}

/** Runs /ask in a channel as the plain member and resolves with what discord.js made of it. */
async function askIn(bot: BotGuild, channelId: string): Promise<ChatInputCommandInteraction> {
  const arrived = nextInteraction(bot.client);
  bot.fake.slashCommand({ channelId, userId: bot.memberId, name: "ask", options: { prompt: "a fox" } });
  return (await arrived) as ChatInputCommandInteraction;
}

describe("age-restricted (nsfw) channels", () => {
  it("carries nsfw in GUILD_CREATE, GET /channels/{id} and the interaction's channel", async () => {
    const bot = await start({ channels: [{ name: "general" }, { name: "after-dark", nsfw: true }] });
    const [general = "", afterDark = ""] = bot.channelIds;
    const cached = (id: string) => bot.client.channels.cache.get(id) as TextChannel;
    expect(cached(general).nsfw).toBe(false);
    expect(cached(afterDark).nsfw).toBe(true);
    expect(await bot.rest.get(Routes.channel(afterDark))).toMatchObject({ id: afterDark, nsfw: true });
    expect(await bot.rest.get(Routes.channel(general))).toMatchObject({ id: general, nsfw: false });

    const raw = rawInteractions(bot.client);
    const inAfterDark = await askIn(bot, afterDark);
    expect((inAfterDark.channel as TextChannel).nsfw).toBe(true);
    const inGeneral = await askIn(bot, general);
    expect((inGeneral.channel as TextChannel).nsfw).toBe(false);
    expect(raw.map((d) => [d.channel.id, d.channel.nsfw])).toEqual([
      [afterDark, true],
      [general, false],
    ]);
    expect(raw[0]?.channel.permissions).toMatch(/^\d+$/);
  });

  it("tells the bot about new and changed channels with CHANNEL_CREATE and CHANNEL_UPDATE", async () => {
    const bot = await start();
    const { fake, client, guildId, channelId } = bot;
    const created = nextEvent(client, Events.ChannelCreate);
    const art = fake.addChannel(guildId, { name: "art", nsfw: true });
    const [channel] = await created;
    expect(channel.id).toBe(art);
    expect((channel as TextChannel).nsfw).toBe(true);

    let updated = nextEvent(client, Events.ChannelUpdate);
    fake.setChannelNsfw(channelId, true);
    const [before, after] = await updated;
    expect([(before as TextChannel).nsfw, (after as TextChannel).nsfw]).toEqual([false, true]);
    expect(((await askIn(bot, channelId)).channel as TextChannel).nsfw).toBe(true);
    expect(await bot.rest.get(Routes.channel(channelId))).toMatchObject({ nsfw: true });

    updated = nextEvent(client, Events.ChannelUpdate);
    fake.setChannelNsfw(channelId, false);
    await updated;
    expect(((await askIn(bot, channelId)).channel as TextChannel).nsfw).toBe(false);
  });

  it("gives threads no nsfw of their own: they follow the parent, and only channels can be changed", async () => {
    const bot = await start({ channels: [{ name: "after-dark", nsfw: true }] });
    const thread = (await bot.rest.post(Routes.threads(bot.channelId), {
      body: { name: "late night", type: 11 },
    })) as Record<string, unknown>;
    expect(thread).toMatchObject({ parent_id: bot.channelId, type: 11 });
    expect(thread).not.toHaveProperty("nsfw");
    const cachedThread = await bot.fake.waitFor(
      () => bot.client.channels.cache.get(String(thread.id)) as ThreadChannel | undefined,
    );
    expect((cachedThread.parent as TextChannel).nsfw).toBe(true);

    expect(() => bot.fake.setChannelNsfw(String(thread.id), true)).toThrow(/public-thread/);
    expect(() => bot.fake.setChannelNsfw(bot.fake.addDmChannel(bot.memberId), true)).toThrow(/dm/);
    expect(() => bot.fake.setChannelNsfw("1", true)).toThrow(/no channel/);
  });
});
