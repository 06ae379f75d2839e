import { transcribeStatusText } from "@replibot/chat";
import { autoTranscribeOn, recordSettingChange, setAutoTranscribe } from "@replibot/db";
import { resolveCatalogModel } from "@replibot/replicate";
import type { WebClient } from "@slack/web-api";
import type { SlackAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import { slackText } from "../slack-text.ts";
import { asSlackAdmin } from "./admin.ts";
import { gateFor } from "./gate.ts";
import { type SlackOrigin, startSlackJob, tenantAllowed } from "./start-job.ts";

/** A file as Slack's `file_share` message carries it (or the stub of a Slack Connect channel). */
export interface SlackSharedFile {
  id: string;
  name?: string;
  mimetype?: string;
  subtype?: string;
  size?: number;
  duration_ms?: number;
  url_private_download?: string;
  file_access?: string;
}

/** A member's `file_share` message. */
export interface SlackFileShare {
  teamId: string;
  channelId: string;
  userId: string;
  ts: string;
  threadTs?: string;
  files: SlackSharedFile[];
}

/** A message with more recordings than this gets the first ones transcribed. */
const MAX_PER_MESSAGE = 3;

/** Whether Slack says a file is a recording: an audio clip (even as video/mp4) or an `audio/*` upload. */
function isAudio(file: SlackSharedFile): boolean {
  return file.subtype === "slack_audio" || Boolean(file.mimetype?.startsWith("audio/"));
}

/** The file's details; a Slack Connect channel sends only a stub, and `files.info` has the rest. */
async function fileDetails(client: WebClient, file: SlackSharedFile): Promise<SlackSharedFile | undefined> {
  if (file.file_access !== "check_file_info") return file;
  const info = await client.files.info({ file: file.id }).catch(() => undefined);
  return (info?.file as SlackSharedFile | undefined) ?? undefined;
}

/**
 * A member shared files in a channel where an admin turned transcription on: each recording (up to
 * three) is transcribed in the message's thread, "Transcribing…" first. The job id names the
 * channel, message and file, so Slack's retries queue nothing twice. The worker downloads the file
 * with the bot token, only from SLACK_FILES_ORIGINS.
 */
export async function handleFileShare(
  deps: SlackAppDeps,
  client: WebClient,
  share: SlackFileShare,
): Promise<void> {
  if (!tenantAllowed(deps, share.teamId)) return;
  if (!share.files.some((file) => isAudio(file) || file.file_access === "check_file_info")) return;
  if (!(await autoTranscribeOn(deps.db, "slack", share.teamId, share.channelId))) return;
  const model = resolveCatalogModel(deps.catalog, "transcribe", undefined);
  if (!model.ok) return;
  const tell = async (text: string) => {
    await client.chat.postEphemeral({ channel: share.channelId, user: share.userId, text }).catch(() => {});
  };
  const origin = { client, teamId: share.teamId, channelId: share.channelId, userId: share.userId };
  // Automatic transcription stays quiet where the workspace's policy leaves it out (a channel, a group).
  if (await gateFor(deps, origin, { kind: "transcribe" }, { policyOnly: true })) return;
  const limited = await gateFor(deps, origin, { kind: "transcribe" });
  if (limited) return tell(slackText(limited));
  let started = 0;
  for (const shared of share.files) {
    if (started >= MAX_PER_MESSAGE) break;
    const file = await fileDetails(client, shared);
    if (!file || !isAudio(file) || !file.url_private_download) continue;
    started++;
    await startSlackJob(
      deps,
      {
        ...origin,
        triggerId: `${share.channelId}-${share.ts}-${file.id}`,
        threadTs: share.threadTs ?? share.ts,
        tell,
      },
      {
        kind: "transcribe",
        model: model.model.id,
        placeholder: replies.transcribing,
        input: {
          audioUrl: file.url_private_download,
          ...(file.mimetype ? { contentType: file.mimetype } : {}),
          ...(file.duration_ms !== undefined ? { durationSecs: file.duration_ms / 1000 } : {}),
          ...(file.size !== undefined ? { sizeBytes: file.size } : {}),
          ...(file.name ? { filename: file.name } : {}),
        },
      },
    );
  }
}

/** `/transcribe on|off|status`: workspace admins only, for the channel the command is used in. */
export async function transcribeSwitch(
  deps: SlackAppDeps,
  origin: SlackOrigin,
  client: WebClient,
  text: string,
) {
  const subcommand = text.trim().toLowerCase() || "status";
  if (subcommand !== "on" && subcommand !== "off" && subcommand !== "status") {
    return origin.tell(replies.transcribeUsage);
  }
  await asSlackAdmin(deps, origin, client, async ({ tenantId }) => {
    if (subcommand !== "status") {
      await setAutoTranscribe(deps.db, tenantId, origin.channelId, subcommand === "on", origin.userId);
      await recordSettingChange(deps.db, {
        tenantId,
        actorId: origin.userId,
        setting: "transcribe",
        after: { channelId: origin.channelId, on: subcommand === "on" },
      });
    }
    const on = await autoTranscribeOn(deps.db, "slack", origin.teamId, origin.channelId);
    await origin.tell(
      transcribeStatusText({
        on,
        channelMention: `<#${origin.channelId}>`,
        readsMessages: true,
        platform: "slack",
      }),
    );
  });
}
