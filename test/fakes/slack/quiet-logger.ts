import { type Logger, LogLevel } from "@slack/bolt";

/** A Bolt logger that keeps test output quiet but remembers what was logged. */
export function quietLogger(lines: string[] = []): Logger {
  const push = (...message: unknown[]) => {
    lines.push(message.map(String).join(" "));
  };
  return {
    debug: push,
    info: push,
    warn: push,
    error: push,
    setLevel: () => {},
    getLevel: () => LogLevel.DEBUG,
    setName: () => {},
  };
}
