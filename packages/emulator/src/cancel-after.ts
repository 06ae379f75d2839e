/** A parsed `Cancel-After` header. */
export type CancelAfter = { ok: true; ms: number } | { ok: false; reason: string };

/** The shortest deadline Replicate accepts. */
export const minCancelAfterMs = 5_000;

const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Parses `30s`, `5m`, `1h30m45s`, `1.5s`, `500ms` or a bare number of seconds; at least 5 s. */
export function parseCancelAfter(header: string): CancelAfter {
  const text = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) {
    ms = Number(text) * 1000;
  } else if (/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(text)) {
    ms = 0;
    for (const match of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) {
      ms += Number(match[1]) * (unitMs[match[2] ?? "s"] ?? 1000);
    }
  } else {
    return { ok: false, reason: `Cancel-After must be a duration like 30s, 5m or 1h30m45s, got "${text}"` };
  }
  if (ms < minCancelAfterMs) {
    return { ok: false, reason: `Cancel-After must be at least 5s, got "${text}"` };
  }
  return { ok: true, ms: Math.round(ms) };
}
