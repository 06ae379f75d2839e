import { describe, expect, it } from "vitest";
import { adminAmount, adminText } from "./admin-text.ts";

describe("adminAmount", () => {
  it("turns dollars into exact nano-dollars, typed as numbers or as text", () => {
    expect(adminAmount(12.5, "discord")).toEqual({ ok: true, nanos: 12_500_000_000n });
    expect(adminAmount(0.0036, "discord")).toEqual({ ok: true, nanos: 3_600_000n });
    expect(adminAmount(0, "discord")).toEqual({ ok: true, nanos: 0n });
    expect(adminAmount("12.50", "slack")).toEqual({ ok: true, nanos: 12_500_000_000n });
    expect(adminAmount(" $7 ", "slack")).toEqual({ ok: true, nanos: 7_000_000_000n });
  });

  it("refuses negative, non-numeric, absurd and above-maximum amounts with a reason", () => {
    expect(adminAmount(-1, "discord")).toEqual({ ok: false, reason: adminText.negative });
    expect(adminAmount("-1", "slack")).toEqual({ ok: false, reason: adminText.negative });
    expect(adminAmount(Number.NaN, "discord")).toEqual({ ok: false, reason: adminText.notAmount });
    expect(adminAmount("ten", "slack")).toEqual({ ok: false, reason: adminText.notAmount });
    expect(adminAmount("1e3", "slack")).toEqual({ ok: false, reason: adminText.notAmount });
    expect(adminAmount(Number.POSITIVE_INFINITY, "discord")).toEqual({
      ok: false,
      reason: adminText.notAmount,
    });
    expect(adminAmount(1e13, "discord")).toEqual({ ok: false, reason: adminText.notAmount });
    const refused = adminAmount("101", "slack", 100_000_000_000n);
    expect(refused).toEqual({ ok: false, reason: adminText.aboveMax(100_000_000_000n, "slack") });
    expect(refused.ok ? "" : refused.reason).toContain("this workspace");
    expect(adminText.aboveMax(1n, "discord")).toContain("this server");
  });
});
