/** What the limiter decided for one request. */
export type RateDecision =
  | { ok: true; remaining: number; resetSeconds: number }
  | { ok: false; retryAfterSeconds: number; resetSeconds: number };

/** Token buckets keyed by caller; each holds a minute's worth of requests and refills continuously. */
export interface RateLimiter {
  /** Takes one token from `key`'s bucket, or says how long until one is back. */
  take(key: string): RateDecision;
  /** Forgets every bucket (all full again). */
  reset(): void;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Creates a limiter of `perMinute` requests with a burst of the same size, on the given clock. */
export function createRateLimiter(perMinute: number, now: () => number): RateLimiter {
  const capacity = Math.max(1, perMinute);
  const refillPerMs = capacity / 60_000;
  const buckets = new Map<string, Bucket>();
  const secondsUntilOne = (tokens: number) => Math.max(1, Math.ceil((1 - tokens) / refillPerMs / 1000));

  return {
    take(key) {
      const at = now();
      const bucket = buckets.get(key) ?? { tokens: capacity, updatedMs: at };
      bucket.tokens = Math.min(capacity, bucket.tokens + (at - bucket.updatedMs) * refillPerMs);
      bucket.updatedMs = at;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) {
        const wait = secondsUntilOne(bucket.tokens);
        return { ok: false, retryAfterSeconds: wait, resetSeconds: wait };
      }
      bucket.tokens -= 1;
      return {
        ok: true,
        remaining: Math.floor(bucket.tokens),
        resetSeconds: bucket.tokens >= 1 ? 1 : secondsUntilOne(bucket.tokens),
      };
    },
    reset() {
      buckets.clear();
    },
  };
}
