import { isTerminalStatus, type Prediction } from "./prediction.ts";

/** Options of {@link waitForPrediction}. */
export interface WaitForPredictionOptions {
  /** Pause between polls; defaults to 1,000 ms. */
  intervalMs?: number;
  /** Stops polling (throwing the signal's reason); the prediction itself keeps running. */
  signal?: AbortSignal;
  /** Called with every state seen, the final one included. */
  onUpdate?: (prediction: Prediction) => void;
}

/** What polling needs: a way to read a prediction and to pause. */
export interface WaitDeps {
  get: (id: string, options: { signal?: AbortSignal }) => Promise<Prediction>;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Polls a prediction until it is terminal, `aborted` included (the official client's `wait()`
 * stops only on succeeded, failed or canceled and polls an aborted prediction forever). A failed
 * prediction is returned, not thrown: it is an outcome the caller reports.
 */
export async function waitForPrediction(
  deps: WaitDeps,
  id: string,
  options: WaitForPredictionOptions = {},
): Promise<Prediction> {
  const { signal } = options;
  const intervalMs = options.intervalMs ?? 1_000;
  for (;;) {
    signal?.throwIfAborted();
    const prediction = await deps.get(id, signal ? { signal } : {});
    options.onUpdate?.(prediction);
    if (isTerminalStatus(prediction.status)) return prediction;
    try {
      await deps.sleep(intervalMs, signal);
    } catch (error) {
      signal?.throwIfAborted();
      throw error;
    }
  }
}
