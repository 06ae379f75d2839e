import type { Emulator } from "@replibot/emulator";
import type { FetchLike } from "../call-fetch.ts";
import { createReplicateClient } from "../create-replicate-client.ts";
import type { PredictionStreamEvent } from "../prediction-stream.ts";
import type { ReplicateClientOptions } from "../replicate-client.ts";

/** The token the emulator tests use; no message may ever contain it. */
export const token = "r8_integrationToken0123456789";

/** One HTTP attempt seen by {@link countingFetch}. */
export interface Call {
  method: string;
  path: string;
  status: number;
  atMs: number;
}

/** Wraps fetch to record every HTTP attempt with its start time. */
export function countingFetch(): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = async (input, init) => {
    const atMs = performance.now();
    const response = await globalThis.fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    calls.push({ method: init?.method ?? "GET", path: url.pathname, status: response.status, atMs });
    return response;
  };
  return { fetch, calls };
}

/** A client on the emulator whose HTTP attempts are recorded. */
export function clientFor(emulator: Emulator, options: Partial<ReplicateClientOptions> = {}) {
  const counting = countingFetch();
  const client = createReplicateClient({
    baseUrl: emulator.baseUrl,
    token,
    fetch: counting.fetch,
    ...options,
  });
  return { client, calls: counting.calls };
}

/** Every event of a stream. */
export async function collect(
  events: AsyncIterable<PredictionStreamEvent>,
): Promise<PredictionStreamEvent[]> {
  const out: PredictionStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}
