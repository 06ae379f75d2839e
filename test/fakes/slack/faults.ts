/** A one-off answer for the next call to `method` (a 500, an injected 429, an `ok:false`). */
export interface FaultSpec {
  method: string;
  /** HTTP status; default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** JSON body; default `{ ok: false, error: "internal_error" }`. */
  body?: unknown;
}

/** Faults queued by tests, consumed first-in first-out per method. */
export interface FaultQueue {
  add(spec: FaultSpec): void;
  take(method: string): FaultSpec | undefined;
}

/** Creates an empty fault queue. */
export function createFaultQueue(): FaultQueue {
  const queue: FaultSpec[] = [];
  return {
    add: (spec) => queue.push(spec),
    take(method) {
      const index = queue.findIndex((f) => f.method === method);
      return index < 0 ? undefined : queue.splice(index, 1)[0];
    },
  };
}
