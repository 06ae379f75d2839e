/** The default key prefix; the braces are a Redis Cluster hash tag, so one queue's keys share a slot. */
export const DEFAULT_QUEUE_PREFIX = "{replibot}";

/** The one queue that carries every job of the catalog. */
export const JOBS_QUEUE = "jobs";

/** A prefix for a test file or deployment, wrapped as a hash tag. */
export function queuePrefix(name: string): string {
  return `{${name.replace(/[{}]/g, "")}}`;
}
