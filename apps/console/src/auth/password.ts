import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares a typed password with ADMIN_PASSWORD in constant time: both are hashed first, so neither
 * the length nor the first differing character shows in how long the answer takes.
 */
export function passwordMatches(typed: string, expected: string): boolean {
  const a = createHash("sha256").update(typed, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}
