import type { Clock } from "./clock.ts";
import type { Faults } from "./faults.ts";
import {
  type ModelDefinition,
  ModelError,
  type ModelRunContext,
  type ModelSettings,
  type ResolvedInput,
} from "./model-definition.ts";
import { isTerminal, type PredictionRecord, type PredictionStatus } from "./prediction.ts";
import type { StreamHub } from "./stream-hub.ts";
import type { WebhookDispatcher } from "./webhook-dispatcher.ts";

/** Drives predictions through starting → processing → a terminal state. */
export interface PredictionRunner {
  /** Starts the lifecycle of a freshly stored record (sends the `start` webhook). */
  start(record: PredictionRecord, model: ModelDefinition, input: Record<string, unknown>): void;
  /** User cancel: `canceled` unless already terminal (then nothing changes). */
  cancel(record: PredictionRecord): void;
  /** Resolves when the prediction is terminal (or the emulator resets). */
  settled(id: string): Promise<void>;
  /** Stops every running prediction without finishing it (no webhooks). */
  reset(): void;
}

/** What the runner needs. */
export interface PredictionRunnerDeps {
  clock: Clock;
  streams: StreamHub;
  webhooks: WebhookDispatcher;
  faults: Faults;
  settings: ModelSettings;
  coldStartMs: number;
  saveOutput(bytes: Uint8Array, contentType: string, name: string): string;
  resolveInput(url: string, signal: AbortSignal): Promise<ResolvedInput>;
  onInternalError(error: unknown, record: PredictionRecord): void;
}

interface Active {
  controller: AbortController;
  partialMetrics: () => Record<string, number> | undefined;
  cancelDeadline: () => void;
  resolve: () => void;
  settled: Promise<void>;
}

const seconds = (ms: number) => Math.round(ms * 1000) / 1_000_000;

/** Creates a runner; cold starts, model pacing and deadlines all run on the emulator's clock. */
export function createPredictionRunner(deps: PredictionRunnerDeps): PredictionRunner {
  const { clock, streams, webhooks } = deps;
  const active = new Map<string, Active>();

  const publish = (record: PredictionRecord, event: "output" | "logs" | "error" | "done", data: string) => {
    if (record.streamToken) streams.publish(record.streamToken, event, data);
  };

  const log = (record: PredictionRecord, line: string) => {
    if (isTerminal(record.status)) return;
    record.logs += `${line}\n`;
    publish(record, "logs", `${line}\n`);
    webhooks.notify(record, "logs");
  };

  const finish = (
    record: PredictionRecord,
    status: Exclude<PredictionStatus, "starting" | "processing">,
    extras: { error?: string; metrics?: Record<string, number>; predictTimeSeconds?: number } = {},
  ) => {
    if (isTerminal(record.status)) return;
    const at = clock.now();
    record.status = status;
    record.completedAtMs = at;
    record.error = status === "failed" ? (extras.error ?? "Prediction failed") : null;
    const running = active.get(record.id);
    const metrics = extras.metrics ?? (status === "succeeded" ? undefined : running?.partialMetrics());
    const predictTime =
      extras.predictTimeSeconds ?? (record.startedAtMs === null ? 0 : seconds(at - record.startedAtMs));
    record.metrics = { ...metrics, predict_time: predictTime, total_time: seconds(at - record.createdAtMs) };
    active.delete(record.id);
    running?.cancelDeadline();
    running?.controller.abort(new Error(`prediction ${status}`));
    if (status === "failed") {
      publish(record, "error", JSON.stringify({ detail: record.error }));
      publish(record, "done", JSON.stringify({ reason: "error" }));
    } else {
      publish(record, "done", status === "succeeded" ? "{}" : JSON.stringify({ reason: "canceled" }));
    }
    webhooks.notify(record, "completed");
    running?.resolve();
  };

  const context = (
    record: PredictionRecord,
    input: Record<string, unknown>,
    signal: AbortSignal,
  ): ModelRunContext => ({
    input,
    signal,
    settings: deps.settings,
    log: (line) => log(record, line),
    appendOutput(item) {
      if (isTerminal(record.status)) return;
      record.output = [...(Array.isArray(record.output) ? record.output : []), item];
      publish(record, "output", item);
      webhooks.notify(record, "output");
    },
    setOutput(output) {
      if (isTerminal(record.status)) return;
      record.output = output;
      webhooks.notify(record, "output");
    },
    sleep: (ms) => clock.sleep(ms, signal),
    now: clock.now,
    saveFile: deps.saveOutput,
    fetchInput: (url) => deps.resolveInput(url, signal),
  });

  const lifecycle = async (
    record: PredictionRecord,
    model: ModelDefinition,
    input: Record<string, unknown>,
  ) => {
    const signal = active.get(record.id)?.controller.signal;
    if (!signal) return;
    try {
      const coldStartMs = deps.faults.takeColdStart(record.model, deps.coldStartMs);
      if (coldStartMs > 0) {
        log(record, `Starting a new worker for ${record.model} (cold boot)...`);
        log(record, "Downloading weights...");
        await clock.sleep(coldStartMs, signal);
        log(record, "Model setup complete.");
      }
      if (isTerminal(record.status)) return;
      record.status = "processing";
      record.startedAtMs = clock.now();
      const injected = deps.faults.takePredictionFailure(record.model);
      if (injected !== null) throw new ModelError(injected);
      const result = await model.run(context(record, input, signal));
      finish(record, "succeeded", result);
    } catch (error) {
      if (isTerminal(record.status)) return;
      if (error instanceof ModelError) {
        finish(record, "failed", { error: error.message });
        return;
      }
      if (signal.aborted) return;
      deps.onInternalError(error, record);
      finish(record, "failed", {
        error: `Internal emulator error: ${error instanceof Error ? error.message : error}`,
      });
    }
  };

  return {
    start(record, model, input) {
      let resolve = () => {};
      const settled = new Promise<void>((r) => {
        resolve = r;
      });
      let cancelDeadline = () => {};
      if (record.deadlineMs !== null) {
        // Past the deadline: `aborted` if it never started, `canceled` if it was running.
        cancelDeadline = clock.setTimer(record.deadlineMs - clock.now(), () =>
          finish(record, record.status === "starting" ? "aborted" : "canceled"),
        );
      }
      const partialMetrics = () => model.partialMetrics?.(input, record.output);
      active.set(record.id, {
        controller: new AbortController(),
        partialMetrics,
        cancelDeadline,
        resolve,
        settled,
      });
      webhooks.notify(record, "start");
      // Deferred so the create response (and the start webhook) still show `starting`.
      clock.setTimer(0, () => void lifecycle(record, model, input));
    },
    cancel: (record) => finish(record, "canceled"),
    settled: (id) => active.get(id)?.settled ?? Promise.resolve(),
    reset() {
      for (const running of active.values()) {
        running.cancelDeadline();
        running.controller.abort(new Error("emulator reset"));
        running.resolve();
      }
      active.clear();
    },
  };
}
