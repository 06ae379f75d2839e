import { createHash, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";

/** The session cookie's name. */
export const SESSION_COOKIE = "replibot_console";

/** How long a sign-in lasts. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

/**
 * Sessions in Redis under the deployment's prefix. Redis keeps only a hash of each session id, so
 * whoever can read Redis (or a dump of it) still cannot sign in with what they find there.
 */
export interface SessionStore {
  /** Starts a session and returns its id (32 random bytes, base64url), the cookie's value. */
  create(): Promise<string>;
  /** Whether `id` names a live session. */
  valid(id: string | undefined): Promise<boolean>;
  /** Ends the session `id`, if it is one. */
  end(id: string | undefined): Promise<void>;
}

/** Sessions of the console of deployment `prefix`. */
export function createSessionStore(
  redis: Redis,
  prefix: string,
  ttlSeconds = SESSION_TTL_SECONDS,
): SessionStore {
  const keyOf = (id: string) => `${prefix}:console:session:${createHash("sha256").update(id).digest("hex")}`;
  const wellFormed = (id: string | undefined): id is string => !!id && /^[A-Za-z0-9_-]{43}$/.test(id);
  return {
    async create() {
      const id = randomBytes(32).toString("base64url");
      await redis.set(keyOf(id), JSON.stringify({ createdAt: Date.now() }), "EX", ttlSeconds);
      return id;
    },
    async valid(id) {
      if (!wellFormed(id)) return false;
      return (await redis.exists(keyOf(id))) === 1;
    },
    async end(id) {
      if (wellFormed(id)) await redis.del(keyOf(id));
    },
  };
}
