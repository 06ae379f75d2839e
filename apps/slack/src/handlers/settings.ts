import {
  blocklistText,
  forgottenText,
  memorySettingsText,
  policySummaryText,
  type RetentionSetting,
  retentionText,
  systemPromptText,
} from "@replibot/chat";
import { readTenantPolicy, type TenantPolicy } from "@replibot/core";
import {
  forgetMember,
  getTenant,
  recordSettingChange,
  setMemory,
  setRetentionDays,
  setSystemPrompt,
  updateTenantPolicy,
} from "@replibot/db";
import type { WebClient } from "@slack/web-api";
import { parseSettingsText, SETTINGS_USAGE } from "../command-text.ts";
import type { SlackAppDeps } from "../deps.ts";
import { POLICY_USAGE, parsePolicySettings } from "../policy-settings-text.ts";
import { slackText } from "../slack-text.ts";
import { asSlackAdmin } from "./admin.ts";
import { slackMentions } from "./gate.ts";
import type { SlackOrigin } from "./start-job.ts";

const summary = (policy: TenantPolicy, retention?: RetentionSetting) =>
  policySummaryText(policy, {
    platform: "slack",
    mentions: slackMentions,
    groupWord: "user groups",
    ...(retention ? { retention } : {}),
  });

/**
 * `/replibot settings …`: workspace admins only. Memory, the system prompt, retention, and the
 * workspace's policy (show, blocklist, channels, models, groups); every change is recorded in the audit table.
 */
export async function settings(deps: SlackAppDeps, origin: SlackOrigin, client: WebClient, text: string) {
  const tell = (words: string) => origin.tell(slackText(words));
  // `/replibot forget-me` is every member's, not only admins'.
  if (text.trim().toLowerCase() === "forget-me") {
    const forgotten = await forgetMember(deps.db, "slack", origin.userId);
    deps.logger.info({ forgotten }, "a member asked to be forgotten");
    return tell(forgottenText(forgotten));
  }
  const policyAsked = parsePolicySettings(text, deps.catalog);
  const parsed = policyAsked ? undefined : parseSettingsText(text);
  if (policyAsked && !policyAsked.ok) return tell(policyAsked.reason);
  if (parsed && !parsed.ok)
    return tell(parsed.reason === SETTINGS_USAGE ? `${SETTINGS_USAGE}\n${POLICY_USAGE}` : parsed.reason);
  const defaultDays = deps.config.defaultRetentionDays ?? 30;
  await asSlackAdmin(deps, origin, client, async ({ tenantId }) => {
    const change = { tenantId, actorId: origin.userId };
    if (policyAsked?.ok) {
      const asked = policyAsked.value;
      if (asked === "show" || asked === "list") {
        const tenant = await getTenant(deps.db, tenantId);
        const policy = readTenantPolicy(tenant?.policy);
        return tell(
          asked === "list"
            ? blocklistText(policy)
            : summary(policy, { days: tenant?.retentionDays ?? null, defaultDays }),
        );
      }
      const result = await updateTenantPolicy(deps.db, change, asked);
      if (result.note) return tell(result.note);
      return tell(asked.setting === "blocklist" ? blocklistText(result.policy) : summary(result.policy));
    }
    if (!parsed?.ok) return;
    const setting = parsed.value;
    if (setting.kind === "memory") {
      await setMemory(deps.db, tenantId, { turns: setting.turns, contextTokenCap: setting.contextTokenCap });
      await recordSettingChange(deps.db, {
        ...change,
        setting: "memory",
        after: { turns: setting.turns, contextTokenCap: setting.contextTokenCap },
      });
      return origin.tell(memorySettingsText({ ...setting, platform: "slack", readsMessages: true }));
    }
    if (setting.kind === "retention") {
      await setRetentionDays(deps.db, change, setting.days);
      return tell(retentionText({ days: setting.days, defaultDays }, "slack"));
    }
    await setSystemPrompt(deps.db, tenantId, setting.text);
    await recordSettingChange(deps.db, { ...change, setting: "system-prompt", after: setting.text });
    return origin.tell(systemPromptText(setting.text, "slack"));
  });
}
