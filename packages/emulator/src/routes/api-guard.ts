import type { MiddlewareHandler } from "hono";
import { problemResponse } from "../problem.ts";
import { realSleep } from "../real-sleep.ts";
import type { EmulatorServices } from "../services.ts";

const createRoutes = [
  /^\/v1\/predictions\/?$/,
  /^\/v1\/models\/[^/]+\/[^/]+\/predictions\/?$/,
  /^\/v1\/deployments\/[^/]+\/[^/]+\/predictions\/?$/,
];

/** True for the three prediction-create routes, which share the stricter create limit. */
export function isCreateRequest(method: string, path: string): boolean {
  return method === "POST" && createRoutes.some((route) => route.test(path));
}

const tokenOf = (header: string | undefined): string | null => {
  const match = /^(?:Bearer|Token)\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? null;
};

const throttled = (retryAfterSeconds: number, headers: Record<string, string> = {}) =>
  problemResponse(
    {
      title: "Too Many Requests",
      detail: `Request was throttled. Expected available in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`,
      status: 429,
      retry_after: retryAfterSeconds,
    },
    { "Retry-After": String(retryAfterSeconds), ...headers },
  );

/**
 * Runs before every authenticated API route: injected latency and faults, then the token check,
 * then the per-token bucket (every request counts, including the client's back-to-back retries).
 */
export function apiGuard(services: EmulatorServices): MiddlewareHandler {
  return async (c, next) => {
    const { faults, options } = services;
    if (faults.latencyMs > 0) await realSleep(faults.latencyMs, services.lifetime);
    const fault = faults.takeRequestFault();
    if (fault?.status === 429) return throttled(1, { "ratelimit-remaining": "0", "ratelimit-reset": "1" });
    if (fault?.status === 500) {
      return problemResponse({
        title: "Internal Server Error",
        detail: "Internal server error (injected by the emulator)",
        status: 500,
      });
    }
    const token = tokenOf(c.req.header("authorization"));
    if (token === null || (options.tokens !== null && !options.tokens.has(token))) {
      return problemResponse({
        title: "Unauthenticated",
        detail: "You did not pass a valid authentication token",
        status: 401,
      });
    }
    const limiter = isCreateRequest(c.req.method, c.req.path)
      ? services.createLimiter
      : services.otherLimiter;
    const decision = limiter.take(token);
    if (!decision.ok) {
      return throttled(decision.retryAfterSeconds, {
        "ratelimit-remaining": "0",
        "ratelimit-reset": String(decision.resetSeconds),
      });
    }
    await next();
    c.res.headers.set("ratelimit-remaining", String(decision.remaining));
    c.res.headers.set("ratelimit-reset", String(decision.resetSeconds));
  };
}
