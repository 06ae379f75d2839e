import { defaultInjectedError } from "./faults.ts";
import { type PredictionJson, type PredictionRecord, toPredictionJson } from "./prediction.ts";
import type { RequestLogEntry } from "./request-log.ts";
import type { EmulatorServices } from "./services.ts";
import type { WebhookDelivery } from "./webhook-dispatcher.ts";

/** A prediction as the control API shows it: the API object plus its webhook delivery log. */
export interface PredictionInspection {
  prediction: PredictionJson;
  webhookDeliveries: WebhookDelivery[];
}

/** Fault injection and inspection, the same as the `/_emulator/` HTTP routes. */
export interface EmulatorControl {
  /** Fails the next `count` (default 1) predictions of `model` (or any) when they start running. */
  failNextPredictions(options?: { count?: number; model?: string; error?: string }): void;
  /** Drops the next `count` webhook messages (a dropped `completed` is not retried). */
  dropNextWebhooks(count: number): void;
  /** Delivers each of the next `count` webhook messages twice, with the same `webhook-id`. */
  duplicateNextWebhooks(count: number): void;
  /** Holds the next `count` webhook messages, then delivers them in reverse order. */
  reorderNextWebhooks(count: number): void;
  /** Delivers (in reverse order) held messages now, without waiting for the count. */
  releaseHeldWebhooks(): void;
  /** Ends every open SSE stream now without `done`, like a dropped connection; returns how many. */
  cutStreams(): number;
  /** Delays every authenticated API response by `ms` of real time (0 turns it off). */
  setLatency(ms: number): void;
  /** The next `count` (default 1) predictions of `model` (or any) stay `starting` for `ms`. */
  forceColdStart(options: { ms: number; count?: number; model?: string }): void;
  /** Every prediction of `model` gets this cold start; null returns to the emulator default. */
  setModelColdStart(model: string, ms: number | null): void;
  /** API requests answer `status` for the next `count` requests, or until cleared when no count. */
  failRequests(options: { status: 500 | 429; count?: number }): void;
  clearRequestFaults(): void;
  /** Moves the emulator's clock forward; deadlines, cold starts and expiries that fall due fire. */
  advanceClock(ms: number): void;
  /** The emulator's current time in epoch ms. */
  now(): number;
  /** Every prediction created since start or the last reset, oldest first. */
  predictions(): PredictionInspection[];
  prediction(id: string): PredictionInspection | undefined;
  /** Every HTTP request answered (API, streams, files), oldest first. */
  requests(): RequestLogEntry[];
  /** Resolves once no webhook delivery (or scheduled retry) is pending. */
  webhooksIdle(): Promise<void>;
  /** Forgets predictions, files, faults, buckets and logs, stops running work, and zeroes the clock offset. */
  reset(): void;
}

/** Builds the control handle over the emulator's services. */
export function createEmulatorControl(services: EmulatorServices): EmulatorControl {
  const { faults, webhooks, clock } = services;
  const inspect = (record: PredictionRecord): PredictionInspection => ({
    prediction: toPredictionJson(record, services.urls),
    webhookDeliveries: webhooks.deliveries(record.id),
  });
  const whole = (value: number) => Math.max(0, Math.floor(value));

  return {
    failNextPredictions(options = {}) {
      faults.failPredictions(
        whole(options.count ?? 1),
        options.model ?? null,
        options.error ?? defaultInjectedError,
      );
    },
    dropNextWebhooks(count) {
      faults.webhooks.drop = whole(count);
    },
    duplicateNextWebhooks(count) {
      faults.webhooks.duplicate = whole(count);
    },
    reorderNextWebhooks(count) {
      faults.webhooks.reorder = whole(count);
    },
    releaseHeldWebhooks: () => webhooks.releaseHeld(),
    cutStreams: () => services.streams.cut(),
    setLatency(ms) {
      faults.latencyMs = whole(ms);
    },
    forceColdStart(options) {
      faults.forceColdStart(whole(options.count ?? 1), options.model ?? null, whole(options.ms));
    },
    setModelColdStart: (model, ms) => faults.setModelColdStart(model, ms === null ? null : whole(ms)),
    failRequests: (options) =>
      faults.failRequests(options.status, options.count === undefined ? null : whole(options.count)),
    clearRequestFaults: () => faults.clearRequestFaults(),
    advanceClock: (ms) => clock.advance(whole(ms)),
    now: () => clock.now(),
    predictions: () => services.predictions.all().map(inspect),
    prediction(id) {
      const record = services.predictions.get(id);
      return record ? inspect(record) : undefined;
    },
    requests: () => services.requests.all(),
    webhooksIdle: () => webhooks.idle(),
    reset() {
      services.runner.reset();
      services.predictions.clear();
      services.streams.clear();
      webhooks.reset();
      services.files.clear();
      services.outputs.clear();
      faults.reset();
      services.createLimiter.reset();
      services.otherLimiter.reset();
      services.requests.clear();
      clock.resetOffset();
    },
  };
}
