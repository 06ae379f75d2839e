import { adminAmount, adminText } from "@replibot/chat";
import { setAlertsChannel, setTenantLimit, setUserDailyLimit } from "@replibot/db";
import type { ChatInputCommandInteraction } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { adminReplies, asAdmin } from "./admin.ts";

/** `/spend-limit set|clear|user|alerts`: admins only. */
export async function handleSpendLimit(
  deps: DiscordAppDeps,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  await asAdmin(deps, interaction, async ({ tenantId, say }) => {
    switch (interaction.options.getSubcommand()) {
      case "set": {
        const amount = adminAmount(
          interaction.options.getNumber("amount", true),
          "discord",
          deps.config.maxLimitNanos,
        );
        if (!amount.ok) return say(amount.reason);
        await setTenantLimit(deps.db, tenantId, amount.nanos, interaction.user.id);
        return say(adminText.limitSet(amount.nanos, "discord"));
      }
      case "clear":
        await setTenantLimit(deps.db, tenantId, null, interaction.user.id);
        return say(adminText.limitCleared(deps.config.defaultLimitNanos, "discord"));
      case "user": {
        const member = interaction.options.getMember("member");
        const user = interaction.options.getUser("member", true);
        if (!member) return say(adminReplies.memberNotHere);
        const amount = adminAmount(
          interaction.options.getNumber("amount", true),
          "discord",
          deps.config.maxLimitNanos,
        );
        if (!amount.ok) return say(amount.reason);
        await setUserDailyLimit(deps.db, tenantId, user.id, amount.nanos);
        return say(adminText.userLimitSet(`<@${user.id}>`, amount.nanos));
      }
      case "alerts": {
        const channel = interaction.options.getChannel("channel", true);
        await setAlertsChannel(deps.db, tenantId, channel.id);
        return say(adminText.alertsSet(`<#${channel.id}>`));
      }
      default:
        return say("Unknown option.");
    }
  });
}
