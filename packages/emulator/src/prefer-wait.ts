/** The sync-mode wait asked for by a `Prefer` header, in seconds, clamped to 1..60. */
export interface PreferWait {
  seconds: number;
  /** The value echoed in `Preference-Applied`. */
  applied: string;
}

const maxWaitSeconds = 60;

/** Reads `Prefer: wait` or `Prefer: wait=N`; anything else means no waiting. */
export function parsePreferWait(header: string | undefined): PreferWait | null {
  if (!header) return null;
  for (const part of header.split(/[,;]/)) {
    const match = /^\s*wait(?:\s*=\s*(\d+(?:\.\d+)?))?\s*$/i.exec(part);
    if (!match) continue;
    if (match[1] === undefined) return { seconds: maxWaitSeconds, applied: "wait" };
    const seconds = Math.min(maxWaitSeconds, Math.max(1, Math.ceil(Number(match[1]))));
    return { seconds, applied: `wait=${seconds}` };
  }
  return null;
}
