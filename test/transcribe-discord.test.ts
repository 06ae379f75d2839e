import { getJob, holds, ledgerEntries } from "@replibot/db";
import { makeM4a, makeOggOpus, makeWav } from "@replibot/emulator";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";
import { T4_NANOS_PER_SEC, t4Nanos } from "./helpers/prices.ts";

const VOICE_MESSAGE = 1 << 13;

let stack: DiscordStack;
let on: string;
let off: string;
beforeAll(async () => {
  stack = await startDiscordStack({
    label: "tr-d",
    messageContent: true,
    workerEnv: { TRANSCRIBE_MAX_SECONDS: 20 },
  });
  [on, off] = stack.channelIds as [string, string];
  expect(await transcribe("on", on)).toContain(`are transcribed automatically`);
});
afterAll(async () => {
  await stack?.close();
});

/** An admin (Manage Server) running `/<name> <subcommand>` in a channel; returns the private answer. */
function admin(name: string, subcommand: string, channelId: string, options: Record<string, number> = {}) {
  const boss = stack.fake.addMember(stack.guildId, { username: "boss", permissions: ["ManageGuild"] });
  const { interactionId } = stack.fake.slashCommand({
    guildId: stack.guildId,
    channelId,
    userId: boss,
    name,
    subcommand,
    options,
  });
  return eventually(() => stack.fake.interactionResponse(interactionId)?.original?.content || undefined);
}

const transcribe = (subcommand: "on" | "off" | "status", channelId: string) =>
  admin("transcribe", subcommand, channelId);

/** A member posting a voice message (Ogg/Opus, flag 8192, `duration_secs`) in a channel. */
function voiceNote(channelId: string, bytes: Uint8Array, durationSecs: number, user = "vera") {
  return stack.fake.postUserMessage({
    channelId,
    userId: stack.member(user),
    flags: VOICE_MESSAGE,
    attachments: [{ bytes, filename: "voice-message.ogg", contentType: "audio/ogg", durationSecs }],
  });
}

/** The message a job's final words were written to. */
async function transcriptOf(jobId: string) {
  const job = await stack.finished(jobId);
  const target = job.replyTarget as { messageId: string };
  return { job, message: stack.fake.message(target.messageId)! };
}

const predictionCount = () => stack.emulator.control.predictions().length;

