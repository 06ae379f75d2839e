import type { Clock } from "./clock.ts";
import type { Faults } from "./faults.ts";
import { newWebhookMessageId } from "./ids.ts";
import { allWebhookEvents, isTerminal, type PredictionRecord, type WebhookEvent } from "./prediction.ts";
import { realSleep } from "./real-sleep.ts";
import { webhookHeaders } from "./webhook-signer.ts";

/** One line of a prediction's webhook delivery log. */
export interface WebhookDelivery {
  messageId: string;
  event: WebhookEvent;
  /** 1 for the first attempt of a message; retries of `completed` count up. */
  attempt: number;
  /** Emulated time of the attempt (or of the drop / hold decision). */
  at: string;
  outcome: "delivered" | "failed" | "dropped" | "held";
  /** HTTP status of the receiver's answer, when there was one. */
  status: number | null;
  error: string | null;
}

/** Sends signed webhooks for prediction events, with throttling, retries and injected faults. */
export interface WebhookDispatcher {
  /** Called on every prediction event; decides whether and when a webhook goes out. */
  notify(record: PredictionRecord, event: WebhookEvent): void;
  /** The delivery log of one prediction. */
  deliveries(predictionId: string): WebhookDelivery[];
  /** Delivers, in reverse order, messages held for reordering that are still waiting. */
  releaseHeld(): void;
  /** Resolves once every queued delivery, including scheduled retries, has finished. */
  idle(): Promise<void>;
  /** Aborts everything in flight and forgets all state. */
  reset(): void;
}

/** What the dispatcher needs. */
export interface WebhookDispatcherDeps {
  clock: Clock;
  secret: string;
  fetch: typeof fetch;
  faults: Faults;
  /** Offsets from the first attempt of a `completed` message, e.g. `[0, 2000, 5000]`. */
  retryScheduleMs: readonly number[];
  timeoutMs: number;
  throttleMs: number;
  serialize(record: PredictionRecord): string;
}

interface Message {
  id: string;
  predictionId: string;
  event: WebhookEvent;
  url: string;
  body: string;
}

interface PredictionState {
  lastThrottledMs: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  pendingEvent: WebhookEvent;
  chain: Promise<void>;
}

/** Creates a dispatcher; retries and throttling run on real time, signatures use the emulated clock. */
export function createWebhookDispatcher(deps: WebhookDispatcherDeps): WebhookDispatcher {
  let lifetime = new AbortController();
  let states = new Map<string, PredictionState>();
  const logs = new Map<string, WebhookDelivery[]>();
  let held: Message[] = [];
  const inFlight = new Set<Promise<void>>();

  const log = (message: Message, entry: Omit<WebhookDelivery, "messageId" | "event" | "at">) => {
    const list = logs.get(message.predictionId) ?? [];
    list.push({
      messageId: message.id,
      event: message.event,
      at: new Date(deps.clock.now()).toISOString(),
      ...entry,
    });
    logs.set(message.predictionId, list);
  };

  const attempt = async (message: Message, number: number, signal: AbortSignal): Promise<boolean> => {
    const timestamp = Math.floor(deps.clock.now() / 1000);
    try {
      const response = await deps.fetch(message.url, {
        method: "POST",
        redirect: "manual",
        body: message.body,
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "Replicate-Webhooks (replibot emulator)",
          ...webhookHeaders(deps.secret, message.id, timestamp, message.body),
        },
        signal: AbortSignal.any([signal, AbortSignal.timeout(deps.timeoutMs)]),
      });
      await response.body?.cancel().catch(() => undefined);
      const ok = response.status >= 200 && response.status < 300;
      log(message, {
        attempt: number,
        outcome: ok ? "delivered" : "failed",
        status: response.status,
        error: null,
      });
      return ok;
    } catch (error) {
      if (signal.aborted) return true;
      const text =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
      log(message, { attempt: number, outcome: "failed", status: null, error: text });
      return false;
    }
  };

  // Only `completed` is retried, on its schedule measured from the first attempt.
  const deliver = async (message: Message) => {
    const signal = lifetime.signal;
    const schedule =
      message.event === "completed" && deps.retryScheduleMs.length > 0 ? deps.retryScheduleMs : [0];
    const firstMs = Date.now();
    for (const [index, offsetMs] of schedule.entries()) {
      const waitMs = firstMs + offsetMs - Date.now();
      if (waitMs > 0) await realSleep(waitMs, signal);
      if (signal.aborted || (await attempt(message, index + 1, signal))) return;
    }
  };

  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  const enqueue = (state: PredictionState, message: Message) => {
    state.chain = state.chain.then(() => deliver(message));
    track(state.chain);
  };

  const flushHeld = () => {
    const batch = held.reverse();
    held = [];
    track(
      (async () => {
        for (const message of batch) await deliver(message);
      })(),
    );
  };

  const send = (record: PredictionRecord, state: PredictionState, event: WebhookEvent) => {
    if (!record.webhook) return;
    const message: Message = {
      id: newWebhookMessageId(),
      predictionId: record.id,
      event,
      url: record.webhook,
      body: deps.serialize(record),
    };
    const injected = deps.faults.webhooks;
    if (injected.drop > 0) {
      injected.drop -= 1;
      log(message, { attempt: 0, outcome: "dropped", status: null, error: null });
      return;
    }
    const copies = injected.duplicate > 0 ? 2 : 1;
    if (copies === 2) injected.duplicate -= 1;
    if (injected.reorder > 0) {
      injected.reorder -= 1;
      log(message, { attempt: 0, outcome: "held", status: null, error: null });
      for (let i = 0; i < copies; i++) held.push(message);
      if (injected.reorder === 0) flushHeld();
      return;
    }
    for (let i = 0; i < copies; i++) enqueue(state, message);
  };

  const stateFor = (id: string): PredictionState => {
    let state = states.get(id);
    if (!state) {
      state = { lastThrottledMs: 0, timer: undefined, pendingEvent: "output", chain: Promise.resolve() };
      states.set(id, state);
    }
    return state;
  };

  return {
    notify(record, event) {
      const filter = record.webhookEventsFilter ?? allWebhookEvents;
      if (!record.webhook || !filter.includes(event)) return;
      const state = stateFor(record.id);
      if (event === "start" || event === "completed") {
        if (event === "completed" && state.timer) {
          clearTimeout(state.timer);
          state.timer = undefined;
        }
        send(record, state, event);
        return;
      }
      // output and logs: at most one per throttle window, carrying the latest state when it fires.
      state.pendingEvent = event;
      if (state.timer) return;
      const sinceMs = Date.now() - state.lastThrottledMs;
      if (sinceMs >= deps.throttleMs) {
        state.lastThrottledMs = Date.now();
        send(record, state, event);
        return;
      }
      state.timer = setTimeout(() => {
        state.timer = undefined;
        state.lastThrottledMs = Date.now();
        if (isTerminal(record.status) && filter.includes("completed")) return;
        send(record, state, state.pendingEvent);
      }, deps.throttleMs - sinceMs);
    },
    deliveries: (id) => [...(logs.get(id) ?? [])],
    releaseHeld() {
      deps.faults.webhooks.reorder = 0;
      flushHeld();
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    reset() {
      lifetime.abort();
      lifetime = new AbortController();
      for (const state of states.values()) if (state.timer) clearTimeout(state.timer);
      states = new Map();
      logs.clear();
      held = [];
    },
  };
}
