import { adminText, spendSummary } from "@replibot/chat";
import { getTenant, ledgerCsv, ledgerForPeriod, periodEnd, spendReport } from "@replibot/db";
import { type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { asAdmin } from "./admin.ts";

/** `/spend show|export`: admins only, this server's figures and no other's. */
export async function handleSpend(
  deps: DiscordAppDeps,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  await asAdmin(deps, interaction, async ({ tenantId, period, say }) => {
    if (interaction.options.getSubcommand() === "export") {
      const rows = await ledgerForPeriod(deps.db, tenantId, period);
      await interaction.reply({
        content: adminText.exported(rows.length, period),
        files: [{ attachment: Buffer.from(ledgerCsv(rows)), name: `replibot-spend-${period}.csv` }],
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    const tenant = await getTenant(deps.db, tenantId);
    const report = await spendReport(deps.db, tenantId, period);
    await say(
      spendSummary({
        ...report,
        limitNanos: tenant?.monthlyLimitNanos ?? deps.config.defaultLimitNanos,
        resetsOn: periodEnd(period).toISOString().slice(0, 10),
        mention: (id) => `<@${id}>`,
      }),
    );
  });
}
