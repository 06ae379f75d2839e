import { AppError, JobId, type JobName, type JobPayload } from "@replibot/core";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { writeJobPayload } from "./payload-version.ts";
import { DEFAULT_QUEUE_PREFIX, JOBS_QUEUE, type QueueName, queueOf, RELAYS_QUEUE } from "./queue-names.ts";

/** Every job's BullMQ options (the queue benchmark runs raw BullMQ with them too, to split their cost). */
export const JOB_OPTIONS = {
  // A finished job's id stays an hour, so a platform's redelivered event or a repeated completion
  // within it enqueues nothing; past that, Postgres dedupes (job ids, one charge per prediction).
  // Failed ones stay a day for operators to read. Payloads hold ids, never words.
  removeOnComplete: { age: 3_600, count: 10_000 },
  removeOnFail: { age: 86_400 },
  // Handlers are idempotent; a failure (a busy lock, a network blip) is worth a few more tries.
  attempts: 6,
  backoff: { type: "exponential" as const, delay: 500 },
};

/** Options for {@link createProducer}. */
export interface ProducerOptions {
  /** A producer connection from `createRedis({ role: "producer" })`. */
  connection: Redis;
  prefix?: string;
}

/** Per-job options: a stable id, an optional delay and an optional priority. */
export interface EnqueueOptions {
  jobId: string;
  delayMs?: number;
  /** Lower runs first, after every job without one (BullMQ's priority, 1 to 2^21 - 1). */
  priority?: number;
}

/** Typed enqueueing of catalog jobs; payloads are validated and versioned before they leave the process. */
export interface Producer {
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions): Promise<void>;
  /** How many queued runs a worker takes before job `jobId` (0 once a worker has it, or when it is not waiting). */
  waitingAhead(jobId: string): Promise<number>;
  /** Runs job `name` every `everyMs` in whichever worker is free; one schedule however many call it. */
  schedule<N extends JobName>(name: N, payload: JobPayload<N>, everyMs: number): Promise<void>;
  /** How many jobs each queue holds in each state (waiting, prioritized, active, delayed, failed…). */
  counts(): Promise<Record<QueueName, Record<string, number>>>;
  close(): Promise<void>;
}

/** A producer over Replibot's queues (each job goes to {@link queueOf} its name) that fails fast when Redis is down. */
export function createProducer(options: ProducerOptions): Producer {
  const open = new Map<QueueName, Queue>();
  // Opened on first use: the platform apps never enqueue a relay, so they never open that queue.
  const queueNamed = (name: QueueName) => {
    let queue = open.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: options.connection,
        prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
        defaultJobOptions: JOB_OPTIONS,
      });
      queue.on("error", () => {});
      open.set(name, queue);
    }
    return queue;
  };
  const queue = queueNamed(JOBS_QUEUE);
  return {
    async enqueue(name, payload, enqueueOptions) {
      const data = writeJobPayload(name, payload);
      const jobId = JobId.parse(enqueueOptions.jobId);
      try {
        await queueNamed(queueOf(name)).add(name, data, {
          jobId,
          delay: enqueueOptions.delayMs,
          priority: enqueueOptions.priority,
        });
      } catch (error) {
        throw new AppError(
          "redis_unavailable",
          `could not enqueue ${name} job ${jobId}: Redis is not answering`,
          {
            cause: error,
          },
        );
      }
    },
    async waitingAhead(jobId) {
      const job = await queue.getJob(jobId);
      const state = job ? await job.getState() : undefined;
      if (state === "prioritized") {
        // BullMQ keeps prioritized jobs in a sorted set scored by (priority, arrival) and pops its
        // minimum, so the job's rank counts exactly the runs taken before it (getCountsPerPriority
        // counts whole priorities, not the earlier arrivals within the job's own). Jobs without a
        // priority (completions, cancels) go first too, but they take moments: not counted.
        return (await options.connection.zrank(queue.toKey("prioritized"), jobId)) ?? 0;
      }
      // A job without priority joins the end of the wait list: everything waiting came before it.
      if (state === "waiting") return Math.max(0, (await queue.getWaitingCount()) - 1);
      return 0;
    },
    async counts() {
      const names: QueueName[] = [JOBS_QUEUE, RELAYS_QUEUE];
      const counted = await Promise.all(
        names.map((name) =>
          queueNamed(name).getJobCounts("waiting", "prioritized", "active", "delayed", "failed", "completed"),
        ),
      );
      return Object.fromEntries(names.map((name, index) => [name, counted[index] ?? {}])) as Record<
        QueueName,
        Record<string, number>
      >;
    },
    async schedule(name, payload, everyMs) {
      await queue.upsertJobScheduler(
        `every-${name}`,
        { every: everyMs },
        { name, data: writeJobPayload(name, payload) },
      );
    },
    async close() {
      await Promise.all([...open.values()].map((q) => q.close()));
    },
  };
}
