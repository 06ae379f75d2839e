import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** The repository root, where `npm start` runs. */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** A process started as a user would start it, with its output collected. */
export interface SpawnedApp {
  child: ChildProcess;
  /** Sends a signal to the whole process group. */
  signal(name: NodeJS.Signals): void;
  output(): string;
  stderr(): string;
  /** Resolves when a line matching `pattern` has been printed. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal name) and how long after the call it came. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>;
}

/** Runs `npm <args>` in the repository with extra environment, never inheriting the caller's settings. */
export function spawnNpm(args: string[], env: Record<string, string>): SpawnedApp {
  const child = spawn("npm", args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a signal reaches npm, tsx and node together, as Ctrl-C in a terminal does.
    detached: true,
  });
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    for (const l of listeners) l();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
    for (const l of listeners) l();
  });
  // "close" waits for every process holding the output pipes, so nothing outlives the wait.
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    signal(name) {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    },
    output: () => out + err,
    stderr: () => err,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out + err);
          if (match) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(match[0]);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${out}${err}`));
        }, timeoutMs);
        listeners.add(check);
        void exit.then(() => {
          check();
          if (listeners.has(check)) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`process exited before ${pattern}; output:\n${out}${err}`));
          }
        });
        check();
      });
    },
    async exited() {
      const started = Date.now();
      const result = await exit;
      return { ...result, afterMs: Date.now() - started };
    },
  };
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
