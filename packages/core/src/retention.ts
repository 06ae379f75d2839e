import { z } from "zod";

/** The fewest and most days an admin may keep their tenant's words (prompts, conversation turns). */
export const RETENTION_DAYS_MIN = 1;
export const RETENTION_DAYS_MAX = 365;

/** CONVERSATION_RETENTION_DAYS: the deployment's retention, for every tenant whose admin set none. */
export const retentionEnv = z.object({
  CONVERSATION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
});

/** Why `days` cannot be a tenant's retention, or undefined when it can. */
export function retentionDaysProblem(days: number): string | undefined {
  if (Number.isInteger(days) && days >= RETENTION_DAYS_MIN && days <= RETENTION_DAYS_MAX) return undefined;
  return `Retention is a whole number of days from ${RETENTION_DAYS_MIN} to ${RETENTION_DAYS_MAX}.`;
}
