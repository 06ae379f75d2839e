import { AppError, ceilDiv, NANOS_PER_USD } from "@replibot/core";

/**
 * An exact non-negative decimal: `units / 10^scale`. Prices and `predict_time` are terminating
 * decimals, so products and sums of them stay exact with bigint units; no float ever touches money.
 */
export interface Decimal {
  units: bigint;
  scale: number;
}

const decimalPattern = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Parses "0.65", "5.524512" or "1e-7" (the forms JavaScript prints numbers in) exactly. */
export function parseDecimal(text: string): Decimal {
  const match = decimalPattern.exec(text.trim());
  if (!match) throw new AppError("invalid_input", `not a non-negative decimal: "${text.slice(0, 40)}"`);
  const [, whole = "0", fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText);
  const units = BigInt(whole + fraction);
  const scale = fraction.length - exponent;
  return scale >= 0 ? { units, scale } : { units: units * 10n ** BigInt(-scale), scale: 0 };
}

/**
 * The exact decimal a JSON number was written as. `String(n)` is the shortest text that reads back
 * as the same double, i.e. the digits Replicate sent (5.524512, not 5.52451199999999979...).
 */
export function decimalFromNumber(value: number): Decimal {
  if (!Number.isFinite(value) || value < 0) {
    throw new AppError("invalid_input", `not a non-negative finite number: ${value}`);
  }
  return parseDecimal(String(value));
}

/** An integer as a decimal. */
export function decimalFromBigInt(value: bigint): Decimal {
  return { units: value, scale: 0 };
}

/** a × b, exactly. */
export function mulDecimal(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** a + b, exactly. */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return {
    units: a.units * 10n ** BigInt(scale - a.scale) + b.units * 10n ** BigInt(scale - b.scale),
    scale,
  };
}

/** a / 10^digits, exactly (e.g. a price per million tokens to a price per token). */
export function shiftDecimal(a: Decimal, digits: number): Decimal {
  return { units: a.units, scale: a.scale + digits };
}

/** Plain decimal text without trailing zeros: "0.00000065", "26", "0.0053863992". */
export function formatDecimal(a: Decimal): string {
  if (a.scale === 0) return a.units.toString();
  const digits = a.units.toString().padStart(a.scale + 1, "0");
  const whole = digits.slice(0, digits.length - a.scale);
  const fraction = digits.slice(digits.length - a.scale).replace(/0+$/, "");
  return fraction === "" ? whole : `${whole}.${fraction}`;
}

/** US dollars to nano-dollars, rounded up: the one rounding a cost ever gets. */
export function usdToNanosCeil(usd: Decimal): bigint {
  return ceilDiv(usd.units * NANOS_PER_USD, 10n ** BigInt(usd.scale));
}
