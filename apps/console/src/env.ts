import { parseEnv, portField } from "@replibot/core";
import { z } from "zod";

/** apps/console settings: the only place this app reads process.env. */
export const ConsoleEnv = z.object({
  CONSOLE_PORT: portField.default(8090),
  ADMIN_PASSWORD: z.string().min(8, { message: "must be at least 8 characters" }).optional(),
});
export type ConsoleEnv = z.output<typeof ConsoleEnv>;

/** Parses this app's settings; throws one config_invalid line naming the variable. */
export function loadConsoleEnv(source: Record<string, string | undefined> = process.env): ConsoleEnv {
  return parseEnv(ConsoleEnv, source);
}