describe("voice notes on Discord", () => {
  it("a voice note in a channel with transcription on gets exactly its transcript in a thread under it", async () => {
    const note = voiceNote(
      on,
      makeOggOpus({ durationSeconds: 3.2, transcript: "Meet me at the station." }),
      3.2,
    );
    const { job, message } = await transcriptOf(`discord-${note.id}`);
    expect(job.status).toBe("succeeded");
    // A thread opened on a message has that message's id.
    expect(message.channelId).toBe(note.id);
    expect(message.content.split("\n\n")[0]).toBe("Meet me at the station.");
    expect(message.content).toContain("Language: English · Whisper");
    expect(message.contentHistory[0]).toBe("Transcribing…");
    expect(stack.fake.messages(on).map((m) => m.id)).not.toContain(message.id);
  });

  it("charges the prediction's predict time × the T4 price, and the hold was never less", async () => {
    const wav = makeWav({ durationSeconds: 8, transcript: "A longer note about the budget." });
    const note = stack.fake.postUserMessage({
      channelId: on,
      userId: stack.member("wally"),
      attachments: [{ bytes: wav, filename: "budget.wav", contentType: "audio/wav" }],
    });
    const { job, message } = await transcriptOf(`discord-${note.id}`);
    expect(message.content).toContain("A longer note about the budget.");
    const prediction = stack.emulator.control.prediction(job.predictionId!)!.prediction;
    const predictTime = prediction.metrics?.predict_time as number;
    expect(predictTime).toBeGreaterThan(0);
    const [entry] = await stack.database.db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.jobId, job.id));
    expect(entry!.costNanos).toBe(t4Nanos(predictTime));
    const [hold] = await stack.database.db.select().from(holds).where(eq(holds.jobId, job.id));
    // 8 s of audio: a deadline of 30 + 0.5 × 8 = 34 s, held at the T4 price; far below the 600 s maximum.
    expect(hold!.amountNanos).toBe(34n * T4_NANOS_PER_SEC);
    expect(hold!.amountNanos).toBeGreaterThanOrEqual(entry!.costNanos);
    expect(prediction.input).toMatchObject({ audio: expect.stringContaining("/files/") });
  });

  it("transcribes an M4A audio file too", async () => {
    const note = stack.fake.postUserMessage({
      channelId: on,
      userId: stack.member("mia"),
      attachments: [
        {
          bytes: makeM4a({ durationSeconds: 4, transcript: "Recorded on a phone." }),
          filename: "memo.m4a",
          contentType: "audio/mp4",
        },
      ],
    });
    const { message } = await transcriptOf(`discord-${note.id}`);
    expect(message.content.split("\n\n")[0]).toBe("Recorded on a phone.");
  });

  it("in a channel with transcription off nothing happens and nothing is charged", async () => {
    const before = predictionCount();
    const quiet = voiceNote(off, makeOggOpus({ durationSeconds: 2, transcript: "Not for the bot." }), 2);
    // A later note where it is on is done only after the quiet one was seen and let be.
    const later = voiceNote(on, makeOggOpus({ durationSeconds: 1, transcript: "Later." }), 1);
    await transcriptOf(`discord-${later.id}`);
    expect(await getJob(stack.database.db, `discord-${quiet.id}`)).toBeUndefined();
    expect(stack.fake.messages(off).filter((m) => m.author.bot)).toEqual([]);
    expect(predictionCount()).toBe(before + 1);
  });

  it("the Transcribe menu works on any message with audio, in any channel", async () => {
    const wav = makeWav({ durationSeconds: 2, transcript: "Menu works here." });
    const posted = stack.fake.postUserMessage({
      channelId: off,
      userId: stack.member("otto"),
      attachments: [{ bytes: wav, filename: "take.wav", contentType: "audio/wav" }],
    });
    const clicker = stack.member("clara");
    const menu = stack.fake.messageContextMenu({ messageId: posted.id, name: "Transcribe", userId: clicker });
    const told = await eventually(
      () => stack.fake.interactionResponse(menu.interactionId)?.original?.content || undefined,
    );
    expect(told).toBe(`Transcribing: the transcript will be in <#${posted.id}>.`);
    const { job, message } = await transcriptOf(`discord-${menu.interactionId}`);
    expect(job.userId).toBe(clicker);
    expect(message.channelId).toBe(posted.id);
    expect(message.content.split("\n\n")[0]).toBe("Menu works here.");
  });

  it("the Transcribe menu on a message without audio says so privately and queues nothing", async () => {
    const posted = stack.fake.postUserMessage({
      channelId: off,
      userId: stack.member("otto"),
      content: "just words",
    });
    const menu = stack.fake.messageContextMenu({
      messageId: posted.id,
      name: "Transcribe",
      userId: stack.member("otto"),
    });
    const told = await eventually(
      () => stack.fake.interactionResponse(menu.interactionId)?.original ?? undefined,
    );
    expect(told.content).toBe("That message has no voice message or audio file to transcribe.");
    expect(told.ephemeral).toBe(true);
    expect(await getJob(stack.database.db, `discord-${menu.interactionId}`)).toBeUndefined();
  });

  it("refuses an over-long recording, a file that only claims to be audio, in the thread, with no prediction", async () => {
    const before = predictionCount();
    // Discord says 5 s; the bytes last 25 s, over this deployment's TRANSCRIBE_MAX_SECONDS of 20.
    const long = voiceNote(on, makeOggOpus({ durationSeconds: 25, transcript: "Too long." }), 5);
    const fake = voiceNote(on, new TextEncoder().encode("this is not audio at all, only text".repeat(20)), 2);
    const declared = voiceNote(on, makeOggOpus({ durationSeconds: 1 }), 600);
    const longEnd = await transcriptOf(`discord-${long.id}`);
    expect(longEnd.job.status).toBe("refused");
    expect(longEnd.message.channelId).toBe(long.id);
    expect(longEnd.message.content).toBe(
      "**Not transcribed**: the recording is 0:25 long; Replibot transcribes at most 0:20. Not charged.",
    );
    const fakeEnd = await transcriptOf(`discord-${fake.id}`);
    expect(fakeEnd.message.content).toBe(
      "**Not transcribed**: the file is not audio Replibot can read (Ogg/Opus, WAV, MP3, M4A, WebM or FLAC). Not charged.",
    );
    const declaredEnd = await transcriptOf(`discord-${declared.id}`);
    expect(declaredEnd.message.content).toContain("the recording is 10:00 long");
    expect(predictionCount()).toBe(before);
    for (const id of [long.id, fake.id, declared.id]) {
      const [hold] = await stack.database.db
        .select()
        .from(holds)
        .where(eq(holds.jobId, `discord-${id}`));
      expect(hold).toBeUndefined();
    }
  });

  it("refuses a file whose URL is not on DISCORD_CDN_ORIGINS, with no download and no prediction", async () => {
    await stack.worker.close();
    await stack.startWorker({
      DISCORD_CDN_ORIGINS: ["https://cdn.discordapp.com", "https://media.discordapp.net"],
    });
    try {
      const before = predictionCount();
      const downloads = () => stack.fake.requests().filter((r) => r.route === "cdn").length;
      const fetched = downloads();
      const note = voiceNote(on, makeOggOpus({ durationSeconds: 2, transcript: "Elsewhere." }), 2);
      const { job, message } = await transcriptOf(`discord-${note.id}`);
      expect(job.status).toBe("refused");
      expect(message.content).toBe(
        "**Not transcribed**: the file is not on the platform's own file host, so Replibot will not fetch it. Not charged.",
      );
      expect(downloads()).toBe(fetched);
      expect(predictionCount()).toBe(before);
    } finally {
      await stack.worker.close();
      await stack.startWorker();
    }
  });

  it("splits a long transcript across messages in the thread, losing nothing", async () => {
    const words = Array.from({ length: 450 }, (_, i) => `word${i}`).join(" ");
    const note = voiceNote(on, makeOggOpus({ durationSeconds: 6, transcript: words }), 6);
    const { message } = await transcriptOf(`discord-${note.id}`);
    const thread = stack.fake.messages(note.id).filter((m) => m.author.bot);
    expect(thread.length).toBeGreaterThan(1);
    expect(thread.every((m) => m.content.length <= 2_000)).toBe(true);
    expect(thread[0]!.id).toBe(message.id);
    const text = thread
      .map((m) => m.content)
      .join(" ")
      .replace(/\s+/g, " ");
    expect(text).toContain(words);
  });

  it("says in the thread when the model fails, and charges only its predict time", async () => {
    stack.emulator.control.failNextPredictions({ model: "openai/whisper", error: "CUDA out of memory" });
    const note = voiceNote(on, makeOggOpus({ durationSeconds: 2, transcript: "Doomed." }), 2);
    const { job, message } = await transcriptOf(`discord-${note.id}`);
    expect(job.status).toBe("failed");
    expect(message.channelId).toBe(note.id);
    expect(message.content).toMatch(
      /^\*\*Failed\*\*: CUDA out of memory\. (Charged \$[\d.]+|Not charged)\.$/,
    );
  });

  it("says in the thread when the server's spend limit is reached, and sends nothing", async () => {
    expect(await admin("spend-limit", "set", on, { amount: 0 })).toContain(
      "monthly spend limit is now $0.00",
    );
    try {
      const before = predictionCount();
      const note = voiceNote(on, makeOggOpus({ durationSeconds: 2, transcript: "Over budget." }), 2);
      const { job, message } = await transcriptOf(`discord-${note.id}`);
      expect(job.status).toBe("refused");
      expect(message.channelId).toBe(note.id);
      expect(message.content).toContain("This server has reached its monthly spend limit of $0.00");
      expect(predictionCount()).toBe(before);
    } finally {
      await admin("spend-limit", "clear", on);
    }
  });

  it("/transcribe off stops it, and status says so", async () => {
    const channel = stack.channelIds[2]!;
    await transcribe("on", channel);
    expect(await transcribe("off", channel)).toContain(`Automatic transcription is off in <#${channel}>.`);
    expect(await transcribe("status", channel)).toContain("is off");
  });
});
