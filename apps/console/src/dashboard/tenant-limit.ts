import { adminAmount } from "@replibot/chat";
import { formatUsd, type Platform } from "@replibot/core";

/** The operator's settings a limit set on the dashboard must stay within. */
export interface LimitSettings {
  /** DEFAULT_TENANT_LIMIT_USD. */
  defaultLimitNanos: bigint;
  /** MAX_TENANT_LIMIT_USD: the most any admin may set. */
  maxLimitNanos: bigint;
  /** CONSOLE_DEMO_LIMIT_USD: the demo tenant (the playground) never goes above it. */
  demoLimitNanos: bigint;
}

/** The most a tenant's limit may be, and the setting that says so. */
export function limitCeiling(
  platform: Platform,
  settings: LimitSettings,
): { nanos: bigint; setting: string } {
  if (platform === "console" && settings.demoLimitNanos < settings.maxLimitNanos)
    return { nanos: settings.demoLimitNanos, setting: "CONSOLE_DEMO_LIMIT_USD" };
  return { nanos: settings.maxLimitNanos, setting: "MAX_TENANT_LIMIT_USD" };
}

/**
 * What "back to the default" stores: null (DEFAULT_TENANT_LIMIT_USD, as `/spend-limit clear` does) for
 * a server or workspace; for the demo, its own limit written out, since the default may be above it.
 */
export function defaultLimitFor(platform: Platform, settings: LimitSettings): bigint | null {
  if (platform !== "console") return null;
  if (settings.demoLimitNanos < settings.defaultLimitNanos) return settings.demoLimitNanos;
  return settings.defaultLimitNanos;
}

/** The limit in force for a tenant: the admin's, or the default (as the worker's admission reads it). */
export function effectiveLimit(monthlyLimitNanos: bigint | null, settings: LimitSettings): bigint {
  return monthlyLimitNanos ?? settings.defaultLimitNanos;
}

/**
 * A limit typed on the dashboard, read exactly (digit by digit, as the platforms' commands read it), or
 * the reason it is refused: not a dollar amount, negative, or above the ceiling for this tenant.
 */
export function parseLimit(
  text: string,
  platform: Platform,
  settings: LimitSettings,
): { ok: true; nanos: bigint } | { ok: false; reason: string } {
  const amount = adminAmount(text.slice(0, 100), platform);
  if (!amount.ok) return amount;
  const ceiling = limitCeiling(platform, settings);
  if (amount.nanos > ceiling.nanos) {
    return {
      ok: false,
      reason:
        ceiling.setting === "CONSOLE_DEMO_LIMIT_USD"
          ? `The most the demo can be given is ${formatUsd(ceiling.nanos)} a month (the operator's CONSOLE_DEMO_LIMIT_USD).`
          : `The most a tenant can be given is ${formatUsd(ceiling.nanos)} a month (the operator's MAX_TENANT_LIMIT_USD).`,
    };
  }
  return amount;
}
