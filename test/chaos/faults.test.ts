import { setTimeout as sleep } from "node:timers/promises";
import { getJob } from "@replibot/db";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chaosWindows as windows } from "./chaos-settings.ts";
import { type ChaosStack, startChaosStack } from "./chaos-stack.ts";
import { assertInvariants, expectDeploymentHealthy, waitForAllFinal } from "./invariants.ts";
import { type IssuedCommand, issueCommands } from "./workload.ts";

// Every fault runs against a deployment that has outgrown one process: two workers and two webhook
// processes side by side (fault 8 of the issue is every fault below in that shape).
let stack: ChaosStack;
beforeAll(async () => {
  stack = await startChaosStack(windows, { persistRedis: true });
  await Promise.all([stack.startWorker(), stack.startWorker(), stack.startWebhooks(), stack.startWebhooks()]);
}, 180_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

const timeout = windows.settleMs + windows.outageMs * 4 + 60_000;

/** Waits until at least `count` of the commands' jobs are in one of `statuses`. */
async function whenJobs(commands: IssuedCommand[], statuses: string[], count: number, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = await Promise.all(commands.map((command) => getJob(stack.db, command.jobId)));
    if (jobs.filter((job) => job && statuses.includes(job.status)).length >= count) return;
    if (Date.now() > deadline) throw new Error(`fewer than ${count} jobs reached ${statuses.join("/")}`);
    await sleep(50);
  }
}

/** Ends a fault run: every command settles and the promises hold. */
async function settle(commands: IssuedCommand[]) {
  const jobs = await waitForAllFinal(stack, commands, windows.settleMs).catch((error: Error) => {
    // What the processes said is what tells why a job hung.
    const logs = [...stack.workers, ...stack.webhooks].map(
      (p, i) => `--- process ${i}\n${p.app.output().slice(-12_000)}`,
    );
    throw new Error(`${error.message}\n${logs.join("\n")}`);
  });
  await assertInvariants(stack, commands, jobs);
  await expectDeploymentHealthy(stack);
}

