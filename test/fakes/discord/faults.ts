/** A one-off response the fake sends instead of handling a request (contract §1.7 `failNext`). */
export interface FaultSpec {
  /** Only requests with this method; any when omitted. */
  method?: string;
  /** A route template (`/webhooks/:application_id/:token/messages/@original`) or an exact path; any when omitted. */
  route?: string;
  status: number;
  /** The JSON body; for 429 a Discord rate-limit body is filled in when omitted. */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests get it; 1 when omitted. */
  times?: number;
}

/** Queued faults, taken in order by the first request each matches. */
export interface FaultQueue {
  add(spec: FaultSpec): void;
  take(method: string, template: string, path: string): FaultSpec | null;
  clear(): void;
}

/** Creates an empty fault queue. */
export function createFaultQueue(): FaultQueue {
  const pending: { spec: FaultSpec; left: number }[] = [];
  return {
    add(spec) {
      pending.push({ spec, left: spec.times ?? 1 });
    },
    take(method, template, path) {
      const index = pending.findIndex(
        ({ spec }) =>
          (!spec.method || spec.method.toUpperCase() === method) &&
          (!spec.route || spec.route === template || spec.route === path),
      );
      const entry = pending[index];
      if (!entry) return null;
      entry.left -= 1;
      if (entry.left <= 0) pending.splice(index, 1);
      return entry.spec;
    },
    clear() {
      pending.length = 0;
    },
  };
}
