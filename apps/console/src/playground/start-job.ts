import { randomBytes } from "node:crypto";
import {
  type ConsoleFileRef,
  cancelButton,
  limitRefusal,
  newConsoleMessageId,
  refusalText,
  showQueuedNotice,
} from "@replibot/chat";
import {
  type ConsoleReplyTarget,
  defaultModelFor,
  type JobKind,
  jobIdFromEvent,
  policyRefusal,
  readTenantPolicy,
  requestLimitsOf,
} from "@replibot/core";
import { enqueueRun, insertJob, requestLoad, type TenantRow } from "@replibot/db";
import type { ConsoleDeps } from "../deps.ts";
import { playgroundText } from "./command-line.ts";
import { demoTenant } from "./demo-tenant.ts";
import type { Visitor } from "./visitor.ts";

/** The playground's one "channel": channel rules of the demo tenant name it. */
export const PLAYGROUND_CHANNEL = "playground";

/** What a job is, before it has a row, and what the visitor said to ask for it. */
export interface PlaygroundJobRequest {
  kind: JobKind;
  /** The catalog model the command names, or its default. */
  model: string;
  /** Whether the visitor named the model (else the tenant's allowed models may choose another). */
  explicitModel?: boolean;
  input: Record<string, unknown>;
  /** The words sent to the model, checked against the blocklist. */
  prompt?: string;
  /** The visitor's own message, shown above the answer: the command line, or the voice note. */
  said: { text: string; files?: ConsoleFileRef[] };
  /** The answer goes in a thread under the visitor's message (a transcript), not after it. */
  threaded?: boolean;
  placeholder?: string;
  parentJobId?: string;
}

/** The outcome: the job queued, or the refusal's words (nothing written, nothing charged). */
export type PlaygroundJobResult = { ok: true; jobId: string } | { ok: false; reason: string };

/**
 * The demo tenant's policy (channel, model, blocklist: the visitor is its admin, as the operator
 * running the console) and the abuse limits. Returns the refusal's words, or undefined.
 */
async function gateRefusal(
  deps: ConsoleDeps,
  tenant: TenantRow,
  visitor: Visitor,
  request: { kind: JobKind; prompt?: string; modelId?: string },
): Promise<string | undefined> {
  const words = {
    kind: request.kind,
    platform: "console" as const,
    mentions: { channel: (id: string) => `#${id}`, group: (id: string) => `@${id}` },
  };
  const refused = policyRefusal(readTenantPolicy(tenant.policy), {
    kind: request.kind,
    channelId: PLAYGROUND_CHANNEL,
    groupIds: [],
    isAdmin: true,
    prompt: request.prompt,
    modelId: request.modelId,
  });
  if (refused) return refusalText(refused, words);
  const limited = await limitRefusal({
    governor: deps.governor,
    limits: requestLimitsOf(deps.env),
    tenantId: tenant.id,
    userId: visitor.userId,
    load: (cap) => requestLoad(deps.db, tenant.id, visitor.userId, request.kind, cap),
    now: Date.now,
  });
  return limited ? refusalText(limited, words) : undefined;
}

/**
 * The playground's ack path, as the Slack app's: checks the demo tenant's policy and the abuse
 * limits, shows the visitor's message, writes the job row, posts the placeholder with its Cancel
 * button through the console platform, and enqueues the job. Never calls Replicate; the worker
 * admits it against the demo tenant's limit.
 */
export async function startPlaygroundJob(
  deps: ConsoleDeps,
  visitor: Visitor,
  request: PlaygroundJobRequest,
): Promise<PlaygroundJobResult> {
  let tenant: TenantRow;
  try {
    tenant = await demoTenant(deps);
  } catch (error) {
    deps.logger.error({ err: error }, "could not read the demo tenant");
    return { ok: false, reason: playgroundText.databaseDown };
  }
  const policy = readTenantPolicy(tenant.policy);
  const model = request.explicitModel ? request.model : defaultModelFor(policy, request.kind, request.model);
  const refused = await gateRefusal(deps, tenant, visitor, {
    kind: request.kind,
    prompt: request.prompt,
    modelId: model,
  });
  if (refused) return { ok: false, reason: refused };

  const said = await deps.store.write(visitor.conversationId, {
    id: newConsoleMessageId(),
    author: "visitor",
    text: request.said.text,
    buttons: [],
    files: request.said.files ?? [],
  });
  const jobId = jobIdFromEvent("console", randomBytes(12).toString("base64url"));
  const target: ConsoleReplyTarget = {
    platform: "console",
    conversationId: visitor.conversationId,
    messageId: newConsoleMessageId(),
    ...(request.threaded ? { parentMessageId: said.id } : {}),
  };
  try {
    await insertJob(deps.db, {
      id: jobId,
      tenantId: tenant.id,
      userId: visitor.userId,
      kind: request.kind,
      model,
      input: { ...request.input, ...(request.input.model === undefined ? {} : { model }) },
      parentJobId: request.parentJobId ?? null,
      conversationId: request.kind === "ask" ? jobId : null,
      replyTarget: target,
    });
  } catch (error) {
    deps.logger.error({ err: error, jobId }, "could not write the job");
    return { ok: false, reason: playgroundText.databaseDown };
  }
  const placeholder = {
    text: request.placeholder ?? playgroundText.thinking,
    buttons: [cancelButton(jobId)],
  };
  await deps.governor.acquire(deps.platform.budgets(target, "create"));
  await deps.platform.edit(target, { kind: "reply" }, placeholder);
  try {
    await enqueueRun(deps.producer, deps.db, jobId);
    const ahead = await deps.producer.waitingAhead(`run-${jobId}`);
    if (ahead > 0)
      await showQueuedNotice({ platform: deps.platform, governor: deps.governor, jobId, target, ahead });
  } catch (error) {
    // The row is queued in Postgres: the reconciler enqueues it once Redis answers again.
    deps.logger.warn({ err: error, jobId }, "enqueue failed; the reconciler will retry");
  }
  return { ok: true, jobId };
}
