import { createHash } from "node:crypto";
import type { Budget } from "@replibot/chat";

/** Replicate's documented limit on prediction creates, per account. */
export const REPLICATE_CREATES_PER_MINUTE = 600;

/**
 * The edit governor's sliding window over one Replicate account's prediction creates, shared by every
 * worker process. The key names the account by a hash of its API root and token (never the token in
 * clear), so workers of one deployment share it and a separate account or emulator does not.
 */
export function replicateCreateBudget(
  replicate: { baseUrl: string; token: string },
  limitPerMinute: number = REPLICATE_CREATES_PER_MINUTE,
): Budget {
  const account = createHash("sha256").update(`${replicate.baseUrl}\n${replicate.token}`).digest("hex");
  return { key: `replicate-create-${account.slice(0, 16)}`, limit: limitPerMinute, windowMs: 60_000 };
}
