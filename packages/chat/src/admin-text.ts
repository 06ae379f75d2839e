import { formatUsd, type Platform, parseUsd } from "@replibot/core";

/** What a tenant is called where its members are: a Discord server, a Slack workspace, the console's playground. */
export function tenantNoun(platform: Platform): string {
  switch (platform) {
    case "discord":
      return "server";
    case "slack":
      return "workspace";
    case "console":
      return "playground";
  }
}

/** The note every spend figure carries: these are our computation, not Replicate's invoice. */
export const PRICE_NOTE =
  "Figures are Replibot's computation from Replicate's list prices, not Replicate's invoice.";

/** The words admins see, on either platform. */
export const adminText = {
  negative: "The amount cannot be negative.",
  notAmount: "That is not a dollar amount: use a number such as 12.50.",
  aboveMax: (max: bigint, platform: Platform) =>
    `The most this ${tenantNoun(platform)} can set is ${formatUsd(max)} a month (the operator's maximum).`,
  limitSet: (nanos: bigint, platform: Platform) =>
    `This ${tenantNoun(platform)}'s monthly spend limit is now ${formatUsd(nanos)}.`,
  limitCleared: (defaultNanos: bigint, platform: Platform) =>
    `This ${tenantNoun(platform)}'s monthly spend limit is back to the default, ${formatUsd(defaultNanos)}.`,
  userLimitSet: (mention: string, nanos: bigint) =>
    `${mention} may now spend up to ${formatUsd(nanos)} a day here.`,
  alertsSet: (channelMention: string) =>
    `Spend alerts (at 80% and 100% of the monthly limit) will be posted in ${channelMention}.`,
  exported: (rows: number, period: string) => `${rows} charges this month (${period}). ${PRICE_NOTE}`,
};

/** A dollar amount typed by an admin, as nano-dollars, or the reason it is refused. */
export function adminAmount(
  value: number | string,
  platform: Platform,
  maxNanos?: bigint,
): { ok: true; nanos: bigint } | { ok: false; reason: string } {
  const amount = typeof value === "number" ? nanosOfNumber(value) : nanosOfText(value);
  if (!amount.ok) return amount;
  if (maxNanos !== undefined && amount.nanos > maxNanos)
    return { ok: false, reason: adminText.aboveMax(maxNanos, platform) };
  return amount;
}

/** Discord's number option arrives as a double: its nearest 9-decimal reading is what the admin typed. */
function nanosOfNumber(value: number): { ok: true; nanos: bigint } | { ok: false; reason: string } {
  if (!Number.isFinite(value)) return { ok: false, reason: adminText.notAmount };
  if (value < 0) return { ok: false, reason: adminText.negative };
  return nanosOfText(value.toFixed(9));
}

/** Typed text is read digit by digit, never through a float, so "123456.123456789" stays exact. */
function nanosOfText(text: string): { ok: true; nanos: bigint } | { ok: false; reason: string } {
  const trimmed = text.trim();
  if (/^\$?\s*-\s*\$?\d+(\.\d+)?$/.test(trimmed)) return { ok: false, reason: adminText.negative };
  try {
    return { ok: true, nanos: parseUsd(trimmed) };
  } catch {
    return { ok: false, reason: adminText.notAmount };
  }
}

/** A tenant's month as `/spend show` prints it (figures from the db's spend report). */
export interface SpendSummaryInput {
  period: string;
  spentNanos: bigint;
  heldNanos: bigint;
  limitNanos: bigint;
  /** The first day of the next month, YYYY-MM-DD. */
  resetsOn: string;
  topUsers: { userId: string; costNanos: bigint; predictions: number }[];
  topModels: { model: string; costNanos: bigint; predictions: number }[];
  /** How a member is named on this platform (`<@id>` on both Discord and Slack). */
  mention(userId: string): string;
}

/** The lines of `/spend show`, in the Markdown both platforms' renderers take. */
export function spendSummary(input: SpendSummaryInput): string {
  const users = input.topUsers.map(
    (u) => `${input.mention(u.userId)} ${formatUsd(u.costNanos)} (${u.predictions})`,
  );
  const models = input.topModels.map((m) => `${m.model} ${formatUsd(m.costNanos)} (${m.predictions})`);
  return [
    `**Spend this month (${input.period})**: ${formatUsd(input.spentNanos)} of ${formatUsd(input.limitNanos)}` +
      (input.heldNanos > 0n ? `, ${formatUsd(input.heldNanos)} held for running requests` : ""),
    `Resets on ${input.resetsOn} (UTC).`,
    `Top members: ${users.length ? users.join(", ") : "none yet"}`,
    `Top models: ${models.length ? models.join(", ") : "none yet"}`,
    `-# ${PRICE_NOTE}`,
  ].join("\n");
}

/** What `/replibot-settings memory` (Slack: `/replibot settings memory`) answers. */
export function memorySettingsText(options: {
  turns: number;
  contextTokenCap: number | null;
  platform: Platform;
  /** Whether the bot can read members' messages (Discord's Message Content intent). */
  readsMessages: boolean;
}): string {
  const { turns, contextTokenCap, platform } = options;
  const lines = [
    turns === 0
      ? `Memory is off in this ${tenantNoun(platform)}: follow-ups are answered without earlier turns, and no turns are kept.`
      : `Follow-ups remember the last ${turns} turn${turns === 1 ? "" : "s"} of their conversation` +
        (contextTokenCap
          ? `, at most ${contextTokenCap.toLocaleString("en-US")} tokens of them (older turns are left out first).`
          : ", as many as fit the model's context (older turns are left out first)."),
  ];
  if (!options.readsMessages) {
    lines.push(
      platform === "discord"
        ? "Note: the bot runs without Discord's Message Content intent, so replies, mentions and DMs are not answered; enable it under Bot → Privileged Gateway Intents."
        : "Note: the app cannot read messages, so thread replies and mentions are not answered.",
    );
  }
  return lines.join("\n");
}

/** What setting the system prompt answers. */
export function systemPromptText(text: string | null, platform: Platform): string {
  return text
    ? `The language model now gets these instructions in this ${tenantNoun(platform)}: "${text.length > 200 ? `${text.slice(0, 200)}…` : text}"`
    : "The language model gets Replibot's default instructions again.";
}

/** What `/transcribe on|off|status` answers, on either platform. */
export function transcribeStatusText(options: {
  on: boolean;
  channelMention: string;
  /** Whether the bot can see members' messages (Discord's Message Content intent). */
  readsMessages: boolean;
  platform: Platform;
}): string {
  const { on, channelMention, platform } = options;
  const lines = [
    on
      ? `Voice notes and audio files posted in ${channelMention} are transcribed automatically, in a thread under each, within this ${tenantNoun(platform)}'s spend limit.`
      : `Automatic transcription is off in ${channelMention}.`,
  ];
  if (on && !options.readsMessages) {
    lines.push(
      platform === "discord"
        ? "But automatic mode cannot work now: the bot runs without Discord's Message Content intent, so it does not see voice notes. Enable the intent under Bot → Privileged Gateway Intents in the Developer Portal (bots in 100 or more servers need Discord's approval)."
        : "But automatic mode cannot work now: Replibot is not allowed to read this channel's messages.",
    );
  }
  lines.push(
    platform === "discord"
      ? "Any member can also transcribe one message anywhere: right-click it → Apps → Transcribe."
      : "Replibot must be a member of the channel to see the voice notes posted there.",
  );
  return lines.join("\n");
}
