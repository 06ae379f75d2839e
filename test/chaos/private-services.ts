import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A free loopback port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function answers(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: "ignore", timeout: 2_000 });
    return true;
  } catch {
    return false;
  }
}

/** A Redis server of the suite's own, on a spare port, that tests may stop and restart. */
export interface PrivateRedis {
  url: string;
  /** Stops it (SIGTERM: with `persist` it writes its data first) and starts it again on the same port. */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts `redis-server` on a spare port. With `persist` it keeps an append-only file in a private
 * folder (what comes back after a restart is what was there); without, a restart loses everything.
 */
export async function startPrivateRedis(options: { persist: boolean }): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "replibot-chaos-redis-"));
  let child: ChildProcess | undefined;
  const ping = () => answers("redis-cli", ["-p", String(port), "ping"]);
  const start = async () => {
    child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--dir",
        dir,
        "--appendonly",
        options.persist ? "yes" : "no",
        "--appendfsync",
        "always",
      ],
      { stdio: "ignore" },
    );
    await until(ping, 10_000, `redis on ${port}`);
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart(restartOptions = {}) {
      await stop();
      await new Promise((resolve) => setTimeout(resolve, restartOptions.downMs ?? 0));
      await start();
    },
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Postgres cluster of the suite's own, on a spare port, that tests may restart. */
export interface PrivatePostgres {
  /** A database URL in this cluster (the database is created by `migrate`). */
  url(database: string): string;
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The installed Postgres's programs (Debian keeps them under /usr/lib/postgresql/<version>/bin). */
function postgresBin(program: string): string {
  const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  return `/usr/lib/postgresql/${versions[0]}/bin/${program}`;
}

/** Runs a Postgres program as the `postgres` user: Postgres refuses to run as root. */
function asPostgres(program: string, args: string[]) {
  const command = process.getuid?.() === 0 ? "runuser" : postgresBin(program);
  const fullArgs = process.getuid?.() === 0 ? ["-u", "postgres", "--", postgresBin(program), ...args] : args;
  execFileSync(command, fullArgs, { stdio: "ignore", timeout: 60_000 });
}

/** `initdb` into a private folder and `pg_ctl start` on a spare port, trusting local connections. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "replibot-chaos-pg-"));
  const data = join(dir, "data");
  if (process.getuid?.() === 0) {
    chownSync(dir, Number(execFileSync("id", ["-u", "postgres"]).toString().trim()), 0);
    chmodSync(dir, 0o700);
  }
  asPostgres("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const ready = () => answers(postgresBin("pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-q"]);
  const start = async () => {
    asPostgres("pg_ctl", [
      "-D",
      data,
      "-l",
      join(dir, "log"),
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      "-w",
      "start",
    ]);
    await until(ready, 20_000, `postgres on ${port}`);
  };
  const stop = async () => {
    try {
      asPostgres("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
    } catch {
      // Already stopped.
    }
  };
  await start();
  return {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async restart(options = {}) {
      await stop();
      await new Promise((resolve) => setTimeout(resolve, options.downMs ?? 0));
      await start();
    },
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
