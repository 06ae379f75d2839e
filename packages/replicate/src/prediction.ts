import { z } from "zod";

/** Every status a prediction can have; `aborted` means a deadline passed before it started. */
export const PredictionStatus = z.enum([
  "starting",
  "processing",
  "succeeded",
  "failed",
  "canceled",
  "aborted",
]);
export type PredictionStatus = z.infer<typeof PredictionStatus>;

/**
 * Statuses after which nothing changes. Includes `aborted`, which the official client's `wait()`
 * leaves out (it polls an aborted prediction forever).
 */
export const terminalPredictionStatuses: readonly PredictionStatus[] = [
  "succeeded",
  "failed",
  "canceled",
  "aborted",
];

/** True when `status` is final. */
export function isTerminalStatus(status: PredictionStatus): boolean {
  return terminalPredictionStatuses.includes(status);
}

/** Counters Replicate reports on a finished prediction; all of them are optional in practice. */
export const PredictionMetrics = z.looseObject({
  predict_time: z.number().nonnegative().optional(),
  total_time: z.number().nonnegative().optional(),
  input_token_count: z.number().int().nonnegative().optional(),
  output_token_count: z.number().int().nonnegative().optional(),
  image_count: z.number().int().nonnegative().optional(),
  time_to_first_token: z.number().optional(),
  tokens_per_second: z.number().optional(),
});
export type PredictionMetrics = z.infer<typeof PredictionMetrics>;

/** The webhook events a prediction can report. */
export const WebhookEventType = z.enum(["start", "output", "logs", "completed"]);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** A prediction as `GET /v1/predictions/{id}` and webhooks return it; unknown fields are kept. */
export const Prediction = z.looseObject({
  id: z.string().min(1),
  model: z.string().optional(),
  version: z.string().optional(),
  input: z.record(z.string(), z.unknown()).nullish(),
  output: z.unknown().optional(),
  logs: z.string().nullish(),
  // A string for `failed`; tolerate anything else rather than rejecting a real prediction.
  error: z.unknown().optional(),
  status: PredictionStatus,
  source: z.string().optional(),
  data_removed: z.boolean().optional(),
  created_at: z.string().optional(),
  started_at: z.string().nullish(),
  completed_at: z.string().nullish(),
  deadline: z.string().nullish(),
  deployment: z.string().nullish(),
  metrics: PredictionMetrics.nullish(),
  webhook: z.string().nullish(),
  webhook_events_filter: z.array(WebhookEventType).nullish(),
  urls: z
    .looseObject({
      get: z.string().optional(),
      cancel: z.string().optional(),
      stream: z.string().optional(),
      web: z.string().optional(),
    })
    .optional(),
});
export type Prediction = z.infer<typeof Prediction>;

/** One page of `GET /v1/predictions`: newest first, `next` an absolute URL or null. */
export const PredictionPage = z.object({
  next: z.string().nullish(),
  previous: z.string().nullish(),
  results: z.array(Prediction),
});
export type PredictionPage = z.infer<typeof PredictionPage>;

/** A file uploaded with `POST /v1/files`; `urls.get` is what goes into a model's input. */
export const ReplicateFile = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  content_type: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  created_at: z.string().optional(),
  expires_at: z.string().nullish(),
  urls: z.looseObject({ get: z.string().min(1) }),
});
export type ReplicateFile = z.infer<typeof ReplicateFile>;

/** The parts of a model (`GET /v1/models/{owner}/{name}`) the service looks at. */
export const ReplicateModel = z.looseObject({
  owner: z.string(),
  name: z.string(),
  is_official: z.boolean().optional(),
  latest_version: z.looseObject({ id: z.string() }).nullish(),
});
export type ReplicateModel = z.infer<typeof ReplicateModel>;

/** A model version (`GET /v1/models/{owner}/{name}/versions/{id}`). */
export const ReplicateModelVersion = z.looseObject({
  id: z.string(),
  created_at: z.string().optional(),
  cog_version: z.string().nullish(),
});
export type ReplicateModelVersion = z.infer<typeof ReplicateModelVersion>;
