import type { Platform } from "@replibot/core";
import { tenantNoun } from "./admin-text.ts";

/** What a member is told after "forget me", on either platform. */
export function forgottenText(forgotten: { turns: number; jobs: number }): string {
  const turns = `${forgotten.turns} conversation turn${forgotten.turns === 1 ? "" : "s"}`;
  const jobs = `the words of ${forgotten.jobs} request${forgotten.jobs === 1 ? "" : "s"}`;
  return `Done: Replibot deleted ${turns} and ${jobs} it kept from you. What you were charged stays in the server's ledger (amounts only, no words). Messages already posted in channels are the platform's: delete them there.`;
}

/** A tenant's retention: the days an admin set, or none (the deployment's default). */
export interface RetentionSetting {
  days: number | null;
  /** CONVERSATION_RETENTION_DAYS. */
  defaultDays: number;
}

const daysText = (days: number) => `${days} day${days === 1 ? "" : "s"}`;

/** How long members' words are kept, as `show` lists it. */
export function retentionLine(retention: RetentionSetting): string {
  return retention.days === null
    ? `Members' words kept: ${daysText(retention.defaultDays)} (the default)`
    : `Members' words kept: ${daysText(retention.days)}`;
}

/** What setting a tenant's retention answers. */
export function retentionText(retention: RetentionSetting, platform: Platform): string {
  const kept =
    retention.days === null
      ? `are kept for the default again: ${daysText(retention.defaultDays)}`
      : `are now kept ${daysText(retention.days)}`;
  return `Members' words in this ${tenantNoun(platform)} (prompts, conversation turns, the questions shown above answers) ${kept}, then deleted within the hour. Charges stay in the ledger (amounts only, no words).`;
}
