import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/** The TCP peer's address, never a header's word for it (a proxy's headers are not trusted). */
export function clientAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address ?? undefined;
  } catch {
    // Not served by @hono/node-server (app.request in tests): no socket to ask.
    return undefined;
  }
}
