import { answerDrivers } from "../lib/answer-drivers.ts";
import { startAppStack } from "../lib/app-stack.ts";
import { governorLoad } from "../lib/governor-load.ts";
import { sleep } from "../lib/load.ts";
import { processTree } from "../lib/proc-memory.ts";
import type { Benchmark, BenchResult, Row, TargetCheck } from "../lib/result.ts";

/** RSS of an app's own node process and of the rest of its group (npm, sh, tsx's CLI), MiB. */
function sample(rootPid: number) {
  const tree = processTree(rootPid);
  const app = tree.filter((p) => p.isApp).reduce((sum, p) => sum + p.rssMiB, 0);
  const others = tree.filter((p) => !p.isApp);
  return { app, others, found: tree.some((p) => p.isApp) };
}

export const memoryBenchmark: Benchmark = {
  name: "memory",
  measures:
    "resident memory of each app's own node process (npm, sh and tsx's CLI listed apart), idle and at the peak of a governor load (20 streams on Discord and 20 on Slack, 5 channels each)",
  async run(context): Promise<BenchResult> {
    const stack = await startAppStack({
      databaseUrl: await context.createDatabase("memory"),
      redisUrl: context.redisUrl,
      workers: 2,
      webhooks: true,
      discord: true,
      slack: true,
      channels: 5,
      emulator: { tokensPerSecond: 20, coldStartMs: 0 },
    });
    try {
      await sleep(5_000);
      const pids = new Map([...stack.apps].map(([name, app]) => [name, app.child.pid!]));
      const idle = new Map([...pids].map(([name, pid]) => [name, sample(pid)]));
      const peak = new Map([...pids].map(([name]) => [name, 0]));
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          for (const [name, pid] of pids) peak.set(name, Math.max(peak.get(name)!, sample(pid).app));
          await sleep(1_000);
        }
      })();
      const durationMs = context.smoke ? 15_000 : 60_000;
      context.log(`idle sampled; ${durationMs / 1000} s of governor load`);
      // Both platforms at once, so the Discord and Slack apps (and the workers) meet their peak.
      await Promise.all(
        answerDrivers(stack, { discord: true, slack: true }).map((driver) =>
          governorLoad(driver, { streams: 20, durationMs, words: 200, tokensPerSecond: 20 }),
        ),
      );
      sampling = false;
      await sampler;
      const rows: Row[] = [];
      const targets: TargetCheck[] = [];
      const notes: string[] = [];
      for (const [name, idleSample] of idle) {
        const peakMiB = peak.get(name)!;
        rows.push({ figure: `${name}: app process idle`, unit: "MiB", value: idleSample.app });
        rows.push({ figure: `${name}: app process peak under load`, unit: "MiB", value: peakMiB });
        if (!idleSample.found) notes.push(`${name}: no app node process found under pid ${pids.get(name)}`);
        notes.push(
          `${name} launcher processes (not counted): ${idleSample.others.map((p) => `${p.command.split(" ").slice(0, 2).join(" ")} ${p.rssMiB.toFixed(0)} MiB`).join("; ")}`,
        );
        targets.push({
          target: `${name} < 150 MB idle`,
          measured: `${(idleSample.app * 1.048576).toFixed(0)} MB (${idleSample.app.toFixed(0)} MiB)`,
          held: idleSample.app * 1.048576 < 150,
        });
        targets.push({
          target: `${name} < 250 MB under load`,
          measured: `${(peakMiB * 1.048576).toFixed(0)} MB (${peakMiB.toFixed(0)} MiB)`,
          held: peakMiB * 1.048576 < 250,
        });
      }
      return { rows, targets, notes };
    } finally {
      await stack.close();
    }
  },
};
