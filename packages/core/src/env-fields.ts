import { z } from "zod";
import { AppError } from "./app-error.ts";
import { parseUsd } from "./money.ts";

/** A URL with one of the given schemes; the message never repeats the value (it may hold a password). */
export function urlField(schemes: string[], example: string) {
  return z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol.replace(/:$/, ""));
      } catch {
        return false;
      }
    },
    { message: `must be a ${schemes.map((s) => `${s}://`).join(" or ")} URL, like ${example}` },
  );
}

/** A TCP port number. */
export const portField = z.coerce
  .number({ message: "must be a port number" })
  .int({ message: "must be a whole port number" })
  .min(1, { message: "must be between 1 and 65535" })
  .max(65_535, { message: "must be between 1 and 65535" });

/** "true"/"false" (also 1/0, yes/no). */
export const booleanField = z
  .string()
  .transform((value, ctx) => {
    const normalized = value.trim().toLowerCase();
    if (["true", "1", "yes", "on"].includes(normalized)) return true;
    if (["false", "0", "no", "off"].includes(normalized)) return false;
    ctx.addIssue({ code: "custom", message: "must be true or false" });
    return z.NEVER;
  })
  .pipe(z.boolean());

/** A dollar amount such as 5 or 12.50, as nano-dollars. */
export const usdField = z.string().transform((value, ctx) => {
  try {
    return parseUsd(value);
  } catch {
    ctx.addIssue({ code: "custom", message: "must be a dollar amount such as 5 or 12.50" });
    return z.NEVER;
  }
});

/** A comma-separated list, trimmed, empties dropped. */
export const listField = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

/** Reads an environment map, treating empty strings as unset (as docker-compose writes them). */
export function normalizeEnv(source: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value.trim() !== "") out[key] = value;
  }
  return out;
}

/**
 * Parses the environment with a zod object schema. The first problem becomes one AppError line
 * that names the variable and what is wrong, never its value.
 */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  source: Record<string, string | undefined>,
): z.output<T> {
  const env = normalizeEnv(source);
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = issue?.path.map(String).join(".") || "environment";
  const missing = issue?.code === "invalid_type" && !(variable in env);
  const message = missing ? "is required" : issue?.message;
  throw new AppError("config_invalid", `${variable}: ${message ?? "is invalid"}`);
}
