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

  it("reads any amount of up to 12 whole digits and 9 decimals digit by digit, never through a float", () => {
    const digits = (min: number, max: number) =>
      fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });
    fc.assert(
      fc.property(digits(1, 12), digits(0, 9), fc.boolean(), (whole, decimals, dollarSign) => {
        const text = `${dollarSign ? "$" : ""}${whole}${decimals ? `.${decimals}` : ""}`;
        const expected = BigInt(whole) * NANOS_PER_USD + BigInt(decimals.padEnd(9, "0"));
        expect(parseUsd(text)).toBe(expected);
      }),
    );
  });

  it("refuses any other text with an AppError, never a number that is not one", () => {
    const amount = /^\$?\s*\d{1,12}(\.\d{1,9})?$/;
    const text = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.string({ unit: fc.constantFrom(..."0123456789.$-+e,_ \u0660\uff11") }),
      fc.double().map(String),
    );
    fc.assert(
      fc.property(text, (typed) => {
        fc.pre(!amount.test(typed.trim()));
        expect(() => parseUsd(typed)).toThrow(AppError);
      }),
    );
  });

  it("formats any amount as dollars with cents and thousands separators, the sign outside", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), (nanos) => {
        const shown = formatUsd(nanos);
        expect(shown).toMatch(/^-?\$\d{1,3}(,\d{3})*\.\d{2,9}$/);
        expect(shown.startsWith("-")).toBe(nanos < 0n);
        if (nanos < 0n) expect(shown).toBe(`-${formatUsd(-nanos)}`);
      }),
    );
  });

  it("rounds up only when there is a remainder", () => {
    expect(ceilDiv(10n, 5n)).toBe(2n);
    expect(ceilDiv(11n, 5n)).toBe(3n);
    expect(ceilDiv(0n, 5n)).toBe(0n);
  });
});
