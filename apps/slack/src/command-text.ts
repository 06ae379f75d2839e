/**
 * Slack slash commands arrive as one line of text: these parse it into what Discord's typed options
 * give, with a clear reason when the text is not right. Mentions come escaped by Slack
 * (`<@U123|alice>`, `<#C123|general>`) because the manifest sets `should_escape`.
 */

import type { Parsed } from "@replibot/chat";
import { retentionDaysProblem } from "@replibot/core";

export { type ImagineText, type Parsed, parseImagineText } from "@replibot/chat";

/** A Slack user mention as Slack escapes it (`<@U123>` or `<@U123|alice>`): the user id. */
export function mentionedUser(word: string): string | undefined {
  return /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(word)?.[1];
}

/** A Slack channel mention as Slack escapes it (`<#C123>` or `<#C123|general>`): the channel id. */
export function mentionedChannel(word: string): string | undefined {
  return /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(word)?.[1];
}

/** What `/spend-limit` was asked to do. */
export type SpendLimitText =
  | { kind: "set"; amount: string }
  | { kind: "clear" }
  | { kind: "user"; userId: string; amount: string }
  | { kind: "alerts"; channelId: string };

/** How to use `/spend-limit`, shown when the text is not right. */
export const SPEND_LIMIT_USAGE =
  "Use `/spend-limit set 20`, `/spend-limit clear`, `/spend-limit user @member 2` or `/spend-limit alerts #channel`.";

/** Parses `/spend-limit set <usd> | clear | user @member <usd> | alerts #channel`. */
export function parseSpendLimitText(text: string): Parsed<SpendLimitText> {
  const [verb = "", ...words] = text.trim().split(/\s+/);
  const usage = (why?: string) => ({
    ok: false as const,
    reason: why ? `${why} ${SPEND_LIMIT_USAGE}` : SPEND_LIMIT_USAGE,
  });
  switch (verb.toLowerCase()) {
    case "set":
      return words.length === 1 ? { ok: true, value: { kind: "set", amount: words[0]! } } : usage();
    case "clear":
      return words.length === 0 ? { ok: true, value: { kind: "clear" } } : usage();
    case "user": {
      const userId = mentionedUser(words[0] ?? "");
      if (!userId) return usage("Mention the member with @ so Slack links them.");
      return words.length === 2 ? { ok: true, value: { kind: "user", userId, amount: words[1]! } } : usage();
    }
    case "alerts": {
      const channelId = mentionedChannel(words[0] ?? "");
      if (!channelId || words.length !== 1) return usage("Name the channel with # so Slack links it.");
      return { ok: true, value: { kind: "alerts", channelId } };
    }
    default:
      return usage();
  }
}

/** Parses `/spend`, `/spend show` or `/spend export`. */
export function parseSpendText(text: string): Parsed<"show" | "export"> {
  const verb = text.trim().toLowerCase();
  if (verb === "" || verb === "show") return { ok: true, value: "show" };
  if (verb === "export") return { ok: true, value: "export" };
  return {
    ok: false,
    reason: "Use `/spend` (or `/spend show`) for this month's figures, `/spend export` for a CSV.",
  };
}

/** What `/replibot settings …` was asked to change. */
export type SettingsText =
  | { kind: "memory"; turns: number; contextTokenCap: number | null }
  | { kind: "system-prompt"; text: string | null }
  /** Days members' words are kept; null for the deployment's default. */
  | { kind: "retention"; days: number | null };

/** How to use `/replibot settings`, shown when the text is not right. */
export const SETTINGS_USAGE =
  "Use `/replibot settings memory 10` (turns follow-ups remember; 0 turns memory off), `/replibot settings memory 10 tokens 2000`, `/replibot settings system-prompt <instructions>`, `/replibot settings system-prompt clear`, `/replibot settings retention 30` (days members' words are kept) or `/replibot settings retention default`.";

const RETENTION_USAGE =
  "Use `/replibot settings retention 30` (days members' words are kept, 1 to 365) or `/replibot settings retention default`.";

/**
 * Parses `/replibot settings memory <turns> [tokens <n>]`, `/replibot settings system-prompt <text>|clear`
 * and `/replibot settings retention <days>|default`.
 */
export function parseSettingsText(text: string): Parsed<SettingsText> {
  const match = /^\s*settings\s+(\S+)\s*([\s\S]*)$/i.exec(text);
  const usage = { ok: false as const, reason: SETTINGS_USAGE };
  if (!match) return usage;
  const [, setting = "", rest = ""] = match;
  if (setting.toLowerCase() === "system-prompt") {
    const value = rest.trim();
    if (!value) return usage;
    if (value.length > 4_000)
      return { ok: false, reason: "The system prompt can be at most 4,000 characters." };
    return {
      ok: true,
      value: { kind: "system-prompt", text: value.toLowerCase() === "clear" ? null : value },
    };
  }
  if (setting.toLowerCase() === "memory") {
    const memory = /^(\d{1,2})(?:\s+tokens\s+(\d{3,6}))?$/i.exec(rest.trim());
    const turns = Number(memory?.[1]);
    const cap = memory?.[2] === undefined ? null : Number(memory[2]);
    if (!memory || turns > 50) return { ok: false, reason: `Memory is 0 to 50 turns. ${SETTINGS_USAGE}` };
    if (cap !== null && (cap < 100 || cap > 100_000))
      return { ok: false, reason: "The token cap is between 100 and 100,000." };
    return { ok: true, value: { kind: "memory", turns, contextTokenCap: cap } };
  }
  if (setting.toLowerCase() === "retention") {
    const value = rest.trim();
    if (/^default$/i.test(value)) return { ok: true, value: { kind: "retention", days: null } };
    const days = /^([+-]?\d+(?:\.\d+)?)(?:\s*(?:days?|d))?$/i.exec(value);
    if (!days) return { ok: false, reason: RETENTION_USAGE };
    const problem = retentionDaysProblem(Number(days[1]));
    if (problem) return { ok: false, reason: `${problem} ${RETENTION_USAGE}` };
    return { ok: true, value: { kind: "retention", days: Number(days[1]) } };
  }
  return usage;
}
