import { Writable } from "node:stream";
import { createLogger, type Logger } from "@replibot/core";

/** A production logger (redaction included) at `trace`, keeping every line it writes. */
export interface CapturedLogs {
  logger: Logger;
  /** Each line exactly as it would reach stdout: raw JSON. */
  lines: string[];
}

/** Builds a logger that holds its lines in memory, so a test can read what an operator would. */
export function captureLogs(name: string): CapturedLogs {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ name, level: "trace", destination }), lines };
}
