import { type Database, jobs } from "@replibot/db";
import type { FakeDiscord } from "../fakes/discord/index.ts";
import type { FakeSlack } from "../fakes/slack/index.ts";
import type { Exposure } from "./secret-scan.ts";

/** Web API methods whose parameters are what the bot shows people (others carry credentials by design). */
const slackShowingMethods = new Set([
  "chat.postMessage",
  "chat.update",
  "chat.postEphemeral",
  "files.getUploadURLExternal",
  "files.completeUploadExternal",
  "response_url",
]);

/** Every Discord message people can see, with all its earlier versions, and every body the bot sent. */
export function discordExposures(fake: FakeDiscord, label: string, knownChannels: string[]): Exposure[] {
  const channels = new Set(knownChannels);
  for (const request of fake.requests()) {
    const channel = /^\/api\/v10\/channels\/(\d+)/.exec(request.path)?.[1];
    if (channel) channels.add(channel);
  }
  const out: Exposure[] = [];
  const seen = new Set<string>();
  const visit = (channelId: string) => {
    for (const message of fake.messages(channelId)) {
      if (seen.has(message.id)) continue;
      seen.add(message.id);
      const where = `${label} message ${message.id} in channel ${channelId}`;
      const shown = [
        ...message.contentHistory,
        message.content,
        JSON.stringify(message.embeds),
        JSON.stringify(message.components),
        ...message.attachments.map((a) => a.filename),
      ];
      out.push({ where, text: shown.join("\n") });
      if (message.threadId && !channels.has(message.threadId)) {
        channels.add(message.threadId);
        visit(message.threadId);
      }
    }
  };
  for (const channelId of channels) visit(channelId);
  fake.requests().forEach((request, index) => {
    if (request.body === undefined || request.method === "GET") return;
    out.push({
      where: `${label} request #${index} body (${request.method} ${request.route ?? "?"})`,
      text: JSON.stringify(request.body),
    });
  });
  return out;
}

/** The interaction tokens Discord handed out, as the bot's requests carried them in their paths. */
export function discordInteractionTokens(fake: FakeDiscord): string[] {
  const tokens = new Set<string>();
  for (const { path } of fake.requests()) {
    const token =
      /\/webhooks\/\d+\/([^/]+)/.exec(path)?.[1] ?? /\/interactions\/\d+\/([^/]+)\/callback/.exec(path)?.[1];
    if (token) tokens.add(token);
  }
  return [...tokens];
}

/**
 * Every Slack message people can see (`members`' ephemeral ones too), with earlier versions, and the
 * parameters of every post, update and response_url answer the bot sent.
 */
export function slackExposures(fake: FakeSlack, label: string, members: string[]): Exposure[] {
  const channels = new Set<string>();
  const out: Exposure[] = [];
  fake.requests().forEach((request, index) => {
    const channel = request.params.channel ?? request.params.channel_id;
    if (typeof channel === "string") channels.add(channel);
    if (!slackShowingMethods.has(request.method)) return;
    const { token: _token, ...params } = request.params;
    out.push({ where: `${label} request #${index} (${request.method})`, text: JSON.stringify(params) });
  });
  for (const channelId of channels) {
    for (const as of [undefined, ...members]) {
      for (const message of fake.messages(channelId, as ? { as } : {})) {
        const versions = [...message.edits, message].map((v) => `${v.text}\n${JSON.stringify(v.blocks)}`);
        const files = message.files.map((f) => `${f.name} ${f.title}`);
        out.push({
          where: `${label} message ${message.ts} in channel ${channelId}`,
          text: [...versions, ...files].join("\n"),
        });
      }
    }
  }
  return out;
}

/** Every job's `error` column, which /spend exports and operators read. */
export async function jobErrorExposures(db: Database, label: string): Promise<Exposure[]> {
  const rows = await db.select({ id: jobs.id, error: jobs.error }).from(jobs);
  return rows.map((row) => ({ where: `${label} job ${row.id} error column`, text: row.error ?? "" }));
}

/** Log lines as exposures, numbered as a person reading the log would count them. */
export function logExposures(lines: readonly string[], label: string): Exposure[] {
  return lines.map((text, index) => ({ where: `${label} log line ${index + 1}`, text }));
}
