import { createReplyWriter, type ReplyWriter } from "@replibot/chat";
import { AppError, ReplyTarget } from "@replibot/core";
import { getJob, type JobRow, updateJobReply } from "@replibot/db";
import type { WorkerDeps } from "./deps.ts";

export { cancelButton } from "@replibot/chat";

/** A reply writer for a job's messages on its platform, persisting what it learns in the job row. */
export function replyWriterFor(deps: WorkerDeps, job: JobRow): ReplyWriter {
  const target = ReplyTarget.parse(job.replyTarget);
  const platform = deps.platforms[target.platform];
  if (!platform) throw new AppError("internal", `this worker cannot write to ${target.platform}`);
  return createReplyWriter({
    platform,
    governor: deps.governor,
    key: job.id,
    state: { target, continuationIds: job.replyMessageIds },
    persist: (state) =>
      updateJobReply(deps.db, job.id, { replyTarget: state.target, replyMessageIds: state.continuationIds }),
    async load() {
      const fresh = await getJob(deps.db, job.id);
      if (!fresh) throw new AppError("not_found", `job ${job.id} disappeared`);
      return { target: ReplyTarget.parse(fresh.replyTarget), continuationIds: fresh.replyMessageIds };
    },
  });
}
