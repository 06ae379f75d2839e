import { z } from "zod";
import { JobId } from "./job-id.ts";

/** What a member asked for; each kind has its own input schema. */
export const JobKind = z.enum(["ask", "imagine", "transcribe"]);
export type JobKind = z.infer<typeof JobKind>;

/** The lifecycle of a job row in Postgres. */
export const JobStatus = z.enum([
  "queued",
  "creating",
  "running",
  "succeeded",
  "failed",
  "canceled",
  "timed_out",
  "refused",
]);
export type JobStatus = z.infer<typeof JobStatus>;

/** Terminal job statuses: nothing changes a job after one of these. */
export const terminalJobStatuses: readonly JobStatus[] = [
  "succeeded",
  "failed",
  "canceled",
  "timed_out",
  "refused",
];

/** `/ask prompt [model]`. */
export const AskInput = z.object({
  prompt: z.string().min(1).max(8_000),
  model: z.string().min(1).optional(),
  /** The member's message that asked (a mention, a reply), as a conversation message key. */
  questionKey: z.string().min(1).optional(),
});
export type AskInput = z.infer<typeof AskInput>;

/** `/imagine prompt [aspect_ratio] [negative_prompt] [seed] [model]`. */
export const ImagineInput = z.object({
  prompt: z.string().min(1).max(2_000),
  aspectRatio: z.enum(["1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "21:9", "9:21"]).optional(),
  negativePrompt: z.string().max(2_000).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  model: z.string().min(1).optional(),
  /** The model's safety checker is off: only in an age-restricted channel where an admin allowed it. */
  safetyCheckerOff: z.boolean().optional(),
});
export type ImagineInput = z.infer<typeof ImagineInput>;

/** A voice note or audio attachment to transcribe, by URL on an allowed origin. */
export const TranscribeInput = z.object({
  audioUrl: z.url(),
  /** What the platform says the file is; the worker checks the bytes themselves. */
  contentType: z.string().max(200).optional(),
  /** What the platform says the duration is (Discord's `duration_secs`, Slack's `duration_ms`). */
  durationSecs: z.number().nonnegative().optional(),
  /** What the platform says the size is, so a file over the cap is refused before any download. */
  sizeBytes: z.number().int().nonnegative().optional(),
  filename: z.string().max(300).optional(),
});
export type TranscribeInput = z.infer<typeof TranscribeInput>;

/** The `byUserId` of a cancel Replibot itself asks for (a workspace uninstalled the app). */
export const SYSTEM_CANCELLER = "@replibot";

/** BullMQ job names and their payloads. Jobs carry ids, never platform objects. */
export const jobCatalog = {
  /** Admit a queued job, create its prediction and relay progress. */
  run: z.object({ jobId: JobId }),
  /** Write a prediction's final message and settle its spend, exactly once. */
  complete: z.object({
    jobId: JobId,
    predictionId: z.string().min(1),
    source: z.enum(["webhook", "stream", "reconciler", "poll"]),
  }),
  /** Resume relaying a running prediction's stream (handed back by a worker that stopped). */
  relay: z.object({ jobId: JobId }),
  /** Cancel a job at a member's request: its prediction if it has one, else the job itself. */
  cancel: z.object({ jobId: JobId, byUserId: z.string().min(1) }),
  /** Periodic sweep: lost webhooks, lost queue entries, deadlines, dead holds. */
  reconcile: z.object({}),
} as const;

/** Every job name the queue carries. */
export type JobName = keyof typeof jobCatalog;

/** The payload type of job `N`. */
export type JobPayload<N extends JobName> = z.infer<(typeof jobCatalog)[N]>;

/** Validates a payload against the catalog; throws a ZodError naming the bad field. */
export function parseJobPayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  return jobCatalog[name].parse(data) as JobPayload<N>;
}

/** True when `name` is one of the catalog's job names. */
export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobCatalog, name);
}
