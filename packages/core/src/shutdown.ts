import type { Logger } from "pino";

/** A thing to close on shutdown, with a name for the log. */
export interface Closable {
  name: string;
  close(): Promise<void>;
}

/**
 * On SIGTERM or SIGINT, closes `closables` in order and exits 0; if they take longer than
 * `timeoutMs`, exits 1 anyway, so an orchestrator never waits on us past its own grace period.
 */
export function installShutdown(closables: () => Closable[], logger: Logger, timeoutMs = 9_000): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, "shutdown took too long; exiting anyway");
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    for (const closable of closables()) {
      try {
        await closable.close();
      } catch (error) {
        logger.warn({ err: error, name: closable.name }, "close failed");
      }
    }
    clearTimeout(timer);
    logger.info("stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
