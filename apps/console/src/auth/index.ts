import type { MiddlewareHandler } from "hono";
import { Hono } from "hono";
import type { ConsoleDeps } from "../deps.ts";

/** Login and logout pages (placeholder until the auth work lands). */
export function authRoutes(_deps: ConsoleDeps): Hono {
  return new Hono();
}

/** Guards every console route (placeholder until the auth work lands). */
export function accessGuard(_deps: ConsoleDeps): MiddlewareHandler {
  return async (_c, next) => next();
}
