import type { Platform } from "@replibot/core";

/** A duration as people read it: "12 s", "4 min", "3 h 5 min", "2 d 4 h". */
export function formatAge(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ""}`;
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ""}`;
}

/** An instant in UTC to the minute: "2026-12-04 21:30 UTC". */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** What a tenant is, in words: a Discord server, a Slack workspace, the playground's demo. */
export function platformLabel(platform: Platform): string {
  switch (platform) {
    case "discord":
      return "Discord server";
    case "slack":
      return "Slack workspace";
    case "console":
      return "Demo (playground)";
  }
}

/** How much of `limit` `used` is, in whole percent rounded down (exact, from the nano-dollars). */
export function percentOf(used: bigint, limit: bigint): number {
  if (limit <= 0n) return used > 0n ? 100 : 0;
  return Number((used * 100n) / limit);
}
