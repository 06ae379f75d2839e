import { describe, expect, it } from "vitest";
import { adminAmount, adminReplies } from "./admin.ts";

describe("amounts typed by admins", () => {
  it("turns dollars into exact nano-dollars", () => {
    expect(adminAmount(12.5)).toEqual({ ok: true, nanos: 12_500_000_000n });
    expect(adminAmount(0.0036)).toEqual({ ok: true, nanos: 3_600_000n });
    expect(adminAmount(0)).toEqual({ ok: true, nanos: 0n });
  });

  it("refuses negative, non-numeric and above-maximum amounts with the reason", () => {
    expect(adminAmount(-1)).toEqual({ ok: false, reason: adminReplies.negative });
    expect(adminAmount(Number.NaN)).toEqual({ ok: false, reason: adminReplies.notAmount });
    expect(adminAmount(Number.POSITIVE_INFINITY)).toEqual({ ok: false, reason: adminReplies.notAmount });
    expect(adminAmount(1e13)).toEqual({ ok: false, reason: adminReplies.notAmount });
    expect(adminAmount(101, 100_000_000_000n)).toEqual({
      ok: false,
      reason: adminReplies.aboveMax(100_000_000_000n),
    });
  });
});
