import { readdirSync, readFileSync } from "node:fs";

/** One process of an app's group: its pid, what it runs, and its resident memory. */
export interface ProcessMemory {
  pid: number;
  command: string;
  rssMiB: number;
  /** The app's own node process (the one running `src/main.ts` under tsx's loader). */
  isApp: boolean;
}

function parentOf(pid: number): number | null {
  try {
    // The command name (2nd field) may hold spaces and parentheses: read from the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

function rssMiB(pid: number): number {
  try {
    const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kib === undefined ? Number.NaN : Number(kib) / 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * The processes under `rootPid` (npm, sh, tsx's CLI, the app), read from /proc. `npm start` runs
 * `tsx src/main.ts`, whose CLI process starts a second node with the loader: that second node is the
 * app; npm, the shell and the tsx CLI are listed apart, as they are not Replibot's own memory.
 */
export function processTree(rootPid: number): ProcessMemory[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent !== null) parents.set(Number(entry), parent);
  }
  const tree: number[] = [rootPid];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid);
  }
  return tree.map((pid) => {
    let command = "";
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    } catch {
      // Exited meanwhile.
    }
    // tsx's CLI re-runs node with its loader (`--require …/tsx/dist/preflight.cjs --import …/loader.mjs`).
    const isApp = /src\/main\.ts/.test(command) && /--import|--require|--loader/.test(command);
    return { pid, command: command.slice(0, 160), rssMiB: rssMiB(pid), isApp };
  });
}
