import { blocklistText, policySummaryText } from "@replibot/chat";
import {
  type GroupCommand,
  type ModelCommand,
  type PolicyEdit,
  parseBlockEntry,
  readTenantPolicy,
} from "@replibot/core";
import { getTenant, updateTenantPolicy } from "@replibot/db";
import type { ChatInputCommandInteraction } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { discordMentions } from "./gate.ts";

/** The words of these settings' answers. */
const policyReplies = {
  needEntry: "Give the word or /regular expression/ in `entry`.",
  needChannel: "Pick the channel in `channel`.",
  needRole: "Pick the role in `role`.",
  unknownModels: (unknown: string[], choices: string[]) =>
    `No such model for this command: ${unknown.map((m) => `\`${m}\``).join(", ")}. Choose from ${choices.map((c) => `\`${c}\``).join(", ")}, or \`all\`.`,
};

/** The edit an admin's `/replibot-settings <subcommand>` asks for, or why it cannot be made. */
function editOf(
  deps: DiscordAppDeps,
  interaction: ChatInputCommandInteraction,
): { ok: true; edit: PolicyEdit | "show" | "list" } | { ok: false; reason: string } {
  const options = interaction.options;
  switch (options.getSubcommand()) {
    case "blocklist": {
      const action = options.getString("action", true) as "add" | "remove" | "list" | "reset";
      if (action === "list") return { ok: true, edit: "list" };
      if (action === "reset") return { ok: true, edit: { setting: "blocklist", action } };
      const entry = options.getString("entry");
      if (!entry) return { ok: false, reason: policyReplies.needEntry };
      const parsed = parseBlockEntry(entry);
      return parsed.ok ? { ok: true, edit: { setting: "blocklist", action, rule: parsed.rule } } : parsed;
    }
    case "channels": {
      const action = options.getString("action", true) as "everywhere" | "add" | "remove";
      if (action === "everywhere") return { ok: true, edit: { setting: "channels", action } };
      const channel = options.getChannel("channel");
      if (!channel) return { ok: false, reason: policyReplies.needChannel };
      return { ok: true, edit: { setting: "channels", action, channelId: channel.id } };
    }
    case "models": {
      const command = options.getString("command", true) as ModelCommand;
      const text = options.getString("models", true).trim();
      const choices = deps.catalog.commands[command].models.map((model) => model.id);
      const models = text.toLowerCase() === "all" ? null : text.split(/[\s,]+/).filter(Boolean);
      const unknown = (models ?? []).filter((model) => !choices.includes(model));
      if (unknown.length > 0) return { ok: false, reason: policyReplies.unknownModels(unknown, choices) };
      return { ok: true, edit: { setting: "models", command, models } };
    }
    case "roles": {
      const command = options.getString("command", true) as GroupCommand;
      const action = options.getString("action", true) as "add" | "remove" | "everyone";
      if (action === "everyone") return { ok: true, edit: { setting: "roles", command, action } };
      const role = options.getRole("role");
      if (!role) return { ok: false, reason: policyReplies.needRole };
      return { ok: true, edit: { setting: "roles", command, action, groupId: role.id } };
    }
    case "image-safety":
      return {
        ok: true,
        edit: { setting: "image-safety", allowOffInNsfw: options.getBoolean("allow_off_in_nsfw", true) },
      };
    default:
      return { ok: true, edit: "show" };
  }
}

/**
 * `/replibot-settings blocklist|channels|models|roles|image-safety|show`: changes the server's policy
 * (recorded in the audit table with who and when) and answers with the summary of everything set.
 */
export async function handlePolicySettings(
  deps: DiscordAppDeps,
  interaction: ChatInputCommandInteraction,
  context: { tenantId: string; say(content: string): Promise<void> },
): Promise<void> {
  const asked = editOf(deps, interaction);
  if (!asked.ok) return context.say(asked.reason);
  const summary = (policy: Parameters<typeof policySummaryText>[0], retentionDays?: number | null) =>
    policySummaryText(policy, {
      platform: "discord",
      mentions: discordMentions,
      groupWord: "roles",
      ...(retentionDays === undefined
        ? {}
        : { retention: { days: retentionDays, defaultDays: deps.config.defaultRetentionDays ?? 30 } }),
    });
  if (asked.edit === "show" || asked.edit === "list") {
    const tenant = await getTenant(deps.db, context.tenantId);
    const policy = readTenantPolicy(tenant?.policy);
    return context.say(
      asked.edit === "list" ? blocklistText(policy) : summary(policy, tenant?.retentionDays ?? null),
    );
  }
  const result = await updateTenantPolicy(
    deps.db,
    { tenantId: context.tenantId, actorId: interaction.user.id },
    asked.edit,
  );
  if (result.note) return context.say(result.note);
  return context.say(
    asked.edit.setting === "blocklist" ? blocklistText(result.policy) : summary(result.policy),
  );
}
