import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { ConsoleDeps } from "../deps.ts";
import type { HubEvent } from "./event-hub.ts";
import { visitorOf } from "./visitor.ts";

/** A comment line this often keeps proxies and the browser from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/**
 * GET /console/playground/events: the visitor's conversation as Server-Sent Events. First a
 * `snapshot` (every message), then a `message` for each write. Each message carries its version,
 * and the page keeps the highest, so a write that lands between listening and the snapshot is
 * never shown older than it is. After a lost subscription the snapshot is sent again.
 */
export function eventStream(deps: ConsoleDeps, c: Context): Response {
  const visitor = visitorOf(c);
  c.header("x-accel-buffering", "no");
  c.header("cache-control", "no-store");
  return streamSSE(c, async (stream) => {
    const pending: HubEvent[] = [];
    let wake: (() => void) | undefined;
    const stop = deps.events.listen(visitor.conversationId, (event) => {
      pending.push(event);
      wake?.();
    });
    let open = true;
    stream.onAbort(() => {
      open = false;
      wake?.();
    });
    const snapshot = async () =>
      stream.writeSSE({
        event: "snapshot",
        data: JSON.stringify(await deps.store.read(visitor.conversationId)),
      });
    try {
      await snapshot();
      while (open) {
        const event = pending.shift();
        if (event?.type === "message") {
          await stream.writeSSE({ event: "message", data: JSON.stringify(event.message) });
          continue;
        }
        if (event?.type === "resync") {
          await snapshot();
          continue;
        }
        const idle = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), KEEPALIVE_MS);
          wake = () => {
            clearTimeout(timer);
            resolve(false);
          };
        });
        wake = undefined;
        if (idle && open) await stream.write(": keepalive\n\n");
      }
    } finally {
      stop();
    }
  });
}
