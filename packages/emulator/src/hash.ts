import { createHash } from "node:crypto";

/** A 32-bit unsigned hash of the text, stable across runs (first 4 bytes of SHA-256). */
export function hash32(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

/** Hex SHA-256 of the text, truncated to `length` characters. */
export function hexDigest(text: string, length = 64): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** A deterministic pseudo-random generator (mulberry32) returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
