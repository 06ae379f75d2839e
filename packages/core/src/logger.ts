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
        err: (err: unknown) => {
          const serialized = pino.stdSerializers.err(err as Error);
          // Every string field: library errors carry request URLs (`url`) next to the message.
          for (const [key, value] of Object.entries(serialized)) {
            if (typeof value === "string") (serialized as Record<string, unknown>)[key] = scrubSecrets(value);
          }
          // Request bodies can hold anything a member typed; the error's message says what went wrong.
          delete (serialized as Record<string, unknown>).requestBody;
          return serialized;
        },
      },
    },
    options.destination ?? process.stdout,
  );
}

export type { Logger };
