import { getJob, type JobRow } from "@replibot/db";
import type { Emulator } from "@replibot/emulator";
import { type DiscordStack, type DiscordStackOptions, startDiscordStack } from "./discord-stack.ts";
import { type SlackStack, type SlackStackOptions, startSlackStack } from "./slack-stack.ts";
import type { TestDatabase } from "./test-database.ts";

/** One message of a job's answer, as members see it on either platform. */
export interface ShownMessage {
  text: string;
  /** Every text it has had, oldest first (the last is `text`). */
  history: string[];
  /** The ids of its buttons (`cancel:<job>`, `regenerate:<job>`). */
  buttons: string[];
  /** The bytes of the images shown with it. */
  images: Uint8Array[];
}

/**
 * One chat platform driven the same way, so one suite checks the same behaviours on Discord and
 * Slack: members type commands and press buttons; the suite reads what they would see.
 */
export interface ChatDriver {
  platform: "discord" | "slack";
  emulator: Emulator;
  database: TestDatabase;
  /** The longest message the platform shows (longer answers continue in more messages). */
  messageLimit: number;
  ask(user: string, prompt: string): Promise<string>;
  imagine(user: string, prompt: string, seed: number): Promise<string>;
  /** Presses `button` (`cancel` or `regenerate`) under a job's reply; returns the job id it makes. */
  press(user: string, jobId: string, button: "cancel" | "regenerate"): Promise<string>;
  finished(jobId: string, timeoutMs?: number): Promise<JobRow>;
  /** The reply and its continuations, oldest first. */
  shown(jobId: string): Promise<ShownMessage[]>;
  /** The answer as shown, without the platform's heading and footer lines, messages joined. */
  answerShown(jobId: string): Promise<string>;
  /** 429s the fake platform sent. */
  rateLimitHits(): number;
  /** Restarts the platform app and the worker, as a deploy would. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Spreads requests over a server's channels, as members do, so one test's edits do not starve the next's. */
function rotation(channelIds: string[]): () => string {
  let i = 0;
  return () => channelIds[i++ % channelIds.length]!;
}

const buttonIds = (value: unknown): string[] =>
  [...JSON.stringify(value ?? []).matchAll(/"(?:custom_id|action_id)":"([^"]+)"/g)].map((m) => m[1]!);

/** Discord through the fake Discord and the real discord.js. */
export async function discordDriver(options: DiscordStackOptions): Promise<ChatDriver> {
  const stack: DiscordStack = await startDiscordStack(options);
  const interactionOf = (jobId: string) => jobId.replace(/^discord-/, "");
  const next = rotation(stack.channelIds);
  const messages = (jobId: string) => {
    const view = stack.fake.interactionResponse(interactionOf(jobId));
    return view?.original ? [view.original, ...view.followUps] : [];
  };
  const driver: ChatDriver = {
    platform: "discord",
    emulator: stack.emulator,
    database: stack.database,
    messageLimit: 2_000,
    ask: async (user, prompt) => `discord-${stack.ask(user, prompt, next()).interactionId}`,
    imagine: async (user, prompt, seed) =>
      `discord-${stack.imagine(user, { prompt, seed }, next()).interactionId}`,
    async press(user, jobId, button) {
      const [reply] = messages(jobId);
      if (!reply) throw new Error(`no reply for ${jobId}`);
      const { interactionId } = stack.fake.pressButton({
        messageId: reply.id,
        customId: `${button}:${jobId}`,
        userId: stack.member(user),
      });
      return `discord-${interactionId}`;
    },
    finished: (jobId, timeoutMs) => stack.finished(jobId, timeoutMs),
    async shown(jobId) {
      return messages(jobId).map((m) => ({
        text: m.content,
        history: m.contentHistory,
        buttons: buttonIds(m.components),
        images: m.attachments.map((a) => a.bytes),
      }));
    },
    async answerShown(jobId) {
      const text = (await driver.shown(jobId)).map((m) => m.text).join("");
      const footer = text.lastIndexOf("\n\n-# ");
      return footer < 0 ? text : text.slice(0, footer);
    },
    rateLimitHits: () => stack.fake.rateLimitHits(),
    async restart() {
      await stack.restartDiscord();
      await stack.worker.close();
      await stack.startWorker();
    },
    close: () => stack.close(),
  };
  return driver;
}

/** Slack through the fake Slack and the real @slack/bolt. */
export async function slackDriver(options: SlackStackOptions): Promise<ChatDriver> {
  const stack: SlackStack = await startSlackStack(options);
  const next = rotation(stack.channelIds);
  const replyOf = async (jobId: string) => {
    const job = await getJob(stack.database.db, jobId);
    const target = job?.replyTarget as { channelId: string; messageTs: string } | undefined;
    if (!job || !target) return undefined;
    return { job, target, messages: stack.fake.messages(target.channelId) };
  };
  const driver: ChatDriver = {
    platform: "slack",
    emulator: stack.emulator,
    database: stack.database,
    messageLimit: 3_900,
    ask: async (user, prompt) => (await stack.command(user, "/ask", prompt, next())).jobId,
    imagine: async (user, prompt, seed) =>
      (await stack.command(user, "/imagine", `${prompt} --seed ${seed}`, next())).jobId,
    async press(user, jobId, button) {
      const reply = await replyOf(jobId);
      if (!reply) throw new Error(`no reply for ${jobId}`);
      return (await stack.press(user, `${button}:${jobId}`, reply.target.messageTs, reply.target.channelId))
        .jobId;
    },
    finished: (jobId, timeoutMs) => stack.finished(jobId, timeoutMs),
    async shown(jobId) {
      const reply = await replyOf(jobId);
      if (!reply) return [];
      const ids = [reply.target.messageTs, ...reply.job.replyMessageIds];
      const index = reply.messages.findIndex((m) => m.ts === reply.target.messageTs);
      // An image is uploaded into the channel right after its reply, as a message of its own.
      const upload = reply.messages.slice(index + 1).find((m) => m.files.length > 0 && m.botId);
      return ids.flatMap((ts, i) => {
        const m = reply.messages.find((message) => message.ts === ts);
        if (!m) return [];
        return [
          {
            text: m.text,
            history: [...m.edits.map((e) => e.text), m.text],
            buttons: buttonIds(m.blocks),
            images: i === 0 && upload ? upload.files.map((f) => f.bytes) : [],
          },
        ];
      });
    },
    async answerShown(jobId) {
      const [first, ...rest] = (await driver.shown(jobId)).map((m) => m.text);
      // The reply starts with "<@asker> asked: …" and a blank line, and ends with "_model · $cost_".
      const text = [(first ?? "").slice((first ?? "").indexOf("\n\n") + 2), ...rest].join("");
      const footer = text.lastIndexOf("\n\n_");
      return footer < 0 ? text : text.slice(0, footer);
    },
    rateLimitHits: () => stack.fake.rateLimitLog().length,
    async restart() {
      await stack.restartSlack();
      await stack.worker.close();
      await stack.startWorker();
    },
    close: () => stack.close(),
  };
  return driver;
}
