import { formatUsd, NANOS_PER_USD } from "@replibot/core";
import fc from "fast-check";
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

  it("gives back any amount it formats, exactly, up to a trillion dollars", () => {
    const nanos = fc.bigInt({ min: 0n, max: 10n ** 12n * NANOS_PER_USD - 1n });
    fc.assert(
      fc.property(nanos, (amount) => {
        const typed = formatUsd(amount).replaceAll(",", "");
        expect(adminAmount(typed, "slack")).toEqual({ ok: true, nanos: amount });
        expect(adminAmount(` ${typed.slice(1)} `, "slack")).toEqual({ ok: true, nanos: amount });
      }),
    );
  });

  it("reads a number option as the decimal the admin typed", () => {
    const digits = (min: number, max: number) =>
      fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });
    // Up to 15 significant digits: what a double holds exactly, so Discord's number is the typed one.
    fc.assert(
      fc.property(digits(1, 6), digits(0, 9), (whole, decimals) => {
        const typed = decimals ? `${whole}.${decimals}` : whole;
        expect(adminAmount(Number(typed), "discord")).toEqual(adminAmount(typed, "slack"));
      }),
    );
  });

  it("refuses anything that is not a plain amount with a reason, never a guess", () => {
    const text = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.string({ unit: fc.constantFrom(..."0123456789.$-+e, ") }),
      fc.double().map(String),
    );
    fc.assert(
      fc.property(text, (typed) => {
        fc.pre(!/^\$?\s*\d{1,12}(\.\d{1,9})?$/.test(typed.trim()));
        const result = adminAmount(typed, "slack", 100n * NANOS_PER_USD);
        expect(result.ok).toBe(false);
        expect([adminText.notAmount, adminText.negative]).toContain(result.ok ? "" : result.reason);
      }),
    );
  });
});
