import { readdirSync, readFileSync } from "node:fs";
import { processTree } from "./proc-memory.ts";

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS = 100;

/** The machine's CPU time so far, busy and in all, in seconds summed over every core (/proc/stat). */
export function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((sum, n) => sum + n, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: (total - idle) / TICKS, total: total / TICKS };
}

/** CPU seconds (user + system) an app's own node process has used so far (0 when not found). */
export function appCpuSeconds(rootPid: number): number {
  const app = processTree(rootPid).find((p) => p.isApp);
  if (!app) return 0;
  try {
    const stat = readFileSync(`/proc/${app.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** CPU seconds of every process whose command line matches `pattern` (postgres, redis-server…). */
export function commandCpuSeconds(pattern: RegExp): number {
  let sum = 0;
  for (const entry of listPids()) {
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
      if (!pattern.test(command)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      sum += (Number(fields[11]) + Number(fields[12])) / TICKS;
    } catch {
      // Exited meanwhile.
    }
  }
  return sum;
}

function listPids(): string[] {
  return readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
}

/**
 * Where the CPU went between two readings: the machine's busy share of all its cores, and each
 * named part's share of one core (1.0 = a whole core).
 */
export function cpuSplit(
  parts: Record<string, () => number>,
): () => { machineBusy: number; perPart: Record<string, number> } {
  const machine0 = machineCpu();
  const start = Object.fromEntries(Object.entries(parts).map(([name, read]) => [name, read()]));
  const wall0 = performance.now();
  return () => {
    const machine1 = machineCpu();
    const wallS = (performance.now() - wall0) / 1000;
    const perPart = Object.fromEntries(
      Object.entries(parts).map(([name, read]) => [name, (read() - (start[name] ?? 0)) / wallS]),
    );
    return { machineBusy: (machine1.busy - machine0.busy) / (machine1.total - machine0.total), perPart };
  };
}
