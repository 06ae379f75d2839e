import type { PredictionRecord } from "./prediction.ts";

/** Every prediction created since start (or the last reset), in creation order. */
export interface PredictionStore {
  add(record: PredictionRecord): void;
  get(id: string): PredictionRecord | undefined;
  /** Oldest first. */
  all(): PredictionRecord[];
  clear(): void;
}

/** Creates an empty in-memory store. */
export function createPredictionStore(): PredictionStore {
  const records = new Map<string, PredictionRecord>();
  return {
    add: (record) => void records.set(record.id, record),
    get: (id) => records.get(id),
    all: () => [...records.values()],
    clear: () => records.clear(),
  };
}
