import { parseArgs } from "node:util";
import type { EmulatorOptions } from "./emulator-options.ts";

/** Command-line flags, parsed into emulator options, or the one line that says what is wrong. */
export type CliArgs = { ok: true; options: EmulatorOptions } | { ok: false; message: string };

const numberFlags = {
  port: "port",
  "create-limit": "createLimitPerMinute",
  "other-limit": "otherLimitPerMinute",
  "tokens-per-second": "tokensPerSecond",
  "cold-start-ms": "coldStartMs",
  "image-step-ms": "imageStepMs",
  "image-grain": "imageGrain",
  "time-scale": "timeScale",
} as const satisfies Record<string, keyof EmulatorOptions>;

/** The usage line printed with `--help`. */
export const usage =
  "usage: emulator [--host 127.0.0.1] [--port 8790] [--public-url URL] [--webhook-secret whsec_…] [--token T]… " +
  "[--create-limit N] [--other-limit N] [--tokens-per-second N] [--cold-start-ms N] [--image-step-ms N] " +
  "[--image-grain N] [--time-scale X] [--nsfw-trigger-word W]";

/** Parses argv (without node and the script); the port defaults to 8790 so the printed URL is stable. */
export function parseCliArgs(argv: readonly string[]): CliArgs | { ok: "help" } {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        "public-url": { type: "string" },
        "webhook-secret": { type: "string" },
        token: { type: "string", multiple: true },
        "create-limit": { type: "string" },
        "other-limit": { type: "string" },
        "tokens-per-second": { type: "string" },
        "cold-start-ms": { type: "string" },
        "image-step-ms": { type: "string" },
        "time-scale": { type: "string" },
        "nsfw-trigger-word": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { ok: "help" };
  const options: EmulatorOptions = { port: 8790 };
  for (const [flag, key] of Object.entries(numberFlags)) {
    const raw = values[flag];
    if (typeof raw !== "string") continue;
    const value = Number(raw);
    if (
      raw.trim() === "" ||
      !Number.isFinite(value) ||
      value < 0 ||
      (flag === "port" && !Number.isInteger(value))
    ) {
      return { ok: false, message: `--${flag} must be a non-negative number, got "${raw}"` };
    }
    options[key] = value;
  }
  if (typeof values.host === "string") options.host = values.host;
  if (typeof values["public-url"] === "string") {
    if (!URL.canParse(values["public-url"]))
      return { ok: false, message: "--public-url must be an absolute URL" };
    options.publicUrl = values["public-url"];
  }
  const secret = values["webhook-secret"];
  if (typeof secret === "string") {
    if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)) {
      return { ok: false, message: "--webhook-secret must look like whsec_<base64>" };
    }
    options.webhookSecret = secret;
  }
  if (Array.isArray(values.token)) options.tokens = values.token;
  if (typeof values["nsfw-trigger-word"] === "string") options.nsfwTriggerWord = values["nsfw-trigger-word"];
  return { ok: true, options };
}
