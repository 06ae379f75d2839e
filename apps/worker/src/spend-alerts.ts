import { formatUsd } from "@replibot/core";
import { claimSpendAlerts, getTenant, releaseSpendAlert } from "@replibot/db";
import type { WorkerDeps } from "./deps.ts";
import { resetDay } from "./messages.ts";

/**
 * Posts one message to the tenant's alerts channel for each threshold (80%, 100% of its monthly
 * limit) it has just passed, once per threshold per month across every process.
 */
export async function sendSpendAlerts(deps: WorkerDeps, tenantId: string, period: string): Promise<void> {
  const tenant = await getTenant(deps.db, tenantId);
  if (!tenant?.alertsChannelId) return;
  const platform = deps.platforms[tenant.platform];
  if (!platform) return;
  const limit = tenant.monthlyLimitNanos ?? deps.config.defaultLimitNanos;
  for (const percent of await claimSpendAlerts(deps.db, tenantId, period, limit)) {
    const text =
      percent >= 100
        ? `This server has used all of its monthly spend limit of ${formatUsd(limit)}: new requests are refused until ${resetDay(period)}. An admin can raise it with \`/spend-limit set\`.`
        : `This server has used ${percent}% of its monthly spend limit of ${formatUsd(limit)} (it resets on ${resetDay(period)}). \`/spend show\` has the details.`;
    try {
      await platform.post(
        { tenantExternalId: tenant.externalId, channelId: tenant.alertsChannelId },
        { text },
      );
    } catch (error) {
      // Unclaimed again, so the next settlement tries once more.
      await releaseSpendAlert(deps.db, tenantId, period, percent);
      deps.logger.warn({ err: error, tenantId, percent }, "spend alert could not be posted");
    }
  }
}
