import type { Logger } from "@replibot/core";
import type { AdminCheck } from "./deps.ts";

/** How long a `users.info` answer is trusted (the method is Tier 4; a demoted admin loses access soon). */
const ADMIN_CACHE_MS = 60_000;

/** An admin check backed by `users.info` (is_admin, is_owner or is_primary_owner), cached per member. */
export function createAdminCheck(logger: Logger, now: () => number = Date.now): AdminCheck {
  const cache = new Map<string, { admin: boolean; until: number }>();
  return async (client, teamId, userId) => {
    const key = `${teamId}/${userId}`;
    const known = cache.get(key);
    if (known && known.until > now()) return known.admin;
    try {
      const { user } = await client.users.info({ user: userId });
      const admin = Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
      cache.set(key, { admin, until: now() + ADMIN_CACHE_MS });
      return admin;
    } catch (error) {
      logger.warn({ err: error, teamId }, "users.info failed; treating the member as not an admin");
      return false;
    }
  };
}
