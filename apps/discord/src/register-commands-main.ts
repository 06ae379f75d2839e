/** `npm run register-commands -w @replibot/discord`: registers the command tree with Discord. */
import { REST } from "@discordjs/rest";
import { AppError, runMain } from "@replibot/core";
import { loadCatalog } from "@replibot/replicate";
import { loadDiscordEnv } from "./env.ts";
import { registerCommands } from "./register-commands.ts";

runMain("register-commands", async () => {
  const env = loadDiscordEnv();
  if (!env.DISCORD_TOKEN || !env.DISCORD_APPLICATION_ID) {
    throw new AppError(
      "config_invalid",
      "DISCORD_TOKEN: is required to register commands (with DISCORD_APPLICATION_ID)",
    );
  }
  const rest = new REST(env.DISCORD_API_BASE_URL ? { api: env.DISCORD_API_BASE_URL } : {}).setToken(
    env.DISCORD_TOKEN,
  );
  const count = await registerCommands({
    rest,
    applicationId: env.DISCORD_APPLICATION_ID,
    guildId: env.DISCORD_GUILD_ID,
    catalog: await loadCatalog({ file: env.MODELS_FILE }),
  });
  console.log(
    env.DISCORD_GUILD_ID
      ? `registered ${count} commands in guild ${env.DISCORD_GUILD_ID} (available now)`
      : `registered ${count} commands globally (Discord may take up to an hour to show them everywhere)`,
  );
});
