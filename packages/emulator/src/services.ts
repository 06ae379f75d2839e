import type { Clock } from "./clock.ts";
import type { ResolvedOptions } from "./emulator-options.ts";
import type { Faults } from "./faults.ts";
import type { FileStore } from "./file-store.ts";
import type { ModelRegistry } from "./model-registry.ts";
import type { OutputStore } from "./output-store.ts";
import type { PredictionRunner } from "./prediction-runner.ts";
import type { PredictionStore } from "./prediction-store.ts";
import type { PublicUrls } from "./public-urls.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import type { RequestLog } from "./request-log.ts";
import type { StreamHub } from "./stream-hub.ts";
import type { WebhookDispatcher } from "./webhook-dispatcher.ts";

/** Everything the routes and the control handle share; built once per emulator. */
export interface EmulatorServices {
  options: ResolvedOptions;
  clock: Clock;
  urls: PublicUrls;
  registry: ModelRegistry;
  predictions: PredictionStore;
  runner: PredictionRunner;
  streams: StreamHub;
  webhooks: WebhookDispatcher;
  files: FileStore;
  outputs: OutputStore;
  faults: Faults;
  createLimiter: RateLimiter;
  otherLimiter: RateLimiter;
  requests: RequestLog;
  /** Aborted by `close()`, so real-time waits (latency, `Prefer: wait`) end at once. */
  lifetime: AbortSignal;
}
