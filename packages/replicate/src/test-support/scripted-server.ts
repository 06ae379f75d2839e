import { type AppError, isAppError } from "@replibot/core";
import type { FetchLike } from "../call-fetch.ts";
import { createReplicateClient } from "../create-replicate-client.ts";
import type { ReplicateClientOptions } from "../replicate-client.ts";

/** The token the scripted tests use; no message may ever contain it. */
export const token = "r8_unitTestToken1234567890";
/** The API root of the scripted server. */
export const baseUrl = "http://api.test/v1";

/** One request the scripted server received. */
export interface Seen {
  method: string;
  url: string;
  headers: Headers;
  body: unknown;
}

/** A prediction object as Replicate returns it. */
export function prediction(id: string, status = "starting", extra: Record<string, unknown> = {}) {
  return {
    id,
    status,
    model: "o/n",
    version: "hidden",
    input: {},
    output: null,
    logs: "",
    error: null,
    urls: { get: `${baseUrl}/predictions/${id}`, cancel: `${baseUrl}/predictions/${id}/cancel` },
    ...extra,
  };
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** A scripted server: each request gets the next response (the last one repeats); sleeps are recorded. */
export function harness(responses: Array<Response | Error | ((seen: Seen) => Response | Promise<Response>)>) {
  const seen: Seen[] = [];
  const sleeps: number[] = [];
  const fetch: FetchLike = async (input, init) => {
    const entry: Seen = {
      method: init?.method ?? "GET",
      url: String(input instanceof Request ? input.url : input),
      headers: new Headers(init?.headers),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : init?.body,
    };
    seen.push(entry);
    const next = responses[Math.min(seen.length - 1, responses.length - 1)];
    if (next instanceof Error) throw next;
    if (typeof next === "function") return next(entry);
    return (next as Response).clone();
  };
  const make = (options: Partial<ReplicateClientOptions> = {}) =>
    createReplicateClient({
      baseUrl,
      token,
      fetch,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...options,
    });
  return { seen, sleeps, make };
}

/** The AppError a promise rejects with; anything else fails the test. */
export async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("expected a failure");
}
