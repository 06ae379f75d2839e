import { tenantNoun } from "@replibot/chat";
import { formatUsd, type Platform } from "@replibot/core";
import { periodEnd } from "@replibot/db";

const months = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "December 1", the day a monthly limit resets. */
export function resetDay(period: string): string {
  const end = periodEnd(period);
  return `${months[end.getUTCMonth()]} ${end.getUTCDate()}`;
}

/** The words members see for each way a job can end. */
export const messages = {
  thinking: "Thinking…",
  spendLimit: (limitNanos: bigint, period: string, platform: Platform) =>
    `This ${tenantNoun(platform)} has reached its monthly spend limit of ${formatUsd(limitNanos)} (resets on ${resetDay(period)}).`,
  dailyLimit: (limitNanos: bigint) =>
    `You have reached your daily spend limit of ${formatUsd(limitNanos)} here (it resets at midnight UTC).`,
  operatorCap: (period: string) =>
    `Replibot has reached the monthly spending cap its operator set, so it cannot take new requests until ${resetDay(period)}. Nothing was charged.`,
  timedOutInQueue: "Timed out in the queue before it could start: not charged. Please try again.",
  timedOut: (costNanos: bigint) =>
    `**Timed out** before the model finished: ${costNanos > 0n ? `charged ${formatUsd(costNanos)}` : "not charged"}.`,
  cancelled: (costNanos: bigint) =>
    `**Cancelled**: ${costNanos > 0n ? `charged ${formatUsd(costNanos)}` : "not charged"}.`,
  cancelledBeforeStart: "**Cancelled** before it started: not charged.",
  failed: (reason: string, costNanos: bigint) =>
    `**Failed**: ${reason}. ${costNanos > 0n ? `Charged ${formatUsd(costNanos)}.` : "Not charged."}`,
  notStarted: (reason: string) => `**Failed** before it started: ${reason}. Not charged.`,
  notTranscribed: (reason: string) => `**Not transcribed**: ${reason}. Not charged.`,
  transcribing: "Transcribing…",
  footer: (modelLabel: string, costNanos: bigint) => `-# ${modelLabel} · ${formatUsd(costNanos)}`,
  contextLeftOut: (turns: number) =>
    `-# The ${turns === 1 ? "oldest turn" : `${turns} oldest turns`} of this conversation ${turns === 1 ? "was" : "were"} left out to fit what the model can read.`,
};

/** Joins an answer so far and a status line, leaving out whichever is empty. */
export function withStatus(text: string, status: string): string {
  return text.trim() === "" ? status : `${text}\n\n${status}`;
}

/** The prompt shown in bold above an image and its progress. */
export function promptHeading(input: unknown): string {
  const prompt = (input as { prompt?: unknown } | null)?.prompt;
  return typeof prompt === "string" ? `**${prompt.slice(0, 300)}**` : "";
}
