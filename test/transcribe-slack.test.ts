import { getJob, holds, ledgerEntries } from "@replibot/db";
import { makeM4a, makeWebm } from "@replibot/emulator";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SharedFileInput } from "./fakes/slack/index.ts";
import { eventually } from "./helpers/pipeline.ts";
import { T4_NANOS_PER_SEC, t4Nanos } from "./helpers/prices.ts";
import { type SlackStack, startSlackStack } from "./helpers/slack-stack.ts";

let stack: SlackStack;
let on: string;
let off: string;
beforeAll(async () => {
  stack = await startSlackStack({ label: "tr-s", workerEnv: { TRANSCRIBE_MAX_SECONDS: 20 } });
  [on, off] = stack.channelIds as [string, string];
  expect(await transcribe("admin-ana", "on", on)).toContain("are transcribed automatically");
});
afterAll(async () => {
  await stack?.close();
});

/** `/transcribe <text>` in a channel; returns what the member was told privately. */
async function transcribe(user: string, text: string, channelId: string) {
  const request = await stack.command(user, "/transcribe", text, channelId);
  const post = await eventually(() =>
    stack.fake.responseUrlPosts(request.responseUrlId).find((p) => p.accepted),
  );
  return (post.body as { text: string }).text;
}

/** A member sharing an audio clip recorded in Slack (m4a) or a file. */
async function share(channelId: string, file: SharedFileInput, user = "sam") {
  const shared = await stack.fake.userSharesFile({
    appUrl: stack.appUrl,
    teamId: stack.teamId,
    channelId,
    userId: stack.member(user),
    file,
  });
  expect(shared.deliveries.every((d) => d.status === 200)).toBe(true);
  return { ...shared, jobId: `slack-${channelId}-${shared.message.ts}-${shared.fileId}` };
}

const clip = (durationSeconds: number, transcript?: string): SharedFileInput => ({
  name: "audio_message.m4a",
  mimetype: "audio/mp4",
  subtype: "slack_audio",
  durationMs: Math.round(durationSeconds * 1000),
  bytes: makeM4a({ durationSeconds, transcript }),
});

const predictionCount = () => stack.emulator.control.predictions().length;

describe("voice notes on Slack", () => {
  it("an audio clip in a channel with transcription on gets exactly its transcript in its thread", async () => {
    const shared = await share(on, clip(3, "Standup moved to ten."));
    const job = await stack.finished(shared.jobId);
    expect(job.status).toBe("succeeded");
    const reply = await stack.replyOf(shared.jobId);
    expect(reply.threadTs).toBe(shared.message.ts);
    expect(reply.edits[0]?.text).toContain("Transcribing…");
    expect(reply.text.split("\n\n")[0]).toBe("Standup moved to ten.");
    expect(reply.text).toContain("Language: English · Whisper");
    // The bot fetched the clip with its own token from the file host, once.
    const downloads = stack.fake.requests().filter((r) => r.method === "file_download" && r.status === 200);
    expect(downloads.length).toBeGreaterThan(0);
  });

  it("transcribes an uploaded WebM file, and charges predict time × the T4 price within its hold", async () => {
    const shared = await share(on, {
      name: "meeting.webm",
      mimetype: "audio/webm",
      bytes: makeWebm({ durationSeconds: 6, transcript: "Budget approved." }),
    });
    const job = await stack.finished(shared.jobId);
    expect((await stack.replyOf(shared.jobId)).text.split("\n\n")[0]).toBe("Budget approved.");
    const predictTime = stack.emulator.control.prediction(job.predictionId!)!.prediction.metrics!
      .predict_time as number;
    const [entry] = await stack.database.db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.jobId, job.id));
    const [hold] = await stack.database.db.select().from(holds).where(eq(holds.jobId, job.id));
    expect(entry!.costNanos).toBe(t4Nanos(predictTime));
    expect(hold!.amountNanos).toBe(33n * T4_NANOS_PER_SEC); // 30 + 0.5 × 6 s
    expect(hold!.amountNanos).toBeGreaterThanOrEqual(entry!.costNanos);
  });

  it("a redelivered event and a Slack Connect stub each end in one transcription", async () => {
    const shared = await share(on, clip(2, "Only once."));
    const event = shared.deliveries[0]!.event as { type: string } & Record<string, unknown>;
    await stack.fake.event({ appUrl: stack.appUrl, teamId: stack.teamId, event, retryNum: 1 });
    await stack.finished(shared.jobId);
    const jobs = await stack.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from jobs where id like ${`slack-${on}-${shared.message.ts}-%`}`,
    );
    expect(jobs[0]!.n).toBe(1);

    const stub = await share(on, { ...clip(2, "Through files.info."), checkFileInfoStub: true });
    await stack.finished(stub.jobId);
    expect((await stack.replyOf(stub.jobId)).text.split("\n\n")[0]).toBe("Through files.info.");
  });

  it("in a channel with transcription off nothing happens and nothing is charged", async () => {
    const before = predictionCount();
    const quiet = await share(off, clip(2, "Not for the bot."));
    const later = await share(on, clip(1, "Later."));
    await stack.finished(later.jobId);
    expect(await getJob(stack.database.db, quiet.jobId)).toBeUndefined();
    expect(stack.fake.messages(off).filter((m) => m.botId)).toEqual([]);
    expect(predictionCount()).toBe(before + 1);
  });

  it("refuses an over-long clip and a file that only claims to be audio, in the thread, with no prediction", async () => {
    const before = predictionCount();
    const long = await share(on, clip(25, "Too long."));
    const fake = await share(on, {
      name: "audio_message.m4a",
      mimetype: "audio/mp4",
      subtype: "slack_audio",
      bytes: new TextEncoder().encode("<html>not audio</html>".repeat(10)),
    });
    await stack.finished(long.jobId);
    await stack.finished(fake.jobId);
    expect((await stack.replyOf(long.jobId)).text).toBe(
      "*Not transcribed*: the recording is 0:25 long; Replibot transcribes at most 0:20. Not charged.",
    );
    const refused = await stack.replyOf(fake.jobId);
    expect(refused.threadTs).toBe(fake.message.ts);
    expect(refused.text).toContain("the file is not audio Replibot can read");
    expect(predictionCount()).toBe(before);
  });

  it("refuses a file that is not on SLACK_FILES_ORIGINS, without downloading it", async () => {
    await stack.worker.close();
    await stack.startWorker({ SLACK_FILES_ORIGINS: ["https://files.slack.com"] });
    try {
      const before = predictionCount();
      const downloads = () => stack.fake.requests().filter((r) => r.method === "file_download").length;
      const fetched = downloads();
      const shared = await share(on, clip(2, "Elsewhere."));
      const job = await stack.finished(shared.jobId);
      expect(job.status).toBe("refused");
      expect((await stack.replyOf(shared.jobId)).text).toContain("not on the platform's own file host");
      expect(downloads()).toBe(fetched);
      expect(predictionCount()).toBe(before);
    } finally {
      await stack.worker.close();
      await stack.startWorker();
    }
  });

  it("/transcribe is for workspace admins; status and off say where it stands", async () => {
    expect(await transcribe("sam", "on", off)).toBe("Only workspace admins and owners can use this.");
    expect(await transcribe("admin-ana", "status", off)).toContain(
      `Automatic transcription is off in <#${off}>.`,
    );
    expect(await transcribe("admin-ana", "sideways", off)).toContain("Use `/transcribe on`");
  });
});
