import { createLogger } from "@replibot/core";
import { parseCliArgs, usage } from "./cli-args.ts";
import { createEmulator } from "./create-emulator.ts";

// Foreground entry point for `npm run emulator -- --port 8790 …`; exits 2 on bad flags.
const parsed = parseCliArgs(process.argv.slice(2));
if (parsed.ok === "help") {
  process.stdout.write(`${usage}\n`);
} else if (!parsed.ok) {
  process.stderr.write(`emulator: ${parsed.message}\n`);
  process.exitCode = 2;
} else {
  const logger = createLogger({ name: "emulator", level: "warn", destination: process.stderr });
  const emulator = await createEmulator({ ...parsed.options, logger }).catch((error: unknown) => {
    process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
  process.stdout.write(`Replicate emulator listening on ${emulator.baseUrl}\n`);
  const stop = () => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    // A safety net only: close() leaves no handles, so the process normally ends on its own.
    setTimeout(() => process.exit(0), 2_000).unref();
    void emulator.close();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
