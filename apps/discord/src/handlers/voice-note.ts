import { type DiscordReplyTarget, jobIdFromEvent, policyRefusal, readTenantPolicy } from "@replibot/core";
import { autoTranscribeOn, enqueueRun, insertJob, updateJobReply, upsertTenant } from "@replibot/db";
import { resolveCatalogModel } from "@replibot/replicate";
import {
  type Attachment,
  type Message,
  type MessageCreateOptions,
  MessageFlags,
  PermissionFlagsBits,
} from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { tenantOf } from "../tenant-of.ts";
import { placeholderWithCancel } from "./cancel-button.ts";
import { gateRefusal, roleIdsOf } from "./gate.ts";

/** Names of files the Transcribe menu accepts even when Discord gave no content type. */
const AUDIO_NAME = /\.(ogg|oga|opus|mp3|m4a|wav|webm|flac|aac)$/i;
/** A message with more recordings than this gets the first ones transcribed. */
const MAX_PER_MESSAGE = 3;

/**
 * A message's recordings: every attachment of a voice message, and files Discord marks `audio/*`
 * (and, when `byName`, files named like audio: the member chose them with the Transcribe menu).
 */
export function audioAttachments(message: Message, byName = false): Attachment[] {
  const voice = message.flags.has(MessageFlags.IsVoiceMessage);
  return [...message.attachments.values()]
    .filter(
      (a) =>
        voice || a.contentType?.startsWith("audio/") || (byName && !a.contentType && AUDIO_NAME.test(a.name)),
    )
    .slice(0, MAX_PER_MESSAGE);
}

/** Where a recording's transcript goes: a thread under it, or beside it where no thread can be opened. */
async function transcriptPlace(deps: DiscordAppDeps, message: Message) {
  const beside = {
    replyTo: message.id as string | undefined,
    send: (options: MessageCreateOptions) => message.reply(options),
  };
  if (!message.inGuild() || message.channel.isThread()) return beside;
  const thread =
    message.thread ??
    (await message
      .startThread({ name: "Transcript", autoArchiveDuration: 1440 })
      .catch(async (error: unknown) => {
        // A second recording of the message, or the menu after automatic transcription: the thread
        // exists already, and a thread opened on a message has the message's id.
        const existing = await message.client.channels.fetch(message.id).catch(() => null);
        if (existing?.isThread()) return existing;
        deps.logger.warn({ err: error, messageId: message.id }, "could not open a transcript thread");
        return null;
      }));
  if (!thread) return beside;
  return { replyTo: undefined, send: (options: MessageCreateOptions) => thread.send(options) };
}

/** Who asked for a transcription, and which recording. */
export interface TranscriptionRequest {
  /** The platform event the job's id comes from (the message, or the Transcribe menu's interaction). */
  eventId: string;
  message: Message;
  attachment: Attachment;
  userId: string;
  guildId: string;
}

/**
 * Starts transcribing one recording: writes the job row (its id from the event, so a redelivery
 * queues nothing), posts "Transcribing…" in a thread under the recording, records where the
 * transcript goes and enqueues. The worker downloads and checks the file. Returns the place of
 * the transcript, or undefined when nothing was queued.
 */
export async function startTranscription(
  deps: DiscordAppDeps,
  request: TranscriptionRequest,
): Promise<{ jobId: string; channelId: string } | undefined> {
  const model = resolveCatalogModel(deps.catalog, "transcribe", undefined);
  if (!model.ok) return undefined;
  const { message, attachment } = request;
  const jobId = jobIdFromEvent("discord", request.eventId);
  let target: DiscordReplyTarget = {
    platform: "discord",
    applicationId: deps.config.applicationId,
    channelId: message.channelId,
    messageId: "@original",
    tokenExpiresAtMs: 0,
    replyTo: message.id,
  };
  const tenant = await upsertTenant(deps.db, "discord", request.guildId, message.guild?.name);
  const inserted = await insertJob(deps.db, {
    id: jobId,
    tenantId: tenant.id,
    userId: request.userId,
    kind: "transcribe",
    model: model.model.id,
    input: {
      audioUrl: attachment.url,
      ...(attachment.contentType ? { contentType: attachment.contentType } : {}),
      ...(attachment.duration !== null ? { durationSecs: attachment.duration } : {}),
      sizeBytes: attachment.size,
      filename: attachment.name,
    },
    replyTarget: target,
  });
  if (!inserted) return undefined;
  const place = await transcriptPlace(deps, message);
  const placeholder = await place.send(placeholderWithCancel(replies.transcribing, jobId));
  target = { ...target, channelId: placeholder.channelId, messageId: placeholder.id, replyTo: place.replyTo };
  await updateJobReply(deps.db, jobId, { replyTarget: target });
  try {
    await enqueueRun(deps.producer, deps.db, jobId);
  } catch (error) {
    deps.logger.warn({ err: error, jobId }, "enqueue failed; the reconciler will retry");
  }
  return { jobId, channelId: placeholder.channelId };
}

/**
 * A message with recordings in a channel where an admin turned transcription on: each recording
 * (up to three) is transcribed in a thread under it. Returns whether the message was taken as a
 * voice note (then it is not also read as a question).
 */
export async function handleVoiceNote(deps: DiscordAppDeps, message: Message): Promise<boolean> {
  if (message.author.bot || message.system || !message.inGuild()) return false;
  const audio = audioAttachments(message);
  if (audio.length === 0) return false;
  const tenant = tenantOf(message.guildId, deps.config);
  if (!tenant.ok) return false;
  // A voice note in a thread follows its channel's switch.
  const channelId = message.channel.isThread()
    ? (message.channel.parentId ?? message.channelId)
    : message.channelId;
  if (!(await autoTranscribeOn(deps.db, "discord", tenant.guildId, channelId))) return false;
  const row = await upsertTenant(deps.db, "discord", tenant.guildId, message.guild?.name);
  const who = {
    tenant: row,
    userId: message.author.id,
    kind: "transcribe" as const,
    channelId,
    roleIds: roleIdsOf(message.member),
    isAdmin: message.member?.permissions.has(PermissionFlagsBits.ManageGuild) ?? false,
  };
  // Automatic transcription stays quiet where the server's policy leaves it out (a channel, a role).
  if (policyRefusal(readTenantPolicy(row.policy), { ...who, groupIds: who.roleIds })) return false;
  const limited = await gateRefusal(deps, who);
  if (limited) {
    await message.reply({ content: limited, allowedMentions: { repliedUser: false, parse: [] } });
    return true;
  }
  for (const [index, attachment] of audio.entries()) {
    await startTranscription(deps, {
      eventId: index === 0 ? message.id : `${message.id}-${index}`,
      message,
      attachment,
      userId: message.author.id,
      guildId: tenant.guildId,
    });
  }
  return true;
}
