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
];

const secretPatterns: RegExp[] = [
  /r8_[A-Za-z0-9]{8,}/g, // Replicate tokens
  /whsec_[A-Za-z0-9+/=]{8,}/g, // webhook secrets
  /xox[abposr]-[A-Za-z0-9-]{8,}/g, // Slack tokens
  /xapp-[A-Za-z0-9-]{8,}/g, // Slack app tokens
  /[MNO][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}/g, // Discord bot tokens
  /(\/\/[^:/@\s]+:)[^@\s]+@/g, // passwords in URLs
];

/** Replaces anything that looks like a credential in free text (error messages, URLs). */
export function scrubSecrets(text: string): string {
  let out = text;
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
          serialized.message = scrubSecrets(serialized.message ?? "");
          if (serialized.stack) serialized.stack = scrubSecrets(serialized.stack);
          return serialized;
        },
      },
    },
    options.destination ?? process.stdout,
  );
}

export type { Logger };
