import { format } from "node:util";
import { type Logger as PinoLogger, scrubSecrets } from "@replibot/core";
import { type Logger, LogLevel } from "@slack/web-api";

/**
 * Bolt's and the Web API client's log lines through our logger, never the console: warnings and
 * errors as such, the rest at debug (both are chatty, and WebClient logs request bodies there),
 * every line scrubbed of anything shaped like a credential.
 */
export function slackLogger(logger: PinoLogger): Logger {
  let level = LogLevel.INFO;
  const line = (parts: unknown[]) => scrubSecrets(format(...parts));
  return {
    debug: (...parts) => logger.debug(line(parts)),
    info: (...parts) => logger.debug(line(parts)),
    warn: (...parts) => logger.warn(line(parts)),
    error: (...parts) => logger.error(line(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
