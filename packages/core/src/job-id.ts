import { z } from "zod";

/**
 * A job id as BullMQ and Redis keys need it: no colon (the key separator), never all digits
 * (BullMQ reserves those for its own counters), at most 200 characters.
 */
export const JobId = z
  .string()
  .min(1)
  .max(200)
  .refine((id) => !id.includes(":"), "a job id must not contain a colon")
  .refine((id) => !/^\d+$/.test(id), "a job id must not be all digits");
export type JobId = z.infer<typeof JobId>;

/** The id of a job born from a platform event, so a redelivered event maps to the same job. */
export function jobIdFromEvent(source: "discord" | "slack" | "console", eventId: string): JobId {
  return JobId.parse(`${source}-${eventId.replaceAll(":", "_")}`);
}
