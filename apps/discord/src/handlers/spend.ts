import { formatUsd } from "@replibot/core";
import { getTenant, ledgerForPeriod, periodEnd, spendReport } from "@replibot/db";
import { type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { asAdmin } from "./admin.ts";

/** The note every spend figure carries: these are our computation, not Replicate's invoice. */
export const PRICE_NOTE =
  "Figures are Replibot's computation from Replicate's list prices, not Replicate's invoice.";

/** `/spend show|export`: admins only, this server's figures and no other's. */
export async function handleSpend(
  deps: DiscordAppDeps,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  await asAdmin(deps, interaction, async ({ tenantId, period, say }) => {
    if (interaction.options.getSubcommand() === "export") {
      const rows = await ledgerForPeriod(deps.db, tenantId, period);
      const header = "created_at,user_id,model,prediction_id,status,billing,cost_usd,price_list_date";
      const lines = rows.map((r) =>
        [
          r.createdAt.toISOString(),
          r.userId,
          r.model,
          r.predictionId,
          r.predictionStatus,
          r.billing,
          `${r.costNanos / 1_000_000_000n}.${(r.costNanos % 1_000_000_000n).toString().padStart(9, "0")}`,
          r.priceListDate,
        ].join(","),
      );
      await interaction.reply({
        content: `${rows.length} charges this month (${period}). ${PRICE_NOTE}`,
        files: [
          {
            attachment: Buffer.from(`${[header, ...lines].join("\n")}\n`),
            name: `replibot-spend-${period}.csv`,
          },
        ],
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    const tenant = await getTenant(deps.db, tenantId);
    const limit = tenant?.monthlyLimitNanos ?? deps.config.defaultLimitNanos;
    const report = await spendReport(deps.db, tenantId, period);
    const reset = periodEnd(period).toISOString().slice(0, 10);
    const users = report.topUsers.map((u) => `<@${u.userId}> ${formatUsd(u.costNanos)} (${u.predictions})`);
    const models = report.topModels.map((m) => `${m.model} ${formatUsd(m.costNanos)} (${m.predictions})`);
    await say(
      [
        `**Spend this month (${period})**: ${formatUsd(report.spentNanos)} of ${formatUsd(limit)}` +
          (report.heldNanos > 0n ? `, ${formatUsd(report.heldNanos)} held for running requests` : ""),
        `Resets on ${reset} (UTC).`,
        `Top members: ${users.length ? users.join(", ") : "none yet"}`,
        `Top models: ${models.length ? models.join(", ") : "none yet"}`,
        `-# ${PRICE_NOTE}`,
      ].join("\n"),
    );
  });
}
