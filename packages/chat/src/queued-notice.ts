import type { ReplyTarget } from "@replibot/core";
import type { ChatPlatform } from "./chat-platform.ts";
import type { EditGovernor } from "./governor/edit-governor.ts";
import { createReplyWriter } from "./reply-writer.ts";

/** The Cancel button of a job: its id names the job row, so it works after every restart. */
export function cancelButton(jobId: string) {
  return { id: `cancel:${jobId}`, label: "Cancel", style: "danger" as const };
}

/**
 * Shows "Queued: N ahead of you" in a job's reply as an interim write, so it is ordered with the
 * worker's writes (a final answer is never overwritten by it) and spends the same budgets.
 */
export async function showQueuedNotice(options: {
  platform: ChatPlatform;
  governor: EditGovernor;
  jobId: string;
  target: ReplyTarget;
  ahead: number;
}): Promise<void> {
  const writer = createReplyWriter({
    platform: options.platform,
    governor: options.governor,
    key: options.jobId,
    state: { target: options.target, continuationIds: [] },
    // The worker owns the job's reply state; an interim notice changes nothing it needs.
    persist: async () => {},
  });
  await writer.interim(
    { text: `Queued: ${options.ahead} ahead of you.`, buttons: [cancelButton(options.jobId)] },
    { cursor: false },
  );
}
