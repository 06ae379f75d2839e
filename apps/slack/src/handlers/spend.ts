import { adminAmount, adminText, spendSummary } from "@replibot/chat";
import {
  getTenant,
  ledgerCsv,
  ledgerForPeriod,
  periodEnd,
  setAlertsChannel,
  setTenantLimit,
  setUserDailyLimit,
  spendReport,
} from "@replibot/db";
import type { WebClient } from "@slack/web-api";
import { parseSpendLimitText, parseSpendText } from "../command-text.ts";
import type { SlackAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { asSlackAdmin } from "./admin.ts";
import type { SlackOrigin } from "./start-job.ts";

/** `/spend [show|export]`: admins only, this workspace's figures and no other's. */
export async function spend(deps: SlackAppDeps, origin: SlackOrigin, client: WebClient, text: string) {
  const verb = parseSpendText(text);
  if (!verb.ok) return origin.tell(verb.reason);
  await asSlackAdmin(deps, origin, client, async ({ tenantId, period }) => {
    if (verb.value === "export") {
      const rows = await ledgerForPeriod(deps.db, tenantId, period);
      try {
        // An ephemeral message cannot carry a file: the CSV goes to the admin's DM with the bot.
        const dm = await client.conversations.open({ users: origin.userId });
        await client.filesUploadV2({
          channel_id: dm.channel?.id ?? "",
          file: Buffer.from(ledgerCsv(rows)),
          filename: `replibot-spend-${period}.csv`,
          title: `Replibot spend ${period}`,
          initial_comment: adminText.exported(rows.length, period),
        });
      } catch (error) {
        deps.logger.warn({ err: error, teamId: origin.teamId }, "spend export could not be sent");
        return origin.tell(replies.exportFailed);
      }
      return origin.tell(replies.exportSent);
    }
    const tenant = await getTenant(deps.db, tenantId);
    const report = await spendReport(deps.db, tenantId, period);
    await origin.tell(
      spendSummary({
        ...report,
        limitNanos: tenant?.monthlyLimitNanos ?? deps.config.defaultLimitNanos,
        resetsOn: periodEnd(period).toISOString().slice(0, 10),
        mention: (id) => `<@${id}>`,
      }),
    );
  });
}

/** `/spend-limit set <usd> | clear | user @member <usd> | alerts #channel`: admins only. */
export async function spendLimit(deps: SlackAppDeps, origin: SlackOrigin, client: WebClient, text: string) {
  const parsed = parseSpendLimitText(text);
  if (!parsed.ok) return origin.tell(parsed.reason);
  const command = parsed.value;
  await asSlackAdmin(deps, origin, client, async ({ tenantId }) => {
    const { maxLimitNanos, defaultLimitNanos } = deps.config;
    switch (command.kind) {
      case "set": {
        const amount = adminAmount(command.amount, "slack", maxLimitNanos);
        if (!amount.ok) return origin.tell(amount.reason);
        await setTenantLimit(deps.db, tenantId, amount.nanos, origin.userId);
        return origin.tell(adminText.limitSet(amount.nanos, "slack"));
      }
      case "clear":
        await setTenantLimit(deps.db, tenantId, null, origin.userId);
        return origin.tell(adminText.limitCleared(defaultLimitNanos, "slack"));
      case "user": {
        const amount = adminAmount(command.amount, "slack", maxLimitNanos);
        if (!amount.ok) return origin.tell(amount.reason);
        const member = await client.users.info({ user: command.userId }).catch(() => undefined);
        if (!member?.user || member.user.deleted) return origin.tell(replies.memberNotHere);
        await setUserDailyLimit(deps.db, tenantId, command.userId, amount.nanos);
        return origin.tell(adminText.userLimitSet(`<@${command.userId}>`, amount.nanos));
      }
      case "alerts":
        await setAlertsChannel(deps.db, tenantId, command.channelId);
        return origin.tell(adminText.alertsSet(`<#${command.channelId}>`));
    }
  });
}
