import { formatSseEvent, type StreamEvent, type StreamEventName, sseOpening } from "./sse-format.ts";

/** Per-prediction event logs with live subscribers, replayed in full on every connect. */
export interface StreamHub {
  /** Starts a log for a prediction; ids are `<createdUnixSeconds>:<seq>`. */
  open(token: string, createdAtMs: number): void;
  /** Appends an event and pushes it to every subscriber; ignored once `done` was sent. */
  publish(token: string, event: StreamEventName, data: string): void;
  /** An SSE body: `: hi`, every event after `lastEventId`, then live events until `done`. */
  subscribe(token: string, lastEventId: string | null): ReadableStream<Uint8Array> | null;
  /** Ends every open response without `done`, as a dropped connection would; returns how many. */
  cut(): number;
  /** Forgets every log and closes every open response. */
  clear(): void;
}

interface StreamLog {
  idPrefix: number;
  events: StreamEvent[];
  done: boolean;
  subscribers: Set<ReadableStreamDefaultController<Uint8Array>>;
}

/** Creates an empty hub. */
export function createStreamHub(): StreamHub {
  const logs = new Map<string, StreamLog>();
  const encoder = new TextEncoder();

  const closeQuietly = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    try {
      controller.close();
    } catch {
      // Already closed or errored by a client that went away.
    }
  };
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      // The client went away; its cancel() removes it from the set.
    }
  };

  return {
    open(token, createdAtMs) {
      logs.set(token, {
        idPrefix: Math.floor(createdAtMs / 1000),
        events: [],
        done: false,
        subscribers: new Set(),
      });
    },
    publish(token, name, data) {
      const log = logs.get(token);
      if (!log || log.done) return;
      const event: StreamEvent = { event: name, id: `${log.idPrefix}:${log.events.length}`, data };
      log.events.push(event);
      const frame = formatSseEvent(event);
      for (const controller of log.subscribers) send(controller, frame);
      if (name === "done") {
        log.done = true;
        for (const controller of log.subscribers) closeQuietly(controller);
        log.subscribers.clear();
      }
    },
    subscribe(token, lastEventId) {
      const log = logs.get(token);
      if (!log) return null;
      let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;
      return new ReadableStream<Uint8Array>({
        start(controller) {
          controllerRef = controller;
          const resumeAt = lastEventId === null ? 0 : log.events.findIndex((e) => e.id === lastEventId) + 1;
          const replay = log.events.slice(resumeAt).map(formatSseEvent).join("");
          send(controller, sseOpening + replay);
          if (log.done) closeQuietly(controller);
          else log.subscribers.add(controller);
        },
        cancel() {
          if (controllerRef) log.subscribers.delete(controllerRef);
        },
      });
    },
    cut() {
      let count = 0;
      for (const log of logs.values()) {
        for (const controller of log.subscribers) {
          closeQuietly(controller);
          count += 1;
        }
        log.subscribers.clear();
      }
      return count;
    },
    clear() {
      for (const log of logs.values()) {
        for (const controller of log.subscribers) closeQuietly(controller);
      }
      logs.clear();
    },
  };
}
