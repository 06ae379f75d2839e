import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "./app-error.ts";
import { ceilDiv, formatUsd, NANOS_PER_USD, parseUsd } from "./money.ts";

describe("money", () => {
  it("parses dollar amounts to nano-dollars", () => {
    expect(parseUsd("$12.50")).toBe(12_500_000_000n);
    expect(parseUsd("12.5")).toBe(12_500_000_000n);
    expect(parseUsd("5")).toBe(5n * NANOS_PER_USD);
    expect(parseUsd(" $0.000000001 ")).toBe(1n);
  });

  it("refuses anything that is not an amount, with an error rather than NaN", () => {
    for (const bad of ["", "abc", "-5", "1e3", "NaN", "1.0000000001", "$", "12,50", "Infinity"]) {
      expect(() => parseUsd(bad)).toThrow(AppError);
    }
  });

  it("formats nano-dollars with cents and only the decimals it needs", () => {
    expect(formatUsd(12_500_000_000n)).toBe("$12.50");
    expect(formatUsd(0n)).toBe("$0.00");
    expect(formatUsd(247_900n)).toBe("$0.0002479");
    expect(formatUsd(1_234_567n * NANOS_PER_USD)).toBe("$1,234,567.00");
    expect(formatUsd(-3n * NANOS_PER_USD)).toBe("-$3.00");
  });

  it("round-trips every amount through format and parse", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999_999_999_999n * NANOS_PER_USD }), (nanos) => {
        expect(parseUsd(formatUsd(nanos).replaceAll(",", ""))).toBe(nanos);
      }),
    );
  });

  it("rounds up only when there is a remainder", () => {
    expect(ceilDiv(10n, 5n)).toBe(2n);
    expect(ceilDiv(11n, 5n)).toBe(3n);
    expect(ceilDiv(0n, 5n)).toBe(0n);
  });
});
