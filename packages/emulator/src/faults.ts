/** An injected API failure: every request gets this status while it lasts. */
export interface RequestFault {
  status: 500 | 429;
  /** Requests left to fail; null means until cleared. */
  remaining: number | null;
}

interface CountedRule<T> {
  remaining: number;
  model: string | null;
  value: T;
}

/** The error a prediction fails with when no message is given. */
export const defaultInjectedError = "Prediction failed (injected by the emulator)";

/** Fault injection state shared by the API, the runner and the webhook dispatcher. */
export interface Faults {
  failPredictions(count: number, model: string | null, error: string): void;
  /** The error for this prediction if a failure rule matches (and consumes one), else null. */
  takePredictionFailure(model: string): string | null;
  forceColdStart(count: number, model: string | null, ms: number): void;
  setModelColdStart(model: string, ms: number | null): void;
  /** Cold start for a new prediction: a counted rule first, then the model's, then `fallbackMs`. */
  takeColdStart(model: string, fallbackMs: number): number;
  failRequests(status: 500 | 429, count: number | null): void;
  clearRequestFaults(): void;
  /** The fault for this API request, if any (and consumes one). */
  takeRequestFault(): RequestFault | null;
  latencyMs: number;
  webhooks: { drop: number; duplicate: number; reorder: number };
  reset(): void;
}

/** Creates a fault state with nothing injected. */
export function createFaults(): Faults {
  let failures: CountedRule<string>[] = [];
  let coldStarts: CountedRule<number>[] = [];
  const modelColdStartMs = new Map<string, number>();
  let requestFault: RequestFault | null = null;

  const take = <T>(rules: CountedRule<T>[], model: string): T | null => {
    const rule = rules.find((r) => r.remaining > 0 && (r.model === null || r.model === model));
    if (!rule) return null;
    rule.remaining -= 1;
    return rule.value;
  };

  const faults: Faults = {
    latencyMs: 0,
    webhooks: { drop: 0, duplicate: 0, reorder: 0 },
    failPredictions(count, model, error) {
      failures.push({ remaining: count, model, value: error });
    },
    takePredictionFailure(model) {
      const error = take(failures, model);
      failures = failures.filter((r) => r.remaining > 0);
      return error;
    },
    forceColdStart(count, model, ms) {
      coldStarts.push({ remaining: count, model, value: ms });
    },
    setModelColdStart(model, ms) {
      if (ms === null) modelColdStartMs.delete(model);
      else modelColdStartMs.set(model, ms);
    },
    takeColdStart(model, fallbackMs) {
      const forced = take(coldStarts, model);
      coldStarts = coldStarts.filter((r) => r.remaining > 0);
      return forced ?? modelColdStartMs.get(model) ?? fallbackMs;
    },
    failRequests(status, count) {
      requestFault = { status, remaining: count };
    },
    clearRequestFaults() {
      requestFault = null;
    },
    takeRequestFault() {
      if (!requestFault) return null;
      const fault = { ...requestFault };
      if (requestFault.remaining !== null) {
        requestFault.remaining -= 1;
        if (requestFault.remaining <= 0) requestFault = null;
      }
      return fault;
    },
    reset() {
      failures = [];
      coldStarts = [];
      modelColdStartMs.clear();
      requestFault = null;
      faults.latencyMs = 0;
      faults.webhooks = { drop: 0, duplicate: 0, reorder: 0 };
    },
  };
  return faults;
}