describe("chaos: faults survived, nothing lost, nothing charged twice", () => {
  it(
    "a worker killed (SIGKILL) in the middle of streaming answers",
    async () => {
      const commands = await issueCommands(stack, windows.jobsPerRun);
      await whenJobs(commands, ["running"], 4);
      await sleep(500);
      await stack.kill(stack.workers[0]!);
      await sleep(windows.outageMs);
      // The supervisor (compose, systemd, Kubernetes) starts a new process; nothing else is done by hand.
      await stack.startWorker();
      await settle(commands);
    },
    timeout,
  );

  it(
    "every worker killed between marking a job 'creating' and recording its prediction id",
    async () => {
      // Replicate answers creates slowly, so workers are caught waiting for the prediction's id.
      stack.emulator.control.setLatency(1_500);
      const commands = await issueCommands(stack, windows.jobsPerRun);
      await whenJobs(commands, ["creating"], 2);
      for (const worker of stack.workers.filter(
        (w) => w.app.child.exitCode === null && w.app.child.signalCode === null,
      )) {
        await stack.kill(worker);
      }
      stack.emulator.control.setLatency(0);
      await sleep(windows.outageMs);
      await Promise.all([stack.startWorker(), stack.startWorker()]);
      await settle(commands);
    },
    timeout,
  );

  it(
    "Redis restarts while jobs are queued and running; health says unhealthy meanwhile",
    async () => {
      const commands = await issueCommands(stack, windows.jobsPerRun);
      await whenJobs(commands, ["running"], 3);
      await stack.redis.stop();
      const health = await stack.health(stack.webhooks.at(-1)!);
      expect(health.status).toBe(503);
      expect(health.body).toContain('"redis":"down"');
      await sleep(windows.outageMs);
      await stack.redis.start();
      await settle(commands);
    },
    timeout,
  );

  it(
    "Postgres restarts while jobs are completing; health says unhealthy meanwhile",
    async () => {
      const commands = await issueCommands(stack, windows.jobsPerRun);
      await whenJobs(commands, ["succeeded"], 2, 60_000);
      await stack.postgres.stop();
      const health = await stack.health(stack.webhooks.at(-1)!);
      expect(health.status).toBe(503);
      expect(health.body).toContain('"database":"down"');
      await sleep(windows.outageMs);
      await stack.postgres.start();
      await settle(commands);
    },
    timeout,
  );

  it(
    "the webhook service down for longer than Replicate's retry window while predictions finish",
    async () => {
      const commands = await issueCommands(stack, windows.jobsPerRun);
      await whenJobs(commands, ["running"], 2);
      for (const process of [...stack.webhooks]) {
        if (process.app.child.exitCode === null && process.app.child.signalCode === null)
          await stack.kill(process);
      }
      const retryWindowMs = windows.webhookRetryScheduleMs.reduce((sum, ms) => sum + ms, 0);
      await sleep(Math.max(windows.outageMs, retryWindowMs + 1_000));
      await Promise.all([stack.startWebhooks(), stack.startWebhooks()]);
      await settle(commands);
    },
    timeout,
  );

  it(
    "Replicate answers 500s and 429s for a while, then is unreachable for a while",
    async () => {
      stack.emulator.control.failRequests({ status: 500, count: 8 });
      const first = await issueCommands(stack, windows.jobsPerRun / 2);
      await sleep(windows.outageMs / 2);
      stack.emulator.control.clearRequestFaults();
      stack.emulator.control.failRequests({ status: 429, count: 8 });
      const second = await issueCommands(stack, windows.jobsPerRun / 2);
      await sleep(windows.outageMs / 2);
      stack.emulator.control.clearRequestFaults();
      stack.replicateProxy.cut();
      const third = await issueCommands(stack, windows.jobsPerRun / 2);
      await sleep(windows.outageMs);
      stack.replicateProxy.restore();
      await settle([...first, ...second, ...third]);
    },
    timeout,
  );

  it(
    "Discord and Slack answer 500s and 429s for a while",
    async () => {
      // Slack's faults are per method: chat.update and chat.postMessage carry every answer.
      const slackFaults = (status: number, headers: Record<string, string>, body: unknown) => {
        for (let i = 0; i < 3; i++) {
          for (const method of ["chat.update", "chat.postMessage"])
            stack.slackFake.failNext({ method, status, headers, body });
        }
      };
      stack.discordFake.failNext({ method: "PATCH", status: 500, times: 6 });
      slackFaults(500, {}, { ok: false, error: "internal_error" });
      const commands = await issueCommands(stack, windows.jobsPerRun);
      await sleep(windows.outageMs / 2);
      stack.discordFake.failNext({
        method: "PATCH",
        status: 429,
        times: 6,
        headers: { "retry-after": "1", "x-ratelimit-scope": "user" },
        body: { message: "You are being rate limited.", retry_after: 1, global: false },
      });
      slackFaults(429, { "retry-after": "1" }, { ok: false, error: "ratelimited" });
      await settle(commands);
    },
    timeout,
  );

  it(
    "webhooks duplicated, re-sent with new ids, reordered, forged, and late by hours",
    async () => {
      stack.emulator.control.duplicateNextWebhooks(6);
      stack.emulator.control.reorderNextWebhooks(4);
      const commands = await issueCommands(stack, windows.jobsPerRun);
      // Forged: a body that claims a prediction, signed with the wrong secret.
      const forged = await fetch(
        `${stack.webhooksProxy.url}/webhooks/replicate?job=${encodeURIComponent(commands[0]!.jobId)}`,
        {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "webhook-id": "msg_forged",
            "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
            "webhook-signature": "v1,bm90IGEgc2lnbmF0dXJl",
          },
          body: JSON.stringify({ id: "forged", status: "succeeded", output: ["free money"] }),
        },
      );
      expect(forged.status).toBe(401);
      await whenJobs(commands, ["succeeded"], 4, 60_000);
      // Re-sent with new ids: each finished prediction's webhook again, freshly signed, as a retry would be.
      const signer = new Webhook(stack.emulator.webhookSecret);
      let resentCount = 0;
      for (const command of commands) {
        if (resentCount >= 6) break;
        const job = await getJob(stack.db, command.jobId);
        const prediction = job?.predictionId
          ? stack.emulator.control.prediction(job.predictionId)?.prediction
          : undefined;
        if (prediction?.status !== "succeeded") continue;
        resentCount++;
        const body = JSON.stringify(prediction);
        const id = `msg_resent_${job!.id}`;
        const timestamp = new Date();
        const resent = await fetch(
          `${stack.webhooksProxy.url}/webhooks/replicate?job=${encodeURIComponent(job!.id)}`,
          {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "webhook-id": id,
              "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
              "webhook-signature": signer.sign(id, timestamp, body),
            },
            body,
          },
        );
        expect(resent.status).toBeLessThan(300);
      }
      expect(resentCount).toBeGreaterThan(0);
      // Late by hours: the emulator's clock jumps, so the rest of its webhooks are signed hours ahead
      // and refused; the reconciler completes those jobs from Replicate's own answer.
      const late = await issueCommands(stack, windows.jobsPerRun / 2);
      stack.emulator.control.advanceClock(3 * 3_600_000);
      await settle([...commands, ...late]);
    },
    timeout,
  );
});
