import { randomBytes } from "node:crypto";

/** Makes Slack-looking ids (`T…`, `C…`, `U…`) and message timestamps. */
export interface IdFactory {
  /** An id with Slack's one-letter prefix and upper-case alphanumerics, e.g. `C0A1B2C3D4`. */
  id(prefix: string): string;
  /** A message `ts` ("<unix>.<6 digits>"), strictly increasing across the whole fake. */
  ts(): string;
  /** An opaque random token (trigger ids, response_url ids, OAuth codes). */
  secret(bytes?: number): string;
}

/** Creates an id factory whose `ts` follows `now` (epoch ms) but never repeats. */
export function createIdFactory(now: () => number): IdFactory {
  let counter = 0;
  let lastMicros = 0;
  // Each fake has its own ids, so budgets keyed by team or channel in the shared Redis never collide.
  const instance = randomBytes(4).readUInt32BE(0).toString(36).toUpperCase().padStart(7, "0").slice(0, 4);
  return {
    id(prefix) {
      counter += 1;
      return `${prefix}${instance}${counter.toString(36).toUpperCase().padStart(5, "0")}`;
    },
    ts() {
      // Slack ts values are unique per channel and sort by time; a global counter keeps both true.
      lastMicros = Math.max(Math.floor(now() * 1000), lastMicros + 1);
      const seconds = Math.floor(lastMicros / 1_000_000);
      return `${seconds}.${String(lastMicros % 1_000_000).padStart(6, "0")}`;
    },
    secret: (bytes = 12) => randomBytes(bytes).toString("hex"),
  };
}
