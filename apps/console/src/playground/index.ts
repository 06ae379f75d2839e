import { Hono } from "hono";
import type { ConsoleDeps } from "../deps.ts";

/** The playground's page, commands, uploads and event stream, under /console (placeholder until it lands). */
export function playgroundRoutes(_deps: ConsoleDeps): Hono {
  return new Hono();
}
