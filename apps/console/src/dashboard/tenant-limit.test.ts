import { describe, expect, it } from "vitest";
import { defaultLimitFor, limitCeiling, parseLimit } from "./tenant-limit.ts";

const settings = {
  defaultLimitNanos: 5_000_000_000n,
  maxLimitNanos: 100_000_000_000n,
  demoLimitNanos: 500_000_000n,
};

describe("a limit set on the dashboard", () => {
  it("is read exactly, never through a float", () => {
    expect(parseLimit("12.50", "discord", settings)).toEqual({ ok: true, nanos: 12_500_000_000n });
    expect(parseLimit("$0.000000001", "slack", settings)).toEqual({ ok: true, nanos: 1n });
    expect(parseLimit(" 99.999999999 ", "discord", settings)).toEqual({ ok: true, nanos: 99_999_999_999n });
    expect(parseLimit("0", "discord", settings)).toEqual({ ok: true, nanos: 0n });
  });

  it("refuses what is not a dollar amount, with the reason the platforms give", () => {
    for (const text of ["", "abc", "1e3", "12,50", "NaN", "Infinity", "0x10", "1.0000000001"]) {
      const result = parseLimit(text, "discord", settings);
      expect(result.ok, text).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/not a dollar amount/);
    }
  });

  it("refuses a negative amount", () => {
    const result = parseLimit("-5", "slack", settings);
    expect(result).toEqual({ ok: false, reason: "The amount cannot be negative." });
  });

  it("refuses more than MAX_TENANT_LIMIT_USD, and allows exactly it", () => {
    expect(parseLimit("100", "discord", settings)).toEqual({ ok: true, nanos: 100_000_000_000n });
    const result = parseLimit("100.000000001", "discord", settings);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/\$100\.00 a month.*MAX_TENANT_LIMIT_USD/);
  });

  it("keeps the demo at or below CONSOLE_DEMO_LIMIT_USD", () => {
    expect(limitCeiling("console", settings)).toEqual({
      nanos: 500_000_000n,
      setting: "CONSOLE_DEMO_LIMIT_USD",
    });
    expect(parseLimit("0.50", "console", settings)).toEqual({ ok: true, nanos: 500_000_000n });
    const result = parseLimit("0.51", "console", settings);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/\$0\.50 a month.*CONSOLE_DEMO_LIMIT_USD/);
    // A demo limit above the operator's maximum does not lift the maximum.
    expect(limitCeiling("console", { ...settings, demoLimitNanos: 200_000_000_000n }).setting).toBe(
      "MAX_TENANT_LIMIT_USD",
    );
  });

  it("goes back to the default (null) for servers and workspaces, and to the demo's own limit for the demo", () => {
    expect(defaultLimitFor("discord", settings)).toBeNull();
    expect(defaultLimitFor("slack", settings)).toBeNull();
    expect(defaultLimitFor("console", settings)).toBe(500_000_000n);
  });
});
