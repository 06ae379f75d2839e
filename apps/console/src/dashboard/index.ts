import { Hono } from "hono";
import type { ConsoleDeps } from "../deps.ts";

/** The dashboard's pages and actions, under /console/dashboard (placeholder until it lands). */
export function dashboardRoutes(_deps: ConsoleDeps): Hono {
  return new Hono();
}
