import {
  defaultModelFor,
  type JobKind,
  jobIdFromEvent,
  readTenantPolicy,
  type TenantPolicy,
} from "@replibot/core";
import { enqueueRun, insertJob, type TenantRow, upsertTenant } from "@replibot/db";
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  PermissionFlagsBits,
} from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { tenantOf } from "../tenant-of.ts";
import { channelIsNsfw, gateRefusal, policyChannelId, roleIdsOf } from "./gate.ts";

/** An interaction token works for 15 minutes after the interaction. */
const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;

/**
 * Starts a thread on an answer (the admin chose threads): messages in it continue the answer's
 * conversation, since the thread's id is the answer message's. A failure (no permission, a thread
 * already) leaves the answer in the channel, where replies still work.
 */
export async function openAnswerThread(
  deps: DiscordAppDeps,
  answer: Message,
  question: unknown,
): Promise<void> {
  if (!answer.inGuild() || answer.channel.isThread()) return;
  const name =
    String(question ?? "Replibot")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 90) || "Replibot";
  await answer.startThread({ name, autoArchiveDuration: 1440 }).catch((error: unknown) => {
    deps.logger.warn({ err: error, messageId: answer.id }, "could not open a thread on the answer");
  });
}

/** What a job is, before it has a row. */
export interface JobRequest {
  kind: JobKind;
  model: string;
  input: Record<string, unknown>;
  parentJobId?: string;
  /** The member named the model; otherwise the tenant's allowed models may choose another default. */
  explicitModel?: boolean;
}

/** The request as the tenant's policy shapes it: its default model, and image safety in NSFW channels. */
function underPolicy(
  request: JobRequest,
  policy: TenantPolicy,
  channel: Interaction["channel"],
): { model: string; input: Record<string, unknown> } {
  const model = request.explicitModel ? request.model : defaultModelFor(policy, request.kind, request.model);
  const input = { ...request.input, ...(request.input.model === undefined ? {} : { model }) };
  if (request.kind !== "imagine") return { model, input };
  // The safety checker stays on unless the channel is age-restricted and an admin allowed it off.
  const off = policy.imageSafetyOffInNsfw && channelIsNsfw(channel);
  return { model, input: { ...input, safetyCheckerOff: off } };
}

/**
 * The ack path shared by every command that becomes a job: refuses a DM or a tenant not allowed,
 * and whatever the tenant's policy or the abuse limits refuse (ephemerally, nothing written);
 * then defers, writes the job row with its reply target, and enqueues it. Never calls Replicate.
 * Returns the job id, or undefined when nothing was queued.
 */
export async function startJob(
  deps: DiscordAppDeps,
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  request: JobRequest,
): Promise<string | undefined> {
  const refuse = async (content: string) => {
    await interaction.reply({ content, flags: 64, allowedMentions: { parse: [] } });
    return undefined;
  };
  const tenant = tenantOf(interaction.guildId, deps.config);
  if (!tenant.ok) return refuse(tenant.reply);
  let row: TenantRow;
  let shaped: { model: string; input: Record<string, unknown> };
  try {
    row = await upsertTenant(deps.db, "discord", tenant.guildId, interaction.guild?.name);
    shaped = underPolicy(request, readTenantPolicy(row.policy), interaction.channel);
    const refused = await gateRefusal(deps, {
      tenant: row,
      userId: interaction.user.id,
      kind: request.kind,
      channelId: policyChannelId(interaction.channel, interaction.channelId ?? ""),
      roleIds: roleIdsOf(interaction.member),
      isAdmin: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
      prompt: typeof shaped.input.prompt === "string" ? shaped.input.prompt : undefined,
      modelId: shaped.model,
    });
    if (refused) return refuse(refused);
  } catch (error) {
    deps.logger.error({ err: error, interaction: interaction.id }, "could not check the request");
    return refuse(replies.databaseDown);
  }
  const deferred = await interaction.deferReply({ withResponse: true });
  const jobId = jobIdFromEvent("discord", interaction.id);
  const replyTarget = {
    platform: "discord" as const,
    applicationId: deps.config.applicationId,
    interactionToken: interaction.token,
    channelId: interaction.channelId ?? "",
    messageId: deferred.resource?.message?.id ?? "@original",
    tokenExpiresAtMs: interaction.createdTimestamp + INTERACTION_TOKEN_LIFETIME_MS,
  };
  try {
    if (request.kind === "ask" && row.answerInThreads && deferred.resource?.message) {
      await openAnswerThread(deps, deferred.resource.message, shaped.input.prompt);
    }
    const inserted = await insertJob(deps.db, {
      id: jobId,
      tenantId: row.id,
      userId: interaction.user.id,
      kind: request.kind,
      model: shaped.model,
      input: shaped.input,
      parentJobId: request.parentJobId ?? null,
      replyTarget,
    });
    if (!inserted) return undefined;
  } catch (error) {
    deps.logger.error({ err: error, jobId }, "could not write the job");
    await interaction.editReply({ content: replies.databaseDown, allowedMentions: { parse: [] } });
    return undefined;
  }
  try {
    await enqueueRun(deps.producer, deps.db, jobId);
    const ahead = await deps.producer.waitingAhead(`run-${jobId}`);
    if (ahead > 0) await deps.showQueued?.(jobId, replyTarget, ahead);
  } catch (error) {
    // The row is queued in Postgres: the reconciler enqueues it once Redis answers again.
    deps.logger.warn({ err: error, jobId }, "enqueue failed; the reconciler will retry");
  }
  return jobId;
}
