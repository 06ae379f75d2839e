import type { ConsoleMessage, ConsoleStore } from "@replibot/chat";
import type { Logger } from "@replibot/core";
import { connectRedis, createRedis } from "@replibot/queue";

/** What a page's stream is told: a message changed, or it may have missed changes and must read again. */
export type HubEvent = { type: "message"; message: ConsoleMessage } | { type: "resync" };

/** Fans the deployment's playground changes out to the pages open in this process. */
export interface ConsoleEventHub {
  /** Calls `listener` with every change to the conversation until the returned function is called. */
  listen(conversationId: string, listener: (event: HubEvent) => void): () => void;
  /** Whether the subscription is live (a page may miss changes while it is not). */
  connected(): boolean;
  close(): Promise<void>;
}

/**
 * Subscribes to the store's channel on a dedicated Redis connection (a subscribed connection can do
 * nothing else). After a reconnect every page is told to read its conversation again, since
 * announcements sent meanwhile are lost.
 */
export async function createEventHub(options: {
  redisUrl: string;
  store: ConsoleStore;
  logger: Logger;
}): Promise<ConsoleEventHub> {
  const { store, logger } = options;
  const listeners = new Map<string, Set<(event: HubEvent) => void>>();
  const emit = (conversationId: string, event: HubEvent) => {
    for (const listener of listeners.get(conversationId) ?? []) listener(event);
  };
  // Role "worker": an offline queue, so the subscription is sent again after every reconnect.
  const subscriber = createRedis({ url: options.redisUrl, role: "worker" });
  await connectRedis(subscriber, options.redisUrl);
  await subscriber.subscribe(store.channel);
  subscriber.on("message", (channel: string, raw: string) => {
    if (channel !== store.channel) return;
    const event = store.parseEvent(raw);
    if (event) emit(event.conversationId, { type: "message", message: event.message });
  });
  let lost = false;
  subscriber.on("close", () => {
    lost = true;
  });
  subscriber.on("ready", () => {
    if (!lost) return;
    lost = false;
    logger.info("playground events: Redis subscription restored; pages read their conversations again");
    for (const conversationId of listeners.keys()) emit(conversationId, { type: "resync" });
  });
  return {
    listen(conversationId, listener) {
      let set = listeners.get(conversationId);
      if (!set) {
        set = new Set();
        listeners.set(conversationId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(conversationId);
      };
    },
    connected: () => subscriber.status === "ready",
    async close() {
      listeners.clear();
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
