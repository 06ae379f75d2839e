import { REST } from "@discordjs/rest";
import { registerCommands } from "@replibot/discord";
import { loadCatalog } from "@replibot/replicate";
import { SLACK_BOT_SCOPES } from "@replibot/slack";
import { createFakeDiscord, type FakeDiscord } from "../../test/fakes/discord/index.ts";
import { createFakeSlack, type FakeSlack } from "../../test/fakes/slack/index.ts";

/** The fake Discord and Slack on 127.0.0.1, with one guild and one workspace of `channels` channels each. */
export interface PlatformFakes {
  discord: FakeDiscord;
  slack: FakeSlack;
  guildId: string;
  discordChannels: string[];
  slackChannels: string[];
  applicationId: string;
  close(): Promise<void>;
}

/** Starts both fakes and registers the bot's commands in the guild, as `register-commands` would. */
export async function startPlatformFakes(channels: number): Promise<PlatformFakes> {
  // A token shaped like Discord's (base64 of the bot's id, a timestamp, an HMAC), as env.ts checks.
  const applicationId = "1187654321098765432";
  const botToken = `${Buffer.from(applicationId).toString("base64url")}.GfAk3d.${"b3nc".repeat(8)}`;
  const discord = await createFakeDiscord({ applicationId, botToken });
  const names = Array.from({ length: channels }, (_, i) => ({ name: `bench-${i}` }));
  const guild = discord.addGuild({ name: "Bench server", channels: names });
  await registerCommands({
    rest: new REST({ api: discord.apiUrl }).setToken(botToken),
    applicationId,
    guildId: guild.guildId,
    catalog: await loadCatalog(),
  });
  const slack = await createFakeSlack({ scopes: SLACK_BOT_SCOPES });
  const slackChannels = names.map((channel) => slack.addChannel(slack.teamId, channel));
  return {
    discord,
    slack,
    guildId: guild.guildId,
    discordChannels: guild.channelIds,
    slackChannels,
    applicationId,
    async close() {
      await discord.close();
      await slack.close();
    },
  };
}
