import { isAppError } from "./app-error.ts";
import { scrubSecrets } from "./logger.ts";

/**
 * Runs a process entry point; a failure to start becomes one line on stderr, `<name>: <reason>`,
 * with no secret in it, and exit code 1.
 */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message = isAppError(error)
      ? error.message
      : error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`${name}: ${scrubSecrets(message).replaceAll("\n", " ")}\n`);
    process.exit(1);
  });
}
