import { z } from "zod";
import { portField, urlField } from "./env-fields.ts";

/** Where the console listens, and where the worker reaches it (to fetch a playground's voice notes). */
export const consoleUrlEnv = z.object({
  CONSOLE_PORT: portField.default(8090),
  /** Where the console listens; anything but loopback needs ADMIN_PASSWORD. */
  CONSOLE_HOST: z.string().min(1).default("127.0.0.1"),
  /** The console's own URL as the worker reaches it; http://127.0.0.1:${CONSOLE_PORT} by default. */
  CONSOLE_PUBLIC_URL: urlField(["http", "https"], "http://127.0.0.1:8090").optional(),
});

const ANY_ADDRESS = new Set(["0.0.0.0", "::", "localhost", "127.0.0.1"]);

/**
 * The console's origin as other processes of the deployment reach it: CONSOLE_PUBLIC_URL, else the
 * listening host (loopback when it listens on every address) and port.
 */
export function consolePublicOrigin(env: {
  CONSOLE_PUBLIC_URL?: string | undefined;
  CONSOLE_HOST?: string | undefined;
  CONSOLE_PORT?: number | undefined;
}): string {
  if (env.CONSOLE_PUBLIC_URL) return new URL(env.CONSOLE_PUBLIC_URL).origin;
  const host = env.CONSOLE_HOST ?? "127.0.0.1";
  const name = ANY_ADDRESS.has(host) ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return new URL(`http://${name}:${env.CONSOLE_PORT ?? 8090}`).origin;
}
