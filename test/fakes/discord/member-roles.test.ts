import type { EventEmitter } from "node:events";
import {
  type ChatInputCommandInteraction,
  type Client,
  Events,
  GatewayIntentBits,
  GuildMember,
} from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { type BotGuild, nextInteraction, startBotGuild } from "./bot-guild.ts";
import { botIntents, nextEvent } from "./test-client.ts";

let env: BotGuild | undefined;

afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** The `member.roles` of every INTERACTION_CREATE the client receives, as sent on the wire. */
function rawMemberRoles(client: Client): unknown[] {
  const seen: unknown[] = [];
  (client as unknown as EventEmitter).on(
    Events.Raw,
    (packet: { t?: string; d?: { member?: { roles?: unknown } } }) => {
      if (packet.t === "INTERACTION_CREATE") seen.push(packet.d?.member?.roles);
    },
  );
  return seen;
}

/** Runs /ask as `userId` and resolves with what discord.js made of it. */
async function askAs(bot: BotGuild, userId: string): Promise<ChatInputCommandInteraction> {
  const arrived = nextInteraction(bot.client);
  bot.fake.slashCommand({ channelId: bot.channelId, userId, name: "ask", options: { prompt: "hi" } });
  return (await arrived) as ChatInputCommandInteraction;
}

/** The role names discord.js resolves for the interaction's member (a GuildMember when the guild is cached). */
function roleNames(interaction: ChatInputCommandInteraction): string[] {
  const member = interaction.member;
  if (!(member instanceof GuildMember)) throw new Error("expected a cached GuildMember");
  return [...member.roles.cache.values()].map((r) => r.name).sort();
}

describe("member roles in interactions", () => {
  it("lists the member's roles (not @everyone) on the wire and in GuildMemberRoleManager", async () => {
    env = await startBotGuild();
    const { fake, client, guildId } = env;
    const raw = rawMemberRoles(client);
    // The admin's role ("perms-32") was created before login and came in GUILD_CREATE.
    expect(roleNames(await askAs(env, env.adminId))).toEqual(["@everyone", "perms-32"]);

    const roleCreated = nextEvent(client, Events.GuildRoleCreate);
    const mods = fake.addRole(guildId, { name: "mods" });
    await roleCreated;
    const carol = fake.addMember(guildId, { username: "carol", roleIds: [mods] });
    const asCarol = await askAs(env, carol);
    expect(roleNames(asCarol)).toEqual(["@everyone", "mods"]);
    expect((asCarol.member as GuildMember).roles.cache.has(mods)).toBe(true);

    fake.setMemberRoles(guildId, carol, []);
    expect(roleNames(await askAs(env, carol))).toEqual(["@everyone"]);
    expect(raw.slice(1)).toEqual([[mods], []]);
    expect(raw[0]).toHaveLength(1);
  });

  it("leaves the raw roles array on interaction.member when the guild is not cached", async () => {
    env = await startBotGuild();
    const { fake, client, guildId } = env;
    const roleCreated = nextEvent(client, Events.GuildRoleCreate);
    const mods = fake.addRole(guildId, { name: "mods" });
    await roleCreated;
    const carol = fake.addMember(guildId, { username: "carol", roleIds: [mods] });
    // discord.js builds a GuildMember only for a cached guild; otherwise it keeps the payload's member.
    client.guilds.cache.delete(guildId);
    const interaction = await askAs(env, carol);
    expect(interaction.member).not.toBeInstanceOf(GuildMember);
    expect(interaction.member?.roles).toEqual([mods]);
  });

  it("sends GUILD_MEMBER_UPDATE on a role change to a bot with the GuildMembers intent", async () => {
    env = await startBotGuild({}, { client: { intents: [...botIntents, GatewayIntentBits.GuildMembers] } });
    const { fake, client, guildId, memberId } = env;
    const mods = fake.addRole(guildId, { name: "mods" });
    // GUILD_CREATE lists only the bot's member, and discord.js reports an uncached member as
    // guildMemberAvailable: an interaction caches it first.
    await askAs(env, memberId);
    const updated = nextEvent(client, Events.GuildMemberUpdate);
    fake.setMemberRoles(guildId, memberId, [mods, mods]);
    const [, member] = await updated;
    expect(member.id).toBe(memberId);
    expect(member.roles.cache.has(mods)).toBe(true);
    expect(member.roles.cache.size).toBe(2); // mods and @everyone: duplicates are dropped
  });

  it("refuses roles Discord would not give a member", async () => {
    env = await startBotGuild();
    const { fake, client, guildId, memberId } = env;
    const botRole = client.guilds.cache.get(guildId)?.roles.botRoleFor(client.user)?.id ?? "";
    expect(botRole).not.toBe("");
    expect(() => fake.addMember(guildId, { username: "x", roleIds: ["123"] })).toThrow(/addRole first/);
    expect(() => fake.addMember(guildId, { username: "x", roleIds: [guildId] })).toThrow(/@everyone/);
    expect(() => fake.addMember(guildId, { username: "x", roleIds: [botRole] })).toThrow(/managed/);
    expect(() => fake.setMemberRoles(guildId, memberId, [botRole])).toThrow(/managed/);
    expect(() => fake.setMemberRoles(guildId, fake.addUser({ username: "y" }), [])).toThrow(/not a member/);
    expect(() => fake.setMemberRoles(guildId, fake.applicationId, [])).toThrow(/botPermissions/);
  });
});
