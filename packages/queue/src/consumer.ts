import { isJobName, type JobName, type JobPayload, type Logger } from "@replibot/core";
import { DelayedError, type Job, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { type PayloadReader, payloadReaders, readJobPayload } from "./payload-version.ts";
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

/** A job a newer release wrote, left for a worker that reads its version. */
export interface DeferredJob {
  name: string;
  queueJobId: string;
  version: number;
  delayMs: number;
}

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
  /** Says once per job that a newer release's payload was left for another worker. */
  logger?: Logger;
  /** Called each time a newer release's job is put back (for a counter). */
  onDeferred?: (job: DeferredJob) => void;
  /** The payload versions this consumer reads; this release's {@link payloadReaders} unless given (tests). */
  payloadReaders?: Readonly<Record<number, PayloadReader>>;
}

/** A running consumer of one queue. */
export interface Consumer {
  worker: Worker;
  /** Stops taking work; waits for running handlers unless `force`. */
  close(force?: boolean): Promise<void>;
}

/**
 * How long a job of an unknown payload version waits before a worker looks again: short while a
 * rolling deploy is under way (a worker of the new release should take it next), growing with each
 * pick-up so a stray job costs next to nothing, at most 30 s.
 */
export function deferDelayMs(attemptsStarted: number): number {
  return Math.min(1_000 * 2 ** Math.min(Math.max(attemptsStarted - 1, 0), 5), 30_000);
}

/** How many deferred job ids a consumer remembers, so each is logged once rather than at every pick-up. */
const MAX_REMEMBERED = 10_000;

/**
 * Starts a BullMQ worker that reads each payload by its version, validates it against the catalog and
 * runs its handler. A payload of a version this release does not know (a newer release's, during a
 * rolling deploy) is moved back to the delayed set without using an attempt: BullMQ's
 * `job.moveToDelayed(…)` (skipAttempt) then `DelayedError`, which the worker treats as neither failed
 * nor completed. So it is neither lost nor failed; a worker that knows it takes it later.
 */
export function createConsumer(options: ConsumerOptions): Consumer {
  const controller = new AbortController();
  const deferred = new Set<string>();
  const readers = options.payloadReaders ?? payloadReaders;
  const worker = new Worker(
    options.queue ?? JOBS_QUEUE,
    async (job: Job, token?: string) => {
      if (!isJobName(job.name)) throw new UnrecoverableError(`unknown job name: ${job.name}`);
      const handler = options.handlers[job.name] as
        | ((payload: unknown, context: HandlerContext) => Promise<void>)
        | undefined;
      if (!handler) throw new UnrecoverableError(`no handler for ${job.name} jobs in this process`);
      const read = readJobPayload(job.name, job.data, readers);
      if (!read.ok && read.reason === "unknown_version") {
        const queueJobId = job.id ?? "";
        const delayMs = deferDelayMs(job.attemptsStarted);
        await job.moveToDelayed(Date.now() + delayMs, token);
        options.onDeferred?.({ name: job.name, queueJobId, version: read.version, delayMs });
        if (!deferred.has(queueJobId)) {
          if (deferred.size >= MAX_REMEMBERED) deferred.clear();
          deferred.add(queueJobId);
          const data = job.data as { jobId?: unknown; predictionId?: unknown };
          options.logger?.warn(
            {
              queueJobId,
              job: job.name,
              payloadVersion: read.version,
              ...(typeof data.jobId === "string" ? { jobId: data.jobId } : {}),
              ...(typeof data.predictionId === "string" ? { predictionId: data.predictionId } : {}),
            },
            `${job.name} job of payload version ${read.version}, newer than this release reads: left for a worker that reads it`,
          );
        }
        throw new DelayedError();
      }
      if (!read.ok) throw new UnrecoverableError(read.message);
      await handler(read.payload, {
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
