import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { createApp } from "./app.ts";
import { createClock } from "./clock.ts";
import { createEmulatorControl, type EmulatorControl } from "./emulator-control.ts";
import { type EmulatorOptions, resolveOptions } from "./emulator-options.ts";
import { createFaults } from "./faults.ts";
import { createFileStore } from "./file-store.ts";
import { createInputResolver } from "./input-resolver.ts";
import { createModelRegistry, demoModels } from "./model-registry.ts";
import { createOutputStore } from "./output-store.ts";
import { toPredictionJson } from "./prediction.ts";
import { createPredictionRunner } from "./prediction-runner.ts";
import { createPredictionStore } from "./prediction-store.ts";
import { createPublicUrls, listenOrigin } from "./public-urls.ts";
import { createRateLimiter } from "./rate-limiter.ts";
import { createRequestLog } from "./request-log.ts";
import type { EmulatorServices } from "./services.ts";
import { createStreamHub } from "./stream-hub.ts";
import { createWebhookDispatcher } from "./webhook-dispatcher.ts";

/** A running emulator. */
export interface Emulator {
  /** What the official client takes as `baseUrl`, e.g. `http://127.0.0.1:8790/v1`. */
  baseUrl: string;
  /** The public origin, e.g. `http://127.0.0.1:8790`. */
  origin: string;
  /** The `whsec_…` secret webhooks are signed with. */
  webhookSecret: string;
  control: EmulatorControl;
  /** Stops the server and every timer; open connections are destroyed. */
  close(): Promise<void>;
}

/** Starts a local Replicate API that the official `replicate` client works against through `baseUrl`. */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const lifetime = new AbortController();
  const clock = createClock();
  const server = createAdaptorServer({ fetch: (request: Request) => app.fetch(request) });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const bound = listenOrigin(resolved.host, port);
  const urls = createPublicUrls(resolved.publicUrl ?? bound, bound);

  const faults = createFaults();
  const files = createFileStore(clock.now);
  const outputs = createOutputStore(clock.now);
  const streams = createStreamHub();
  const webhooks = createWebhookDispatcher({
    clock,
    secret: resolved.webhookSecret,
    fetch: resolved.fetch,
    faults,
    retryScheduleMs: resolved.webhookRetryScheduleMs,
    timeoutMs: resolved.webhookTimeoutMs,
    throttleMs: resolved.webhookThrottleMs,
    serialize: (record) => JSON.stringify(toPredictionJson(record, urls)),
  });
  const resolveInput = createInputResolver({
    urls,
    files,
    outputs,
    fetch: resolved.fetch,
    timeoutMs: resolved.inputFetchTimeoutMs,
  });
  const runner = createPredictionRunner({
    clock,
    streams,
    webhooks,
    faults,
    settings: resolved.settings,
    coldStartMs: resolved.coldStartMs,
    saveOutput(bytes, contentType, name) {
      const saved = outputs.save(bytes, contentType, name);
      return urls.delivery(saved.token, saved.name);
    },
    resolveInput,
    onInternalError: (error, record) =>
      resolved.logger?.error({ err: error, predictionId: record.id }, "emulated model crashed"),
  });
  const services: EmulatorServices = {
    options: resolved,
    clock,
    urls,
    registry: createModelRegistry(demoModels(), resolved.deployments),
    predictions: createPredictionStore(),
    runner,
    streams,
    webhooks,
    files,
    outputs,
    faults,
    createLimiter: createRateLimiter(resolved.createLimitPerMinute, clock.now),
    otherLimiter: createRateLimiter(resolved.otherLimitPerMinute, clock.now),
    requests: createRequestLog(),
    lifetime: lifetime.signal,
  };
  const control = createEmulatorControl(services);
  const app = createApp(services, control);

  let closing: Promise<void> | undefined;
  return {
    baseUrl: urls.baseUrl,
    origin: urls.origin,
    webhookSecret: resolved.webhookSecret,
    control,
    close() {
      closing ??= (async () => {
        lifetime.abort();
        runner.reset();
        webhooks.reset();
        streams.clear();
        clock.dispose();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ("closeAllConnections" in server) server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
