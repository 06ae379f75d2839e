import { newDeliveryToken } from "./ids.ts";

/** How long output file URLs stay valid, on the emulator's clock. */
export const outputLifetimeMs = 60 * 60 * 1000;

/** One model output file. */
export interface OutputFile {
  bytes: Uint8Array;
  contentType: string;
  createdAtMs: number;
}

/** A lookup of an output path. */
export type OutputLookup = { found: true; file: OutputFile } | { found: false; expired: boolean };

/** Output files served at `/delivery/<token>/<name>` until they expire. */
export interface OutputStore {
  /** Stores bytes and returns the path below the origin, e.g. `/delivery/abc/out-0.png`. */
  save(bytes: Uint8Array, contentType: string, name: string): { token: string; name: string };
  get(token: string, name: string): OutputLookup;
  clear(): void;
}

/** Creates an empty store on the given clock. */
export function createOutputStore(now: () => number): OutputStore {
  const files = new Map<string, OutputFile>();
  return {
    save(bytes, contentType, name) {
      const token = newDeliveryToken();
      files.set(`${token}/${name}`, { bytes, contentType, createdAtMs: now() });
      return { token, name };
    },
    get(token, name) {
      const file = files.get(`${token}/${name}`);
      if (!file) return { found: false, expired: false };
      if (now() - file.createdAtMs >= outputLifetimeMs) return { found: false, expired: true };
      return { found: true, file };
    },
    clear: () => files.clear(),
  };
}
