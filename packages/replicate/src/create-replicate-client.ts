import { setTimeout as delay } from "node:timers/promises";
import { AppError } from "@replibot/core";
import Replicate from "replicate";
import { z } from "zod";
import { createCallFetch, type FetchLike, type RetryPolicy, type Sleep } from "./call-fetch.ts";
import { formatCancelAfter } from "./cancel-after.ts";
import { parseModelRef } from "./model-ref.ts";
import {
  Prediction,
  PredictionPage,
  ReplicateFile,
  ReplicateModel,
  ReplicateModelVersion,
} from "./prediction.ts";
import { readPredictionStream } from "./prediction-stream.ts";
import type { CallOptions, ReplicateClient, ReplicateClientOptions } from "./replicate-client.ts";
import { toAppError } from "./to-app-error.ts";
import { waitForPrediction } from "./wait-for-prediction.ts";

const idPattern = /^[A-Za-z0-9_-]{1,200}$/;
const defaultSleep: Sleep = (ms, signal) => delay(ms, undefined, signal ? { signal } : {});

/** A Replicate client over the official `replicate` package, with its faults worked around. */
export function createReplicateClient(options: ReplicateClientOptions): ReplicateClient {
  const baseFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const sleep = options.sleep ?? defaultSleep;
  const policy: RetryPolicy = {
    maxRetries: options.maxRetries ?? 4,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
  };
  const base = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);

  /**
   * One official client per call: its fetch carries this call's headers and give-up state, so
   * concurrent calls never see each other's Cancel-After or retry budget.
   */
  async function call<T>(
    what: string,
    schema: z.ZodType<T>,
    signal: AbortSignal | undefined,
    run: (replicate: Replicate) => Promise<unknown>,
    extraHeaders?: Record<string, string>,
  ): Promise<T> {
    const { fetch, record } = createCallFetch({
      ...policy,
      fetch: baseFetch,
      sleep,
      nowMs: options.now ?? Date.now,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(extraHeaders ? { extraHeaders } : {}),
    });
    const replicate = new Replicate({
      auth: options.token,
      baseUrl: options.baseUrl,
      fetch,
      // Output URLs stay plain strings: a FileOutput starts downloading the moment it is built.
      useFileOutput: false,
      // Never "data-uri": in replicate@1.4.0 it serialises the client itself, token included, into
      // the model input. "upload" over "default" so a failed upload fails instead of silently
      // inlining the file.
      fileEncodingStrategy: "upload",
    });
    let raw: unknown;
    try {
      raw = await run(replicate);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw toAppError(error, record, what, options.token);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError(
        "upstream_error",
        `Replicate ${what} answered unexpectedly: ${z.prettifyError(parsed.error)}`,
      );
    }
    return parsed.data;
  }

  const checkId = (kind: string, id: string) => {
    if (!idPattern.test(id)) throw new AppError("invalid_input", `not a ${kind} id: "${id.slice(0, 40)}"`);
    return id;
  };

  const getPrediction = async (id: string, { signal }: CallOptions = {}) =>
    call("get prediction", Prediction, signal, (r) =>
      r.predictions.get(checkId("prediction", id), { signal }),
    );

  return {
    async createPrediction(request) {
      const { target, input, signal } = request;
      const body = {
        input,
        webhook: request.webhook,
        webhook_events_filter: request.webhookEventsFilter,
        stream: request.stream,
        signal,
      };
      const headers =
        request.deadlineMs === undefined
          ? undefined
          : { "Cancel-After": formatCancelAfter(request.deadlineMs) };
      if ("deployment" in target) {
        const ref = parseModelRef(target.deployment);
        if (ref.version) throw new AppError("invalid_input", "a deployment is owner/name, without a version");
        return call(
          "create prediction",
          Prediction,
          signal,
          (r) => r.deployments.predictions.create(ref.owner, ref.name, body),
          headers,
        );
      }
      const ref = parseModelRef(target.model);
      return call(
        "create prediction",
        Prediction,
        signal,
        (r) =>
          ref.version
            ? r.predictions.create({ ...body, version: ref.version })
            : r.predictions.create({ ...body, model: `${ref.owner}/${ref.name}` }),
        headers,
      );
    },

    getPrediction,

    async cancelPrediction(id, { signal } = {}) {
      return call("cancel prediction", Prediction, signal, (r) =>
        r.predictions.cancel(checkId("prediction", id), { signal }),
      );
    },

    async listPredictions({ signal, next } = {}) {
      if (next === undefined) {
        return call("list predictions", PredictionPage, signal, (r) => r.predictions.list({ signal }));
      }
      if (!URL.canParse(next)) throw new AppError("invalid_input", "a next-page URL must be an absolute URL");
      const url = new URL(next);
      // The page URL comes from the server; never send the token anywhere but the API root.
      if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
        throw new AppError("invalid_input", "a next-page URL must be on the Replicate API root");
      }
      return call("list predictions", PredictionPage, signal, async (r) =>
        (await r.request(url, { method: "GET", ...(signal ? { signal } : {}) })).json(),
      );
    },

    async *streamPrediction(prediction, { signal } = {}) {
      let url: string | undefined;
      if (typeof prediction !== "string") url = prediction.urls?.stream;
      else if (URL.canParse(prediction)) url = prediction;
      // A bare id (a worker taking over a relay knows only that): its stream URL is on the prediction.
      else url = (await getPrediction(prediction, signal ? { signal } : {})).urls?.stream;
      if (!url) {
        throw new AppError(
          "invalid_input",
          "this prediction has no stream URL (create it with stream: true)",
        );
      }
      yield* readPredictionStream(url, { fetch: baseFetch, ...(signal ? { signal } : {}) });
    },

    async waitForPrediction(id, waitOptions) {
      return waitForPrediction({ get: getPrediction, sleep }, id, waitOptions);
    },

    async uploadFile(content, { signal, filename, contentType, metadata } = {}) {
      const type = contentType ?? (content instanceof Blob ? content.type : "");
      const file = new File([content as BlobPart], filename ?? "upload", {
        type: type || "application/octet-stream",
      });
      return call("upload file", ReplicateFile, signal, (r) =>
        r.files.create(file, metadata ?? {}, { signal }),
      );
    },

    async getModel(model, { signal } = {}) {
      const ref = parseModelRef(model);
      return call("get model", ReplicateModel, signal, (r) => r.models.get(ref.owner, ref.name, { signal }));
    },

    async getModelVersion(model, version, { signal } = {}) {
      const ref = parseModelRef(model);
      return call("get model version", ReplicateModelVersion, signal, (r) =>
        r.models.versions.get(ref.owner, ref.name, checkId("version", version), { signal }),
      );
    },

    async getWebhookSecret({ signal } = {}) {
      const secret = await call("get webhook secret", z.object({ key: z.string().min(1) }), signal, (r) =>
        r.webhooks.default.secret.get({ signal }),
      );
      return secret.key;
    },
  };
}
