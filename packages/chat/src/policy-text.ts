import {
  blockEntryText,
  blocklistOf,
  DEFAULT_BLOCKLIST,
  type JobKind,
  type Platform,
  type TenantPolicy,
} from "@replibot/core";
import { tenantNoun } from "./admin-text.ts";
import { type RetentionSetting, retentionLine } from "./privacy-text.ts";
import type { Mentions } from "./request-gate.ts";

const commands: { kind: JobKind; name: string }[] = [
  { kind: "ask", name: "/ask" },
  { kind: "imagine", name: "/imagine" },
  { kind: "transcribe", name: "transcription" },
];

/** The blocklist as `/replibot-settings blocklist list` shows it. */
export function blocklistText(policy: TenantPolicy): string {
  const rules = blocklistOf(policy);
  const origin = policy.blocklist ? "This blocklist" : "Replibot's default blocklist";
  if (rules.length === 0) return "The blocklist is empty: no prompt is refused for its words.";
  return `${origin} (${rules.length} ${rules.length === 1 ? "entry" : "entries"}), refused in prompts:\n${rules
    .map((rule) => `• \`${blockEntryText(rule)}\``)
    .join("\n")}`;
}

/** Everything an admin set, in one private message: what `show` answers and every change confirms. */
export function policySummaryText(
  policy: TenantPolicy,
  options: { platform: Platform; mentions: Mentions; groupWord: string; retention?: RetentionSetting },
): string {
  const { platform, mentions, groupWord } = options;
  const noun = tenantNoun(platform);
  const blocklist = policy.blocklist
    ? `${policy.blocklist.length} entries set by admins`
    : `Replibot's default (${DEFAULT_BLOCKLIST.length} entries)`;
  const lines = [
    `**Replibot in this ${noun}**`,
    `Channels: ${policy.channels?.length ? policy.channels.map(mentions.channel).join(", ") : "every channel"}`,
    `Blocklist: ${blocklist}`,
  ];
  if (platform === "discord") {
    lines.push(
      `Image safety checker: ${policy.imageSafetyOffInNsfw ? "may be off in age-restricted channels" : "always on"}`,
    );
  }
  for (const { kind, name } of commands) {
    const models = policy.models[kind];
    const groups = policy.roles[kind];
    const who = groups?.length ? groups.map(mentions.group).join(", ") : "everyone";
    const which =
      kind === "transcribe" || !models?.length ? "" : `; models ${models.map((m) => `\`${m}\``).join(", ")}`;
    lines.push(`${name}: ${who === "everyone" ? "everyone" : `${groupWord} ${who}`}${which}`);
  }
  if (options.retention) lines.push(retentionLine(options.retention));
  return lines.join("\n");
}
