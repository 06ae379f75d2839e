import { setTimeout as sleep } from "node:timers/promises";
import { getJob } from "@replibot/db";
import { afterAll, beforeAll, describe, it } from "vitest";
import { chaosWindows as windows } from "./chaos-settings.ts";
import { type ChaosStack, startChaosStack } from "./chaos-stack.ts";
import { assertInvariants, expectDeploymentHealthy, waitForAllFinal } from "./invariants.ts";
import { issueCommands } from "./workload.ts";

// A Redis that keeps nothing on disk: a restart loses every queued job, lock, schedule and dedupe
// key. Postgres is the source of truth, so nothing a member asked for may be lost with it.
let stack: ChaosStack;
beforeAll(async () => {
  stack = await startChaosStack(windows, { persistRedis: false });
  await Promise.all([stack.startWorker(), stack.startWorker(), stack.startWebhooks(), stack.startWebhooks()]);
}, 180_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

describe("chaos: a Redis that loses everything", () => {
  it(
    "restarts empty while jobs are queued and running: every job still ends once, nothing charged twice",
    async () => {
      await stack.startWorker().then((extra) => stack.kill(extra)); // a worker that died long ago changes nothing
      const commands = await issueCommands(stack, windows.jobsPerRun);
      const deadline = Date.now() + 30_000;
      while (
        (await Promise.all(commands.map((c) => getJob(stack.db, c.jobId)))).filter(
          (j) => j?.status === "running",
        ).length < 3
      ) {
        if (Date.now() > deadline) throw new Error("no job started running");
        await sleep(50);
      }
      await stack.redis.restart({ downMs: windows.outageMs });
      const jobs = await waitForAllFinal(stack, commands, windows.settleMs).catch((error: Error) => {
        const logs = stack.workers.map((p, i) => `--- worker ${i}\n${p.app.output().slice(-3_000)}`);
        throw new Error(`${error.message}\n${logs.join("\n")}`);
      });
      await assertInvariants(stack, commands, jobs);
      // And the deployment keeps working afterwards: new commands are answered.
      const after = await issueCommands(stack, 4);
      await assertInvariants(stack, after, await waitForAllFinal(stack, after, windows.settleMs));
      // Heartbeats were lost with Redis: each process says it is alive again within a heartbeat.
      await expectDeploymentHealthy(stack);
    },
    windows.settleMs * 2 + 120_000,
  );
});
