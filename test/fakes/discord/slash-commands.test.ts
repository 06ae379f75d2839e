import {
  type ChatInputCommandInteraction,
  DiscordAPIError,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
} from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { type BotGuild, nextInteraction, startBotGuild } from "./bot-guild.ts";

let env: BotGuild | undefined;

afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function start(): Promise<BotGuild> {
  env = await startBotGuild();
  return env;
}

describe("slash commands through the fake", () => {
  it("registers the command tree and delivers a slash command with options and member permissions", async () => {
    const { fake: f, client: c, guildId, channelId, adminId, memberId } = await start();
    expect(f.commands(guildId).map((cmd) => cmd.name)).toEqual(["ask", "spend-limit", "Transcribe"]);
    expect(f.commands(guildId)[1]).toMatchObject({ default_member_permissions: "32", guild_id: guildId });

    let arrived = nextInteraction(c);
    f.slashCommand({
      guildId,
      channelId,
      userId: adminId,
      name: "spend-limit",
      subcommand: "set",
      options: { amount: 25 },
    });
    const admin = (await arrived) as ChatInputCommandInteraction;
    expect(admin.isChatInputCommand()).toBe(true);
    expect(admin.commandName).toBe("spend-limit");
    expect(admin.options.getSubcommand()).toBe("set");
    expect(admin.options.getNumber("amount")).toBe(25);
    expect(admin.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(admin.commandId).toBe(f.commands(guildId)[1]?.id);
    expect(admin.channel?.id).toBe(channelId);

    arrived = nextInteraction(c);
    const ref = f.slashCommand({
      channelId,
      userId: memberId,
      name: "ask",
      options: { prompt: "a red fox" },
    });
    const member = (await arrived) as ChatInputCommandInteraction;
    expect(member.id).toBe(ref.interactionId);
    expect(member.options.getString("prompt")).toBe("a red fox");
    expect(member.options.getString("model")).toBeNull();
    expect(member.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(false);
    expect(member.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(true);

    expect(() => f.slashCommand({ channelId, userId: memberId, name: "ask", options: {} })).toThrow(
      /required/,
    );
    expect(() => f.slashCommand({ channelId, userId: memberId, name: "imagine" })).toThrow(/not registered/);
  });

  it("shows deferReply, several editReply calls and followUps as a user sees them", async () => {
    const { fake: f, client: c, channelId, memberId, adminId } = await start();
    const arrived = nextInteraction(c);
    const { interactionId } = f.slashCommand({
      channelId,
      userId: memberId,
      name: "ask",
      options: { prompt: "hi" },
    });
    const interaction = (await arrived) as ChatInputCommandInteraction;
    const deferred = await interaction.deferReply({ withResponse: true });
    expect(deferred.interaction.responseMessageLoading).toBe(true);
    expect(f.interactionResponse(interactionId)?.original).toMatchObject({ loading: true, content: "" });
    expect(f.interactionResponse(interactionId)?.original?.id).toBe(deferred.interaction.responseMessageId);
    for (const text of ["Hel", "Hello", "Hello, world"]) await interaction.editReply(text);
    expect((await interaction.fetchReply()).content).toBe("Hello, world");
    await interaction.followUp("and one more thing");
    await interaction.followUp({ content: "only for you", flags: MessageFlags.Ephemeral });

    const response = f.interactionResponse(interactionId);
    expect(response?.callbackType).toBe(5);
    expect(response?.original).toMatchObject({
      content: "Hello, world",
      loading: false,
      editCount: 3,
      contentHistory: ["", "Hel", "Hello", "Hello, world"],
      type: 20,
      author: { id: f.applicationId, bot: true },
    });
    expect(response?.followUps.map((m) => [m.content, m.ephemeral])).toEqual([
      ["and one more thing", false],
      ["only for you", true],
    ]);
    expect(f.messages(channelId, { as: adminId }).map((m) => m.content)).toEqual([
      "Hello, world",
      "and one more thing",
    ]);
    expect(f.messages(channelId, { as: memberId }).map((m) => m.content)).toEqual([
      "Hello, world",
      "and one more thing",
      "only for you",
    ]);
    const originalId = f.interactionResponse(interactionId)?.original?.id ?? "";
    await interaction.deleteReply();
    expect(f.interactionResponse(interactionId)?.original).toBeNull();
    expect(f.message(originalId)?.deleted).toBe(true);
    expect(f.messages(channelId).map((m) => m.content)).toEqual(["and one more thing", "only for you"]);
  });

  it("refuses a first callback after 3 s with 10062, which discord.js rejects as DiscordAPIError", async () => {
    const { fake: f, client: c, channelId, memberId } = await start();
    const arrived = nextInteraction(c);
    const { interactionId } = f.slashCommand({
      channelId,
      userId: memberId,
      name: "ask",
      options: { prompt: "slow" },
    });
    const interaction = (await arrived) as ChatInputCommandInteraction;
    f.clock.advance(3_001);
    const error = await interaction.deferReply().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 10062, status: 404 });
    expect(f.interactionResponse(interactionId)?.callbackType).toBeNull();
  });

  it("refuses a second callback with 40060", async () => {
    const { fake: f, client: c, channelId, memberId, rest } = await start();
    const arrived = nextInteraction(c);
    const { interactionId, token } = f.slashCommand({
      channelId,
      userId: memberId,
      name: "ask",
      options: { prompt: "x" },
    });
    await arrived;
    await rest.post(Routes.interactionCallback(interactionId, token), {
      body: { type: 5, data: {} },
      auth: false,
    });
    const error = await rest
      .post(Routes.interactionCallback(interactionId, token), {
        body: { type: 4, data: { content: "again" } },
        auth: false,
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 40060, status: 400 });
  });

  it("refuses edits after the 15-minute token expiry with 50027; channel.send with the bot token still works", async () => {
    const { fake: f, client: c, channelId, memberId } = await start();
    const arrived = nextInteraction(c);
    const { interactionId } = f.slashCommand({
      channelId,
      userId: memberId,
      name: "ask",
      options: { prompt: "long" },
    });
    const interaction = (await arrived) as ChatInputCommandInteraction;
    await interaction.deferReply();
    await interaction.editReply("partial answer");
    f.clock.advance(15 * 60_000 + 1);
    const error = await interaction.editReply("final answer").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50027, status: 401 });
    expect(f.interactionResponse(interactionId)?.tokenExpired).toBe(true);

    // The webhook 401 was sent without auth, so @discordjs/rest kept the bot token.
    const channel = c.channels.cache.get(channelId);
    if (!channel?.isSendable()) throw new Error("channel not sendable");
    const sent = await channel.send("final answer");
    expect(f.messages(channelId).map((m) => m.content)).toEqual(["partial answer", "final answer"]);
    expect(f.message(sent.id)?.author.id).toBe(f.applicationId);
  });

  it("refuses content over 2,000 UTF-16 code units with 50035 and the errors tree", async () => {
    const { fake: f, client: c, channelId, memberId } = await start();
    const arrived = nextInteraction(c);
    f.slashCommand({ channelId, userId: memberId, name: "ask", options: { prompt: "long" } });
    const interaction = (await arrived) as ChatInputCommandInteraction;
    await interaction.deferReply();
    const exactly2000 = "😀".repeat(1000);
    await interaction.editReply(exactly2000);
    const error = await interaction.editReply(`${exactly2000}a`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({
      code: 50035,
      status: 400,
      rawError: { errors: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } } },
    });
    expect(f.messages(channelId)[0]?.content).toBe(exactly2000);
    const tooManyEmbeds = Array.from({ length: 11 }, (_, i) => ({ description: `embed ${i}` }));
    await expect(interaction.followUp({ embeds: tooManyEmbeds })).rejects.toMatchObject({ code: 50035 });
  });
});
