import type { Logger } from "@replibot/core";

/** What names a job in a log line: its id, and its prediction's once one exists. */
export interface JobLogIds {
  id: string;
  predictionId?: string | null;
}

/**
 * The logger for lines about one job: every line carries `jobId`, and `predictionId` once the
 * prediction is known, so `npm run job -- <id>` and a search for either id find the whole story.
 */
export function jobLog(logger: Logger, job: JobLogIds): Logger {
  return logger.child(
    job.predictionId ? { jobId: job.id, predictionId: job.predictionId } : { jobId: job.id },
  );
}

/** The ids a queue job's payload names (`jobId`, `predictionId`), for lines about a BullMQ job. */
export function payloadIds(data: unknown): { jobId?: string; predictionId?: string } {
  const { jobId, predictionId } = (typeof data === "object" && data !== null ? data : {}) as Record<
    string,
    unknown
  >;
  return {
    ...(typeof jobId === "string" ? { jobId } : {}),
    ...(typeof predictionId === "string" ? { predictionId } : {}),
  };
}
