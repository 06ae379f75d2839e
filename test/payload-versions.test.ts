import { budgets, getJob, ledgerEntries } from "@replibot/db";
import { JOBS_QUEUE, PAYLOAD_VERSION_FIELD, payloadReaders, readSharedCounters } from "@replibot/queue";
import { startWorker, type WorkerApp } from "@replibot/worker";
import { Queue } from "bullmq";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";
import { type CapturedLogs, captureLogs } from "./helpers/log-capture.ts";

let stack: DiscordStack;
let logs: CapturedLogs;
let queue: Queue;
beforeAll(async () => {
  logs = captureLogs("replibot");
  stack = await startDiscordStack({ label: "payload-versions", logger: logs.logger });
  queue = new Queue(JOBS_QUEUE, { connection: stack.redis.connect("worker"), prefix: stack.redis.prefix });
});
afterAll(async () => {
  await queue?.close();
  await stack?.close();
});

const jobsConsumer = () => stack.worker.consumers[0]!.worker;

/**
 * Asks with the worker paused, then replaces the run job the Discord app enqueued by one with `data`
 * (same id, priority and retries), as a producer of another release would have written it.
 */
async function askWrittenAs(user: string, prompt: string, data: (jobId: string) => Record<string, unknown>) {
  await jobsConsumer().pause();
  const { interactionId } = stack.ask(user, prompt);
  const jobId = `discord-${interactionId}`;
  const written = await eventually(() => queue.getJob(`run-${jobId}`).then((job) => job ?? undefined));
  await written.remove();
  await queue.add("run", data(jobId), {
    jobId: written.id,
    priority: written.opts.priority,
    attempts: written.opts.attempts,
    backoff: written.opts.backoff,
  });
  return { interactionId, jobId, queueJobId: `run-${jobId}` };
}

async function chargesOf(jobId: string) {
  return stack.database.db.select().from(ledgerEntries).where(eq(ledgerEntries.jobId, jobId));
}

describe("job payload versions during a rolling deploy", () => {
  it("a job the previous release enqueued (no version field) is answered and charged once", async () => {
    const { interactionId, jobId } = await askWrittenAs(
      "olly",
      "Repeat exactly:\nFrom the last release.",
      (id) => ({
        jobId: id,
      }),
    );
    expect((await queue.getJob(`run-${jobId}`))?.data).toEqual({ jobId });
    jobsConsumer().resume();
    const job = await stack.finished(interactionId);
    expect(job.status).toBe("succeeded");
    expect(stack.fake.interactionResponse(interactionId)?.original?.content).toContain(
      "From the last release.",
    );

    // The previous release's completion of the same prediction changes nothing: still one charge.
    const old = await queue.add(
      "complete",
      { jobId, predictionId: job.predictionId, source: "reconciler" },
      { jobId: `complete-${job.predictionId}-previous-release` },
    );
    await eventually(async () => ((await old.getState()) === "completed" ? true : undefined));
    const charges = await chargesOf(jobId);
    expect(charges).toHaveLength(1);
    const [budget] = await stack.database.db.select().from(budgets).where(eq(budgets.tenantId, job.tenantId));
    expect(budget?.spentNanos).toBe(charges[0]!.costNanos);
  });

  it("a newer release's job is neither lost nor failed: put back with its attempts until a worker that reads it runs", async () => {
    const newer = 99;
    const { interactionId, jobId, queueJobId } = await askWrittenAs(
      "nora",
      "Repeat exactly:\nFrom the next release.",
      // The next release renamed the field: only a worker that knows version 99 can read it.
      (id) => ({ job: { id }, [PAYLOAD_VERSION_FIELD]: newer }),
    );
    jobsConsumer().resume();
    // This release's worker picks it up and puts it back, again and again, never using an attempt.
    const twice = await eventually(async () => {
      const job = await queue.getJob(queueJobId);
      return job && job.attemptsStarted >= 2 && (await job.getState()) === "delayed" ? job : undefined;
    }, 20_000);
    expect(twice.attemptsMade).toBe(0);
    expect(twice.opts.attempts).toBe(6);
    expect(await queue.getFailedCount()).toBe(0);
    expect((await getJob(stack.database.db, jobId))?.status).toBe("queued");
    const warned = logs.lines.filter(
      (line) => line.includes(queueJobId) && line.includes('"payloadVersion":99'),
    );
    expect(warned).toHaveLength(1);
    // Its fields are the next release's to define: the line names the queue job, whose id holds the job's.
    expect(JSON.parse(warned[0]!)).toMatchObject({
      level: 40,
      queueJobId,
      job: "run",
      payloadVersion: newer,
    });
    await stack.worker.deps.counters.flush();
    const counted = await readSharedCounters(stack.worker.deps.redis, stack.redis.prefix);
    expect(
      counted.find((c) => c.name === "payload_deferred" && c.labels.version === "99")?.value,
    ).toBeGreaterThan(0);

    // A worker of the next release joins; the job is answered and charged once.
    let next: WorkerApp | undefined;
    try {
      next = await startWorker({
        env: {
          DATABASE_URL: stack.database.url,
          REDIS_URL: stack.redis.url,
          PUBLIC_URL: stack.webhooks.url,
          MODELS_FILE: undefined,
          DEFAULT_TENANT_LIMIT_USD: 5_000_000_000n,
          DISCORD_TOKEN: stack.fake.botToken,
          DISCORD_API_BASE_URL: stack.fake.apiUrl,
        },
        logger: logs.logger,
        replicate: { baseUrl: stack.emulator.baseUrl, token: "r8_test" },
        catalog: stack.catalog,
        prefix: stack.redis.prefix,
        config: { interimIntervalMs: 250, reconcileEveryMs: 500, staleAfterMs: 1_500 },
        payloadReaders: {
          ...payloadReaders,
          [newer]: (_name, fields) => ({ jobId: (fields.job as { id: string }).id }),
        },
      });
      // The rolling deploy goes on: this release's worker stops taking jobs, as it would once rolled.
      await jobsConsumer().pause();
      const job = await stack.finished(interactionId, 60_000);
      expect(job.status).toBe("succeeded");
      expect(stack.fake.interactionResponse(interactionId)?.original?.content).toContain(
        "From the next release.",
      );
      expect(await chargesOf(jobId)).toHaveLength(1);
      expect(await queue.getFailedCount()).toBe(0);
    } finally {
      await next?.close();
    }
  });
});
