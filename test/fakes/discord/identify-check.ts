import { knownIntents } from "./intents.ts";

/** Identify accepted with its intents, or the close code Discord would send. */
export type IdentifyCheck = { ok: true; intents: number } | { ok: false; code: number; reason: string };

/**
 * Checks an Identify payload's `d` in Discord's order: token (4004), shard (4010), intents that do not exist
 * (4013), then privileged intents the application has not switched on (4014).
 */
export function checkIdentify(
  d: Record<string, unknown>,
  botToken: string,
  refusedIntents: number,
): IdentifyCheck {
  if (d.token !== botToken) return { ok: false, code: 4004, reason: "Authentication failed." };
  const shard = d.shard;
  if (shard !== undefined && (!Array.isArray(shard) || shard[0] !== 0 || shard[1] !== 1)) {
    return { ok: false, code: 4010, reason: "Invalid shard." };
  }
  const intents = d.intents;
  if (typeof intents !== "number" || !Number.isInteger(intents) || (intents & ~knownIntents) !== 0) {
    return { ok: false, code: 4013, reason: "Invalid intent(s)." };
  }
  if ((intents & refusedIntents) !== 0) return { ok: false, code: 4014, reason: "Disallowed intent(s)." };
  return { ok: true, intents };
}
