import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { acquireScript, beginFinalScript, beginInterimScript, blockScript } from "./scripts.ts";

/** One platform budget: at most `limit` writes in any `windowMs`, shared by every process. */
export interface Budget {
  /** Names the thing limited, e.g. "discord-channel-123"; never a token in clear. */
  key: string;
  limit: number;
  windowMs: number;
  /** Share of the window interim writes must leave to final writes; the governor's default otherwise. */
  finalShare?: number;
}

/** Options for {@link createEditGovernor}. */
export interface EditGovernorOptions {
  redis: Redis;
  /** Key prefix; a hash tag keeps every governor key in one Redis Cluster slot. */
  prefix?: string;
  /** Share of each window an interim write leaves free (at least one slot), so final writes rarely wait. */
  interimReserveShare?: number;
  /** How long an interim write may be in flight before it is presumed dead. */
  interimLeaseMs?: number;
}

/** The outcome of asking for an interim slot. */
export type InterimSlot =
  | { ok: true; seq: number }
  | { ok: false; reason: "busy" | "final"; retryInMs: number };

/**
 * Counts each platform budget with a sliding window in Redis, and orders writes to one message:
 * interim writes take a slot only when one is free (callers merge or drop them), final writes wait
 * for a slot, wait for interim writes in flight, and no interim write starts after a final one.
 */
export interface EditGovernor {
  /** Takes a slot in every budget now, or says how long until one frees (leaving `reserveShare` free). */
  tryAcquire(
    budgets: Budget[],
    reserveShare?: number,
  ): Promise<{ ok: true } | { ok: false; retryInMs: number }>;
  /** Waits until a slot is free in every budget, then takes it. */
  acquire(budgets: Budget[], signal?: AbortSignal): Promise<void>;
  /** Blocks a budget for `ms` (a 429's Retry-After, or X-RateLimit-Remaining 0 until reset). */
  block(budgetKey: string, ms: number): Promise<void>;
  /** Starts an interim write to `messageKey` if its final write has not begun and budgets allow. */
  beginInterim(messageKey: string, budgets: Budget[]): Promise<InterimSlot>;
  /** Ends an interim write begun with {@link EditGovernor.beginInterim}. */
  endInterim(messageKey: string, seq: number): Promise<void>;
  /** Marks the final write begun, waits for interim writes in flight, then for a budget slot. */
  beginFinal(messageKey: string, budgets: Budget[], signal?: AbortSignal): Promise<void>;
}

/** A Redis-backed edit governor shared by every worker and webhook process. */
export function createEditGovernor(options: EditGovernorOptions): EditGovernor {
  const { redis } = options;
  const prefix = options.prefix ?? "{replibot-governor}";
  const interimReserveShare = options.interimReserveShare ?? 0.3;
  const leaseMs = options.interimLeaseMs ?? 30_000;
  const windowKey = (key: string) => `${prefix}:w:${key}`;
  const blockKey = (key: string) => `${prefix}:b:${key}`;
  const messageKeys = (key: string) => ({
    final: `${prefix}:m:${key}:final`,
    seq: `${prefix}:m:${key}:seq`,
    inflight: `${prefix}:m:${key}:inflight`,
  });

  /** The last waiter of each line of {@link EditGovernor.acquire} in this process. */
  const lines = new Map<string, Promise<void>>();

  async function take(budgets: Budget[], reserveShare: number): Promise<number> {
    if (budgets.length === 0) return 0;
    const keys = [...budgets.map((b) => windowKey(b.key)), ...budgets.map((b) => blockKey(b.key))];
    const member = `${Date.now()}-${randomBytes(6).toString("hex")}`;
    const reserve = (b: Budget) => {
      const share = reserveShare > 0 ? (b.finalShare ?? reserveShare) : 0;
      return share > 0 ? Math.min(b.limit - 1, Math.max(1, Math.ceil(b.limit * share))) : 0;
    };
    const args = [member, ...budgets.flatMap((b) => [b.limit, b.windowMs, reserve(b)])];
    return Number(await redis.eval(acquireScript, keys.length, ...keys, ...args));
  }

  const governor: EditGovernor = {
    async tryAcquire(budgets, reserveShare = 0) {
      const wait = await take(budgets, reserveShare);
      return wait === 0 ? { ok: true } : { ok: false, retryInMs: wait };
    },
    async acquire(budgets, signal) {
      // One line per set of budgets in this process: only its first waiter asks Redis, the others
      // wait their turn. Without it, thousands of writes waiting for one Slack channel (40 commands a
      // second where Slack posts one) woke together and flooded Redis and this process's event loop,
      // stalling unrelated requests (the ack benchmark's p99 at 200/s).
      const lineKey = budgets.map((b) => b.key).join("\u0000");
      const ahead = lines.get(lineKey) ?? Promise.resolve();
      let leave = () => {};
      const mine = new Promise<void>((resolve) => {
        leave = resolve;
      });
      const tail = ahead.then(() => mine);
      lines.set(lineKey, tail);
      try {
        await turn(ahead, signal);
        for (;;) {
          const wait = await take(budgets, 0);
          if (wait === 0) return;
          await sleep(Math.min(wait, 5_000), undefined, { signal });
        }
      } finally {
        leave();
        if (lines.get(lineKey) === tail) lines.delete(lineKey);
      }
    },
    async block(budgetKey, ms) {
      if (ms > 0) await redis.eval(blockScript, 1, blockKey(budgetKey), Math.ceil(ms));
    },
    async beginInterim(messageKey, budgets) {
      const keys = messageKeys(messageKey);
      const wait = await take(budgets, interimReserveShare);
      if (wait > 0) return { ok: false, reason: "busy", retryInMs: wait };
      const seq = Number(
        await redis.eval(beginInterimScript, 3, keys.final, keys.seq, keys.inflight, leaseMs),
      );
      return seq < 0 ? { ok: false, reason: "final", retryInMs: 0 } : { ok: true, seq };
    },
    async endInterim(messageKey, seq) {
      await redis.zrem(messageKeys(messageKey).inflight, String(seq));
    },
    async beginFinal(messageKey, budgets, signal) {
      const keys = messageKeys(messageKey);
      for (;;) {
        const inflight = Number(await redis.eval(beginFinalScript, 2, keys.final, keys.inflight, 86_400_000));
        if (inflight === 0) break;
        await sleep(25, undefined, { signal });
      }
      await governor.acquire(budgets, signal);
    },
  };
  return governor;
}

/** Resolves when the waiters ahead are done; rejects at once when `signal` aborts. */
function turn(ahead: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return ahead;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    ahead.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, reject);
  });
}
