import type { JobName } from "@replibot/core";

/** The default key prefix; the braces are a Redis Cluster hash tag, so one queue's keys share a slot. */
export const DEFAULT_QUEUE_PREFIX = "{replibot}";

/** The queue that carries every job of the catalog but relays: runs, completions, cancels, sweeps. */
export const JOBS_QUEUE = "jobs";

/**
 * The queue of `relay` jobs. Following a stream takes minutes of I/O, so relays have their own queue
 * and workers: however many streams run, runs, completions and cancels keep their slots.
 */
export const RELAYS_QUEUE = "relays";

/** The name of one of Replibot's queues. */
export type QueueName = typeof JOBS_QUEUE | typeof RELAYS_QUEUE;

/** The queue that carries jobs named `name`. */
export function queueOf(name: JobName): QueueName {
  return name === "relay" ? RELAYS_QUEUE : JOBS_QUEUE;
}

/** A prefix for a test file or deployment, wrapped as a hash tag. */
export function queuePrefix(name: string): string {
  return `{${name.replace(/[{}]/g, "")}}`;
}
