import type { JobKind, Platform, PolicyRefusal } from "@replibot/core";
import { tenantNoun } from "./admin-text.ts";
import type { EditGovernor } from "./governor/edit-governor.ts";

/** The abuse limits every tenant's members are held to (the operator's settings). */
export interface RequestLimits {
  /** Requests one member may make in any minute, in one tenant. */
  requestsPerMinute: number;
  /** Jobs of one kind one member may have unfinished at once. */
  activePerKind: number;
  /** Jobs one tenant may have waiting in the queue. */
  tenantQueuedMax: number;
}

/** Why a request is refused for the load it would add, and when trying again may work. */
export type LimitRefusal =
  | { reason: "rate"; retryInMs: number; limit: number }
  | { reason: "active"; retryInMs?: number; limit: number }
  | { reason: "queue_full"; retryInMs: number; limit: number };

/** What {@link limitRefusal} needs to know about a request. */
export interface LimitCheck {
  governor: EditGovernor;
  limits: RequestLimits;
  tenantId: string;
  userId: string;
  /**
   * The member's unfinished jobs of this kind and the tenant's queue (from Postgres), the queue
   * counted no further than `tenantQueuedCap`: only whether it is full matters.
   */
  load(tenantQueuedCap: number): Promise<{ userActive: number; soonestEndMs?: number; tenantQueued: number }>;
  now(): number;
}

/** A full queue frees up quickly; members are asked to wait about this long. */
const QUEUE_FULL_RETRY_MS = 30_000;

/**
 * Checks a member's request against the abuse limits: their unfinished jobs of its kind, the
 * tenant's queue, then their requests in the last minute (a sliding window in Redis shared by every
 * process; a refused request still counts, so hammering does not help).
 */
export async function limitRefusal(check: LimitCheck): Promise<LimitRefusal | undefined> {
  const { limits } = check;
  const load = await check.load(limits.tenantQueuedMax);
  if (load.userActive >= limits.activePerKind) {
    const retryInMs =
      load.soonestEndMs === undefined ? undefined : Math.max(1_000, load.soonestEndMs - check.now());
    return { reason: "active", limit: limits.activePerKind, ...(retryInMs ? { retryInMs } : {}) };
  }
  if (load.tenantQueued >= limits.tenantQueuedMax) {
    return { reason: "queue_full", retryInMs: QUEUE_FULL_RETRY_MS, limit: limits.tenantQueuedMax };
  }
  const taken = await check.governor.tryAcquire(
    [
      {
        key: `requests-${check.tenantId}-${check.userId}`,
        limit: limits.requestsPerMinute,
        windowMs: 60_000,
      },
    ],
    0,
  );
  if (!taken.ok) return { reason: "rate", retryInMs: taken.retryInMs, limit: limits.requestsPerMinute };
  return undefined;
}

const seconds = (ms: number) => `${Math.max(1, Math.ceil(ms / 1000))} s`;
const commandName: Record<JobKind, string> = {
  ask: "/ask",
  imagine: "/imagine",
  transcribe: "transcription",
};

/** How a platform writes a channel, a role or group, and a model in a message. */
export interface Mentions {
  channel(id: string): string;
  group(id: string): string;
}

/** The words a member sees when a request is refused, on either platform. */
export function refusalText(
  refusal: LimitRefusal | PolicyRefusal,
  options: { kind: JobKind; platform: Platform; mentions: Mentions },
): string {
  const { kind, platform, mentions } = options;
  const noun = tenantNoun(platform);
  switch (refusal.reason) {
    case "rate":
      return `You have made ${refusal.limit} requests in the last minute, the most this ${noun} allows. Try again in ${seconds(refusal.retryInMs)}.`;
    case "active":
      return `You already have ${refusal.limit === 1 ? `a ${commandName[kind]} request` : `${refusal.limit} ${commandName[kind]} requests`} running; wait for ${refusal.limit === 1 ? "it" : "one"} to finish. ${refusal.retryInMs ? `Try again in ${seconds(refusal.retryInMs)}.` : "Try again when it has finished."}`;
    case "queue_full":
      return `This ${noun} already has ${refusal.limit} requests waiting. Try again in ${seconds(refusal.retryInMs)}.`;
    case "channel":
      return `Replibot is not available in this channel. Use it in ${refusal.channels.map(mentions.channel).join(", ")}.`;
    case "group":
      return `In this ${noun}, ${commandName[kind]} is for ${refusal.groups.map(mentions.group).join(", ")} only.`;
    case "model":
      return `This ${noun} allows only these models for ${commandName[kind]}: ${refusal.models.map((m) => `\`${m}\``).join(", ")}.`;
    case "blocked":
      return `Your prompt contains something this ${noun} does not allow, so it was not sent. Nothing was charged.`;
  }
}
