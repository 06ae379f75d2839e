import {
  ApplicationCommandType,
  type Client,
  type ClientOptions,
  ContextMenuCommandBuilder,
  Events,
  type Interaction,
  PermissionFlagsBits,
  REST,
  Routes,
  SlashCommandBuilder,
} from "discord.js";
import { createFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type GuildInput } from "./index.ts";
import { loginClient, nextEvent } from "./test-client.ts";

/** The command tree the tests register, shaped like Replibot's (DESIGN "Commands"). */
export const testCommands = [
  new SlashCommandBuilder()
    .setName("ask")
    .setDescription("Ask a model")
    .addStringOption((o) => o.setName("prompt").setDescription("What to ask").setRequired(true))
    .addStringOption((o) => o.setName("model").setDescription("Which model")),
  new SlashCommandBuilder()
    .setName("spend-limit")
    .setDescription("Spend limits")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s
        .setName("set")
        .setDescription("Set the limit")
        .addNumberOption((o) => o.setName("amount").setDescription("USD").setRequired(true)),
    ),
  new ContextMenuCommandBuilder().setName("Transcribe").setType(ApplicationCommandType.Message),
].map((c) => c.toJSON());

/** A fake with one guild, an admin and a member, the test commands registered, and a logged-in client. */
export interface BotGuild {
  fake: FakeDiscord;
  client: Client<true>;
  /** A bot-token REST client, as a deploy script or worker would have. */
  rest: REST;
  guildId: string;
  /** The guild's first channel. */
  channelId: string;
  /** Every channel `addGuild` created, in the order given. */
  channelIds: string[];
  /** A member with Manage Server. */
  adminId: string;
  /** A member without it. */
  memberId: string;
  /** Destroys the client, then closes the fake (the order the contract asks for); throws on fake problems. */
  close(): Promise<void>;
}

/** Starts a fake, registers the commands through @discordjs/rest and logs a discord.js client in. */
export async function startBotGuild(
  options: FakeDiscordOptions = {},
  setup: { guild?: GuildInput; client?: Partial<ClientOptions> } = {},
): Promise<BotGuild> {
  const fake = await createFakeDiscord(options);
  const { guildId, channelIds } = fake.addGuild(setup.guild);
  const adminId = fake.addMember(guildId, { username: "alice", permissions: ["ManageGuild"] });
  const memberId = fake.addMember(guildId, { username: "bob" });
  const rest = new REST({ api: fake.apiUrl }).setToken(fake.botToken);
  await rest.put(Routes.applicationGuildCommands(fake.applicationId, guildId), { body: testCommands });
  const client = await loginClient(fake, setup.client);
  return {
    fake,
    client,
    rest,
    guildId,
    channelId: channelIds[0] ?? "",
    channelIds,
    adminId,
    memberId,
    async close() {
      await client.destroy();
      await fake.close();
      // An unknown route or a crash inside the fake fails the test that caused it.
      if (fake.problems().length > 0)
        throw new Error(`fake Discord problems:\n${fake.problems().join("\n")}`);
    },
  };
}

/** Resolves with the next interaction the client emits. */
export function nextInteraction(client: Client): Promise<Interaction> {
  return nextEvent(client, Events.InteractionCreate).then(([interaction]) => interaction);
}
