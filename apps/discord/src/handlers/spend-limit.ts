import { formatUsd } from "@replibot/core";
import { setAlertsChannel, setTenantLimit, setUserDailyLimit } from "@replibot/db";
import type { ChatInputCommandInteraction } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { adminAmount, adminReplies, asAdmin } from "./admin.ts";

/** `/spend-limit set|clear|user|alerts`: admins only. */
export async function handleSpendLimit(
  deps: DiscordAppDeps,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  await asAdmin(deps, interaction, async ({ tenantId, say }) => {
    switch (interaction.options.getSubcommand()) {
      case "set": {
        const amount = adminAmount(interaction.options.getNumber("amount", true), deps.config.maxLimitNanos);
        if (!amount.ok) return say(amount.reason);
        await setTenantLimit(deps.db, tenantId, amount.nanos);
        return say(`This server's monthly spend limit is now ${formatUsd(amount.nanos)}.`);
      }
      case "clear":
        await setTenantLimit(deps.db, tenantId, null);
        return say(
          `This server's monthly spend limit is back to the default, ${formatUsd(deps.config.defaultLimitNanos)}.`,
        );
      case "user": {
        const member = interaction.options.getMember("member");
        const user = interaction.options.getUser("member", true);
        if (!member) return say(adminReplies.memberNotHere);
        const amount = adminAmount(interaction.options.getNumber("amount", true), deps.config.maxLimitNanos);
        if (!amount.ok) return say(amount.reason);
        await setUserDailyLimit(deps.db, tenantId, user.id, amount.nanos);
        return say(`<@${user.id}> may now spend up to ${formatUsd(amount.nanos)} a day here.`);
      }
      case "alerts": {
        const channel = interaction.options.getChannel("channel", true);
        await setAlertsChannel(deps.db, tenantId, channel.id);
        return say(`Spend alerts (at 80% and 100% of the monthly limit) will be posted in <#${channel.id}>.`);
      }
      default:
        return say("Unknown option.");
    }
  });
}
