import { isJobName, type JobName, type JobPayload, jobCatalog } from "@replibot/core";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { DEFAULT_QUEUE_PREFIX, JOBS_QUEUE, type QueueName } from "./queue-names.ts";

/** What a handler gets besides its payload. */
export interface HandlerContext {
  /** BullMQ's job id (the catalog's job id scheme). */
  queueJobId: string;
  attemptsMade: number;
  signal: AbortSignal;
}

/** One async function per catalog job name. */
export type Handlers = {
  [N in JobName]?: (payload: JobPayload<N>, context: HandlerContext) => Promise<void>;
};

/** Options for {@link createConsumer}. */
export interface ConsumerOptions {
  /** A worker connection from `createRedis({ role: "worker" })`. */
  connection: Redis;
  prefix?: string;
  /** The queue to consume; the jobs queue unless given (relays have their own). */
  queue?: QueueName;
  handlers: Handlers;
  concurrency?: number;
  /** How long a job's lock lives without renewal; a dead worker's jobs are retaken after it. */
  lockDurationMs?: number;
  onError?: (error: unknown) => void;
}

/** A running consumer of one queue. */
export interface Consumer {
  worker: Worker;
  /** Stops taking work; waits for running handlers unless `force`. */
  close(force?: boolean): Promise<void>;
}

/** Starts a BullMQ worker that validates each payload against the catalog and runs its handler. */
export function createConsumer(options: ConsumerOptions): Consumer {
  const controller = new AbortController();
  const worker = new Worker(
    options.queue ?? JOBS_QUEUE,
    async (job: Job) => {
      if (!isJobName(job.name)) throw new UnrecoverableError(`unknown job name: ${job.name}`);
      const handler = options.handlers[job.name] as
        | ((payload: unknown, context: HandlerContext) => Promise<void>)
        | undefined;
      if (!handler) throw new UnrecoverableError(`no handler for ${job.name} jobs in this process`);
      const parsed = jobCatalog[job.name].safeParse(job.data);
      if (!parsed.success) {
        throw new UnrecoverableError(`invalid ${job.name} payload: ${parsed.error.issues[0]?.message}`);
      }
      await handler(parsed.data, {
        queueJobId: job.id ?? "",
        attemptsMade: job.attemptsMade,
        signal: controller.signal,
      });
    },
    {
      connection: options.connection,
      prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
      concurrency: options.concurrency ?? 16,
      lockDuration: options.lockDurationMs ?? 30_000,
      // A dead worker's jobs are looked for as often as its locks can expire.
      stalledInterval: options.lockDurationMs ?? 30_000,
      autorun: true,
    },
  );
  worker.on("error", (error) => options.onError?.(error));
  return {
    worker,
    async close(force = false) {
      controller.abort();
      await worker.close(force);
    },
  };
}
