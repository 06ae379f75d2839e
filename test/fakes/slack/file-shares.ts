import { randomUUID } from "node:crypto";
import type { FakeClock } from "../clock.ts";
import { fileJson, fileStub } from "./file-json.ts";
import type { IdFactory } from "./ids.ts";
import { type EventPlan, type MessageContext, misuse, type PlannedEvent } from "./message-context.ts";
import { richTextBlocks } from "./rich-text.ts";
import {
  type AudioClip,
  type ClipTranscription,
  type SlackState,
  type StoredFile,
  storeMessage,
} from "./state.ts";

/** The file a person shares: a clip recorded in Slack (`subtype: "slack_audio"`) or an uploaded file. */
export interface SharedFileInput {
  /** E.g. `audio_message.m4a` or `Audio clip (2022-08-22_15-11-01-551).m4a`; no `/`. */
  name: string;
  /** E.g. `audio/mp4`, `audio/webm`, `audio/wav`; clips may also be `video/mp4` (contract §2.4). */
  mimetype: string;
  bytes: Uint8Array;
  /** Marks a clip recorded in Slack's clients; uploaded files have no subtype. */
  subtype?: "slack_audio";
  /** Clips only: `duration_ms`; default 5000. */
  durationMs?: number;
  /** Clips only: Slack's own transcript; default `{ status: "processing" }`, as in most first events. */
  transcription?: ClipTranscription;
  /** Carry `{"id","file_access":"check_file_info"}` instead of the file, as Slack Connect channels do. */
  checkFileInfoStub?: boolean;
}

/** A person sharing a file in a conversation, with an optional comment (`text`, wire format). */
export interface UserSharesFileFields {
  teamId: string;
  channelId: string;
  userId: string;
  file: SharedFileInput;
  /** The comment typed with the file; default none (`""`), as for a clip sent on its own. */
  text?: string;
  /** The `ts` of a top-level message in the same conversation, to share in its thread. */
  threadTs?: string;
}

/** The events for a file share, and the stored file. */
export interface FileSharePlan extends EventPlan {
  file: StoredFile;
}

/** Integers 0–100 like Slack's `audio_wave_samples`, taken from the bytes so they are stable per clip. */
function waveSamples(bytes: Uint8Array): number[] {
  if (bytes.byteLength === 0) return [];
  const count = Math.min(100, bytes.byteLength);
  return Array.from({ length: count }, (_, i) => {
    const byte = bytes[Math.floor((i * bytes.byteLength) / count)] ?? 0;
    return Math.round((byte * 100) / 255);
  });
}

/** Throws unless the file is one Slack could carry; returns the clip fields for clips. */
function checkFile(file: SharedFileInput): AudioClip | undefined {
  if (!file.name || file.name.includes("/")) misuse(`a file needs a name without "/", got "${file.name}"`);
  if (!/^[\w.+-]+\/[\w.+-]+$/.test(file.mimetype)) misuse(`not a mimetype: "${file.mimetype}"`);
  if (!(file.bytes instanceof Uint8Array) || file.bytes.byteLength === 0) misuse("a file needs bytes");
  if (file.subtype !== "slack_audio") {
    // Not verified what Slack adds to uploaded audio, so the fake does not invent clip fields for it.
    if (file.durationMs !== undefined || file.transcription !== undefined)
      misuse("durationMs and transcription are for clips (subtype: slack_audio)");
    return undefined;
  }
  if (!/^(audio|video)\//.test(file.mimetype)) misuse(`a clip is audio/* or video/*, not ${file.mimetype}`);
  const durationMs = file.durationMs ?? 5000;
  if (!Number.isInteger(durationMs) || durationMs <= 0) misuse(`durationMs must be a positive integer`);
  return {
    durationMs,
    waveSamples: waveSamples(file.bytes),
    transcription: file.transcription ?? { status: "processing" },
  };
}

/** A person sharing a file or clip: the stored file and message, and the events Slack sends about them. */
export function createFileShares(
  deps: { state: SlackState; ids: IdFactory; clock: FakeClock; origin: string },
  context: MessageContext,
) {
  const { state, ids, clock, origin } = deps;
  return {
    /** Stores the file (with its bytes) and the `file_share` message, and plans `message`, `app_mention`, `file_shared`. */
    share(input: UserSharesFileFields): FileSharePlan {
      const team = context.teamOf(input.teamId);
      const channel = context.channelOf(team, input.channelId);
      const user = context.personOf(team, input.userId);
      const clip = checkFile(input.file);
      const text = input.text ?? "";
      const parent = context.checkWrite({
        team,
        channel,
        user,
        text,
        threadTs: input.threadTs,
        allowEmpty: true,
      });
      const file: StoredFile = {
        id: ids.id("F"),
        teamId: team.id,
        name: input.file.name,
        title: input.file.name,
        mimetype: input.file.mimetype,
        declaredLength: input.file.bytes.byteLength,
        // A copy, so a test reusing its buffer cannot change what was "uploaded".
        bytes: new Uint8Array(input.file.bytes),
        userId: user.id,
        created: clock.now(),
        isPublic: !channel.isPrivate,
        ...(clip && { clip }),
      };
      state.files.set(file.id, file);
      const message = storeMessage(state, {
        ts: ids.ts(),
        channelId: channel.id,
        teamId: team.id,
        text,
        // Slack's clients attach rich text and a client_msg_id to what was typed; a bare share has neither.
        blocks: text ? richTextBlocks(text, ids.secret(3).slice(0, 5)) : undefined,
        threadTs: parent?.ts,
        userId: user.id,
        botId: undefined,
        visibleTo: undefined,
        files: [file],
        history: [],
        deleted: false,
        postedAt: clock.now(),
        ...(text && { clientMsgId: randomUUID() }),
      });
      const stub = input.file.checkFileInfoStub === true;
      const base = context.messageEvent(team, channel, message);
      const shared: PlannedEvent = {
        subscription: base.subscription,
        extShared: stub,
        event: {
          ...base.event,
          subtype: "file_share",
          files: [stub ? fileStub(file) : fileJson(origin, file)],
          upload: false,
          display_as_bot: false,
        },
      };
      const mention = context.mentionEvents(team, channel, shared);
      // file_shared carries only ids (its docs: "use the files.info API method"); sent after the message here,
      // though Slack documents no order.
      const fileShared: PlannedEvent = {
        subscription: "file_shared",
        extShared: stub,
        event: {
          type: "file_shared",
          channel_id: channel.id,
          file_id: file.id,
          user_id: user.id,
          file: { id: file.id },
          event_ts: ids.ts(),
        },
      };
      const wanted = [shared, ...mention.events, fileShared];
      return { ...context.plan(team, channel, message, wanted, mention.notDelivered), file };
    },
  };
}
