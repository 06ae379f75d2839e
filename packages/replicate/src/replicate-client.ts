import type { Logger } from "@replibot/core";
import type { FetchLike, Sleep } from "./call-fetch.ts";
import type {
  Prediction,
  PredictionPage,
  ReplicateFile,
  ReplicateModel,
  ReplicateModelVersion,
  WebhookEventType,
} from "./prediction.ts";
import type { PredictionStreamEvent } from "./prediction-stream.ts";
import type { WaitForPredictionOptions } from "./wait-for-prediction.ts";

/** Options of `createReplicateClient`. */
export interface ReplicateClientOptions {
  /** API root including `/v1`, e.g. https://api.replicate.com/v1 or the emulator's. */
  baseUrl: string;
  token: string;
  fetch?: FetchLike;
  logger?: Logger;
  sleep?: Sleep;
  /** Retries after the first attempt (429s; 5xx and network errors for GETs). Defaults to 4. */
  maxRetries?: number;
  /** First back-off step, doubling per attempt; defaults to 500 ms. */
  retryBaseDelayMs?: number;
  /** Longest single pause; a longer Retry-After gives up at once. Defaults to 30,000 ms. */
  maxRetryDelayMs?: number;
  /** Clock for Retry-After dates; defaults to Date.now. */
  now?: () => number;
}

/** Where a prediction runs: a model (`owner/name`, or pinned `owner/name:version`) or a deployment. */
export type PredictionTarget = { model: string } | { deployment: string };

/** Everything a create can carry. */
export interface CreatePredictionRequest {
  target: PredictionTarget;
  input: Record<string, unknown>;
  webhook?: string;
  webhookEventsFilter?: WebhookEventType[];
  /** Ask for `urls.stream` (deprecated upstream, harmless, and the emulator honours it). */
  stream?: boolean;
  /** Sent as `Cancel-After`; at least 5,000 ms. */
  deadlineMs?: number;
  signal?: AbortSignal;
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Everything Replibot asks of Replicate. Every failure is an AppError with a code. */
export interface ReplicateClient {
  /** Creates a prediction; never retried on 5xx or network errors (a retry could pay twice). */
  createPrediction(request: CreatePredictionRequest): Promise<Prediction>;
  /** The prediction as it is now. */
  getPrediction(id: string, options?: CallOptions): Promise<Prediction>;
  /** Cancels a prediction; a finished one is returned unchanged. */
  cancelPrediction(id: string, options?: CallOptions): Promise<Prediction>;
  /** The newest predictions, or the page at `next` (an absolute URL from a previous page). */
  listPredictions(options?: CallOptions & { next?: string }): Promise<PredictionPage>;
  /**
   * Reads a prediction's `urls.stream` as typed events, ending after `done`. Takes the prediction,
   * its id (the prediction is fetched for its stream URL) or the stream URL itself.
   */
  streamPrediction(
    prediction: Prediction | string,
    options?: CallOptions,
  ): AsyncGenerator<PredictionStreamEvent>;
  /** Polls until the prediction is terminal (aborted included), for when webhooks cannot reach us. */
  waitForPrediction(id: string, options?: WaitForPredictionOptions): Promise<Prediction>;
  /** Uploads a file; its `urls.get` can be given as a model input. */
  uploadFile(content: Blob | Uint8Array, options?: UploadFileOptions): Promise<ReplicateFile>;
  /** A model by `owner/name`; AppError("not_found") when it does not exist. */
  getModel(model: string, options?: CallOptions): Promise<ReplicateModel>;
  /** One version of a model; AppError("not_found") when it does not exist. */
  getModelVersion(model: string, version: string, options?: CallOptions): Promise<ReplicateModelVersion>;
  /** The account's `whsec_…` webhook signing secret. */
  getWebhookSecret(options?: CallOptions): Promise<string>;
}

/** Options of {@link ReplicateClient.uploadFile}. */
export interface UploadFileOptions extends CallOptions {
  filename?: string;
  contentType?: string;
  metadata?: Record<string, unknown>;
}
