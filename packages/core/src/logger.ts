import { type Logger, pino } from "pino";

/** Paths whose values never reach a log line, wherever they sit in the object. */
export const redactedPaths = [
  "token",
  "*.token",
  "apiToken",
  "*.apiToken",
  "auth",
  "*.auth",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "secret",
  "*.secret",
  "secrets",
  "*.secrets",
  "password",
  "*.password",
  "interactionToken",
  "*.interactionToken",
  "*.*.interactionToken",
  "botToken",
  "*.botToken",
  "signingSecret",
  "*.signingSecret",
  "clientSecret",
  "*.clientSecret",
  "databaseUrl",
  "*.databaseUrl",
  "responseUrl",
  "*.responseUrl",
  "*.*.responseUrl",
  "response_url",
  "*.response_url",
];

const secretPatterns: RegExp[] = [
  /r8_[A-Za-z0-9]{8,}/g, // Replicate tokens
  /whsec_[A-Za-z0-9+/=]{8,}/g, // webhook secrets
  /xox[abposr]-[A-Za-z0-9-]{8,}/g, // Slack tokens
  /xapp-[A-Za-z0-9-]{8,}/g, // Slack app tokens
  /[MNO][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}/g, // Discord bot tokens
  /(\/\/[^:/@\s]+:)[^@\s/]+@/g, // passwords in URLs (the user-info part holds no "/")
];

// Interaction tokens ride in Discord's webhook and callback URLs, which library errors carry.
const tokenInPath = /(\/(?:webhooks|interactions)\/\d+\/)[A-Za-z0-9_.-]{20,}/g;
// Slack's response_urls are bearer credentials: https://hooks.slack.com/commands/T…/123/secret.
const responseUrlPath = /(\/(?:commands|actions|response)\/)[A-Za-z0-9_./-]{8,}/g;

// Libraries log request bodies at debug (Slack's WebClient: `{"client_secret":"…"}` for oauth.v2.access).
const secretField =
  /(["']?\b(?:client_secret|signing_secret|state_secret|secrets_key|access_token|refresh_token|bot_token|app_token|token|password|clientSecret|signingSecret|botToken|apiToken|interactionToken)["']?\s*[:=]\s*["']?)(?!\[redacted\])[^\s"'&,;}]+/gi;
// An Authorization header's value, whatever the token looks like.
const authorizationValue = /\b(Bearer|Bot|Basic)\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{16,}/g;

/** Replaces anything that looks like a credential in free text (error messages, URLs, request bodies). */
export function scrubSecrets(text: string): string {
  let out = text
    .replace(tokenInPath, "$1[redacted]")
    .replace(responseUrlPath, "$1[redacted]")
    .replace(secretField, "$1[redacted]")
    .replace(authorizationValue, "$1 [redacted]");
  for (const pattern of secretPatterns) {
    out = out.replace(pattern, (match, prefix?: string) =>
      typeof prefix === "string" && match.startsWith("//") ? `${prefix}***@` : "[redacted]",
    );
  }
  return out;
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  name: string;
  level?: string;
  /** Where lines go; defaults to stdout. */
  destination?: NodeJS.WritableStream;
}

/**
 * Fields of library errors that carry what was sent, not what went wrong: request bodies, and a
 * failed query's parameters (a job's reply target holds an interaction token; prompts are members').
 */
const payloadKeys = new Set(["requestBody", "params", "parameters", "args", "body"]);

/** A serialized error, at every depth (causes included): payloads dropped, every string scrubbed. */
function scrubError(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubSecrets(value);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => scrubError(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (!payloadKeys.has(key)) out[key] = scrubError(field, depth + 1);
  }
  return out;
}

/** A pino logger that redacts credentials by key and by shape. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? "info",
      redact: { paths: redactedPaths, censor: "[redacted]" },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === "string" ? scrubSecrets(arg) : arg));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (err: unknown) => scrubError(pino.stdSerializers.err(err as Error)),
      },
    },
    options.destination ?? process.stdout,
  );
}

export type { Logger };
