import type { ConsoleEnv } from "./env.ts";

/**
 * How the console may run, decided once at start from the settings:
 * - `password`: ADMIN_PASSWORD is set; every page but the login needs a session.
 * - `demo`: no ADMIN_PASSWORD, the emulator and no platform token; no login, loopback only.
 * - `off`: anything else; `reason` is the line printed at start.
 */
export type ConsoleAccess =
  | { mode: "password"; password: string; host: string }
  | { mode: "demo"; host: "127.0.0.1" }
  | { mode: "off"; reason: string };

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

export function consoleAccess(env: ConsoleEnv): ConsoleAccess {
  if (env.ADMIN_PASSWORD) return { mode: "password", password: env.ADMIN_PASSWORD, host: env.CONSOLE_HOST };
  if (!LOOPBACK.has(env.CONSOLE_HOST))
    return { mode: "off", reason: `CONSOLE_HOST=${env.CONSOLE_HOST} needs ADMIN_PASSWORD` };
  const tokens = [
    env.REPLICATE_API_TOKEN && "REPLICATE_API_TOKEN",
    env.DISCORD_TOKEN && "DISCORD_TOKEN",
    (env.SLACK_BOT_TOKEN || env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN || env.SLACK_CLIENT_ID) &&
      "Slack's",
  ].filter(Boolean);
  if (tokens.length > 0)
    return { mode: "off", reason: `${tokens.join(" and ")} settings are set: set ADMIN_PASSWORD to use it` };
  return { mode: "demo", host: "127.0.0.1" };
}
