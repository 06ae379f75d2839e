import { cancelButton, showQueuedNotice } from "@replibot/chat";
import {
  type JobKind,
  jobIdFromEvent,
  SLACK_PENDING_TS,
  SLACK_RESPONSE_TS,
  type SlackReplyTarget,
} from "@replibot/core";
import {
  enqueueRun,
  insertJob,
  markFinalWritten,
  transitionJob,
  updateJobReply,
  upsertTenant,
} from "@replibot/db";
import type { WebClient } from "@slack/web-api";
import type { SlackAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";

/** What a job is, before it has a row. */
export interface JobRequest {
  kind: JobKind;
  model: string;
  input: Record<string, unknown>;
  parentJobId?: string;
  /** The line above the answer, e.g. the question, so the channel sees what was asked. */
  heading?: string;
  /** The conversation a follow-up continues (an `/ask` or a mention starts its own). */
  conversationId?: string;
  /** What the placeholder says until the worker writes ("Thinking…" by default). */
  placeholder?: string;
}

/** Where a command or button press happened, and how to answer its member privately. */
export interface SlackOrigin {
  teamId: string;
  teamName?: string;
  channelId: string;
  userId: string;
  /** Slack's id of this command, click or message: the job's id, so a replay queues nothing. */
  triggerId: string;
  /** A command's or click's response_url; a message event has none. */
  responseUrl?: string;
  /** The thread the answer goes in (a message in a thread, or a mention answered in its thread). */
  threadTs?: string;
  /** The tenant that pays, when not the workspace itself (a DM charged to DM_TENANT). */
  tenantExternalId?: string;
  /** An ephemeral answer to the member. */
  tell(text: string): Promise<void>;
  /** The Web API client of the workspace (Bolt's, for this request). */
  client: WebClient;
}

/** Whether Slack refused a post because the bot cannot write in that channel. */
export function cannotPostHere(error: unknown): boolean {
  const code = (error as { data?: { error?: unknown }; code?: unknown })?.data?.error;
  const text = String(code ?? (error as Error)?.message ?? "");
  return /not_in_channel|channel_not_found/.test(text);
}

/** Whether the tenant may use the bot; refuses ephemerally when not. */
export function tenantAllowed(deps: SlackAppDeps, teamId: string): boolean {
  return !deps.config.allowedTenants || deps.config.allowedTenants.includes(teamId);
}

/**
 * The job path shared by every command and button that becomes a job, run after the request was
 * acked: writes the job row (its id from the trigger id, so a replay queues nothing), posts the
 * placeholder with a Cancel button (or, where the bot may not post, answers through the
 * response_url, or refuses an image), records where the answer goes, and enqueues the job.
 * Never calls Replicate. Returns the job id, or undefined when nothing was queued.
 */
export async function startSlackJob(
  deps: SlackAppDeps,
  origin: SlackOrigin,
  request: JobRequest,
): Promise<string | undefined> {
  const jobId = jobIdFromEvent("slack", origin.triggerId);
  let target: SlackReplyTarget = {
    platform: "slack",
    teamId: origin.teamId,
    channelId: origin.channelId,
    messageTs: SLACK_PENDING_TS,
    userId: origin.userId,
    ...(request.heading ? { heading: request.heading } : {}),
    ...(origin.threadTs ? { threadTs: origin.threadTs } : {}),
  };
  try {
    const payer = origin.tenantExternalId ?? origin.teamId;
    const tenant = await upsertTenant(
      deps.db,
      "slack",
      payer,
      payer === origin.teamId ? origin.teamName : undefined,
    );
    const inserted = await insertJob(deps.db, {
      id: jobId,
      tenantId: tenant.id,
      userId: origin.userId,
      kind: request.kind,
      model: request.model,
      input: request.input,
      parentJobId: request.parentJobId ?? null,
      conversationId: request.conversationId ?? (request.kind === "ask" ? jobId : null),
      replyTarget: target,
    });
    if (!inserted) return undefined;
  } catch (error) {
    deps.logger.error({ err: error, jobId }, "could not write the job");
    await origin.tell(replies.databaseDown).catch(() => {});
    return undefined;
  }

  const placeholder = { text: request.placeholder ?? replies.thinking, buttons: [cancelButton(jobId)] };
  try {
    await deps.governor.acquire(deps.platform.budgets(target, "create"));
    target = (await deps.platform.edit(target, { kind: "reply" }, placeholder)) as SlackReplyTarget;
  } catch (error) {
    if (!cannotPostHere(error)) throw error;
    if (request.kind === "imagine" || !origin.responseUrl) {
      // No upload (or, without a response_url, no answer at all) is possible where the bot is not
      // a member: refuse before anything is charged.
      await transitionJob(deps.db, jobId, ["queued"], "refused", { error: "bot not in channel" });
      await markFinalWritten(deps.db, jobId);
      await origin.tell(request.kind === "imagine" ? replies.cannotPostImage : replies.cannotPostHere);
      return undefined;
    }
    target = { ...target, messageTs: SLACK_RESPONSE_TS, responseUrl: origin.responseUrl };
    await deps.governor.acquire(deps.platform.budgets(target, "edit"));
    target = (await deps.platform.edit(
      target,
      { kind: "reply" },
      { ...placeholder, text: `${placeholder.text}\n\n_${replies.notInChannel}_` },
    )) as SlackReplyTarget;
  }
  await updateJobReply(deps.db, jobId, { replyTarget: target });

  try {
    await enqueueRun(deps.producer, deps.db, jobId);
    const ahead = await deps.producer.waitingAhead(`run-${jobId}`);
    // Through a response_url every write counts against its 5 uses: no queue notice there.
    if (ahead > 0 && target.messageTs !== SLACK_RESPONSE_TS)
      await showQueuedNotice({ platform: deps.platform, governor: deps.governor, jobId, target, ahead });
  } catch (error) {
    // The row is queued in Postgres: the reconciler enqueues it once Redis answers again.
    deps.logger.warn({ err: error, jobId }, "enqueue failed; the reconciler will retry");
  }
  return jobId;
}
