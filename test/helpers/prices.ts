/** Whisper's T4 price in the built-in catalog, nano-dollars a second. */
export const T4_NANOS_PER_SEC = 225_000n;

/** `seconds` (as Replicate reports it, a decimal) × the T4 price, rounded up to the nano-dollar. */
export function t4Nanos(seconds: number): bigint {
  const [whole, fraction = ""] = String(seconds).split(".");
  const scale = 10n ** BigInt(fraction.length);
  return (BigInt(`${whole}${fraction}`) * T4_NANOS_PER_SEC + scale - 1n) / scale;
}
