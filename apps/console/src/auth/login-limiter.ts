import type { Redis } from "ioredis";

/** How many failed sign-ins are allowed, and in what window. */
export interface LoginLimits {
  /** Failed attempts one client address may make in a window. */
  perAddress: number;
  /** Failed attempts all addresses together may make in a window (a ceiling against a spread-out guesser). */
  global: number;
  windowSeconds: number;
}

/** Five tries per address and fifty in all, per quarter of an hour. */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAddress: 5, global: 50, windowSeconds: 15 * 60 };

/** May this attempt go ahead, or must the client wait. */
export type LoginAttempt =
  | { ok: true; succeeded(): Promise<void> }
  | { ok: false; retryAfterSeconds: number };

// Checks both windows and counts the attempt in one step (the first count starts a window), so
// parallel tries cannot slip past the limit between a read and a write. An address already locked
// out is not counted against the global ceiling, so one client cannot lock everyone out alone.
const COUNT_ATTEMPT = `
local a = tonumber(redis.call('GET', KEYS[1]) or '0')
if a >= tonumber(ARGV[2]) then return {0, redis.call('PTTL', KEYS[1])} end
local g = tonumber(redis.call('GET', KEYS[2]) or '0')
if g >= tonumber(ARGV[3]) then return {0, redis.call('PTTL', KEYS[2])} end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if redis.call('INCR', KEYS[2]) == 1 then redis.call('EXPIRE', KEYS[2], ARGV[1]) end
return {1, 0}`;

// Takes a successful attempt back, never below zero and never leaving a key without its expiry.
const TAKE_BACK = `
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 1`;

/**
 * Failed sign-ins, counted in Redis under the deployment's prefix. Every attempt is counted before the
 * password is compared, and a correct one is taken back: so during a lockout even the right password
 * is refused, and only failures use up the allowance.
 */
export function createLoginLimiter(redis: Redis, prefix: string, limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
  const globalKey = `${prefix}:console:login-failures:all`;
  return {
    async attempt(address: string): Promise<LoginAttempt> {
      const addressKey = `${prefix}:console:login-failures:addr:${address}`;
      const [allowed, ttlMs] = (await redis.eval(
        COUNT_ATTEMPT,
        2,
        addressKey,
        globalKey,
        String(limits.windowSeconds),
        String(limits.perAddress),
        String(limits.global),
      )) as [number, number];
      if (allowed !== 1) {
        const waitMs = ttlMs > 0 ? ttlMs : limits.windowSeconds * 1000;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
      }
      return {
        ok: true,
        async succeeded() {
          await redis.eval(TAKE_BACK, 2, addressKey, globalKey);
        },
      };
    },
  };
}

/** The limiter {@link createLoginLimiter} returns. */
export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
