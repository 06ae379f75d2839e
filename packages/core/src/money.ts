import { AppError } from "./app-error.ts";

/** Nano-dollars in one US dollar: amounts are integers of 10^-9 USD. */
export const NANOS_PER_USD = 1_000_000_000n;

const usdPattern = /^\$?\s*(\d{1,12})(?:\.(\d{1,9}))?$/;

/**
 * Parses a dollar amount such as "$12.50", "12.5" or "0.000000001" into nano-dollars.
 * Anything else (negative, NaN, exponents, more than 9 decimals) is an AppError, never NaN.
 */
export function parseUsd(text: string): bigint {
  const match = usdPattern.exec(text.trim());
  if (!match) {
    throw new AppError(
      "invalid_input",
      `not a dollar amount: "${text.slice(0, 40)}" (use a form like 12.50)`,
    );
  }
  const whole = BigInt(match[1] ?? "0");
  const fraction = BigInt((match[2] ?? "").padEnd(9, "0"));
  return whole * NANOS_PER_USD + fraction;
}

/**
 * Formats nano-dollars as dollars: at least cents, more decimals only when the amount has them
 * ("$12.50", "$0.0002479"). Negative amounts keep their sign.
 */
export function formatUsd(nanos: bigint): string {
  const sign = nanos < 0n ? "-" : "";
  const abs = nanos < 0n ? -nanos : nanos;
  const whole = abs / NANOS_PER_USD;
  let fraction = (abs % NANOS_PER_USD).toString().padStart(9, "0").replace(/0+$/, "");
  if (fraction.length < 2) fraction = fraction.padEnd(2, "0");
  return `${sign}$${whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction}`;
}

/** Integer division rounding up, for costs computed exactly and rounded once. */
export function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new AppError("internal", "ceilDiv: denominator must be positive");
  if (numerator <= 0n) return -(-numerator / denominator);
  return (numerator + denominator - 1n) / denominator;
}
