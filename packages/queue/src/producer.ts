import { AppError, JobId, type JobName, type JobPayload, parseJobPayload } from "@replibot/core";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { DEFAULT_QUEUE_PREFIX, JOBS_QUEUE } from "./queue-names.ts";

/** Options for {@link createProducer}. */
export interface ProducerOptions {
  /** A producer connection from `createRedis({ role: "producer" })`. */
  connection: Redis;
  prefix?: string;
}

/** Per-job options: a stable id, and an optional delay. */
export interface EnqueueOptions {
  jobId: string;
  delayMs?: number;
  /** Lower runs first; BullMQ's priority. */
  priority?: number;
}

/** Typed enqueueing of catalog jobs; payloads are validated before they leave the process. */
export interface Producer {
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions): Promise<void>;
  /** How many jobs wait ahead of `jobId` (0 once a worker has taken it, or when it is not waiting). */
  waitingAhead(jobId: string): Promise<number>;
  /** Runs job `name` every `everyMs` in whichever worker is free; one schedule however many call it. */
  schedule<N extends JobName>(name: N, payload: JobPayload<N>, everyMs: number): Promise<void>;
  close(): Promise<void>;
}

/** A producer over the jobs queue that fails fast when Redis is down. */
export function createProducer(options: ProducerOptions): Producer {
  const queue = new Queue(JOBS_QUEUE, {
    connection: options.connection,
    prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
    defaultJobOptions: {
      removeOnComplete: { age: 3_600, count: 10_000 },
      removeOnFail: { age: 86_400 },
      // Handlers are idempotent; a failure (a busy lock, a network blip) is worth a few more tries.
      attempts: 6,
      backoff: { type: "exponential", delay: 500 },
    },
  });
  queue.on("error", () => {});
  return {
    async enqueue(name, payload, enqueueOptions) {
      const data = parseJobPayload(name, payload);
      const jobId = JobId.parse(enqueueOptions.jobId);
      try {
        await queue.add(name, data, {
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
      if (!job || (await job.getState()) !== "waiting") return 0;
      // New jobs join the end of the wait list: everything waiting now came before this one.
      return Math.max(0, (await queue.getWaitingCount()) - 1);
    },
    async schedule(name, payload, everyMs) {
      await queue.upsertJobScheduler(
        `every-${name}`,
        { every: everyMs },
        { name, data: parseJobPayload(name, payload) },
      );
    },
    close: () => queue.close(),
  };
}
