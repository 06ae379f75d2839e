import { jobs } from "@replibot/db";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./helpers/discord-stack.ts";
import { type SlackStack, startSlackStack } from "./helpers/slack-stack.ts";

let stack: SlackStack;
beforeAll(async () => {
  stack = await startSlackStack({ label: "slack-app", emulator: { tokensPerSecond: 150 } });
});
afterAll(async () => {
  await stack?.close();
});

const jobCount = async () => (await stack.database.db.select({ n: count() }).from(jobs))[0]!.n;

describe("Replibot on Slack: receiving", () => {
  it("answers /ask in the channel: a placeholder with the question, streamed by chat.update, the exact answer at the end", async () => {
    const request = await stack.command("ada", "/ask", "Repeat exactly 40 times:\nSlack streams by edits. ");
    expect(request.status).toBe(200);
    expect(request.body).toBe("");
    const job = await stack.finished(request.jobId);
    expect(job.status).toBe("succeeded");
    const reply = await stack.replyOf(request.jobId);
    expect(reply.text).toContain(`<@${stack.member("ada")}> asked: Repeat exactly 40 times: Slack streams`);
    expect(reply.text).toContain(stack.answerOf(job).trim().slice(0, 200));
    expect(reply.text).toMatch(/_Llama 3 70B Instruct · \$0\.\d+_$/);
    expect(reply.edits.filter((e) => e.text.endsWith(" ▌")).length).toBeGreaterThanOrEqual(1);
    expect(stack.fake.rateLimitLog()).toEqual([]);
  });

  it("refuses bad input in the ack itself, privately, and queues nothing", async () => {
    const before = await jobCount();
    const empty = await stack.command("eve", "/ask", "   ");
    expect(empty.status).toBe(200);
    expect(JSON.parse(empty.body)).toEqual({
      response_type: "ephemeral",
      text: "Your prompt is empty: type a question after `/ask`.",
    });
    const badSeed = await stack.command("eve", "/imagine", "a fox --seed banana");
    expect(JSON.parse(badSeed.body).text).toContain("`--seed` takes a whole number");
    const badRatio = await stack.command("eve", "/imagine", "a fox --ar 5:1");
    expect(JSON.parse(badRatio.body).text).toMatch(/^The option `--ar` is not right/);
    expect(await jobCount()).toBe(before);
  });

  it("refuses requests with a bad, missing or stale signature (401) and runs nothing", async () => {
    const before = await jobCount();
    const base = {
      appUrl: stack.appUrl,
      teamId: stack.teamId,
      channelId: stack.channelId,
      userId: stack.member("mallory"),
      command: "/ask",
      text: "hello",
    };
    const bad = await stack.fake.slashCommand({ ...base, signing: { badSignature: true } });
    const stale = await stack.fake.slashCommand({ ...base, signing: { ageSeconds: 301 } });
    // Unsigned: the body a signed command carries, without Slack's two headers.
    const missing = await fetch(`${stack.appUrl}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: bad.delivery.body,
    });
    expect([bad.status, missing.status, stale.status]).toEqual([401, 401, 401]);
    expect(await jobCount()).toBe(before);
  });

  it("treats a replayed command as the same request: one job, one placeholder", async () => {
    const first = await stack.command("ada", "/ask", "Repeat exactly 2 times:\nonce ");
    const replay = await stack.fake.replay(first.delivery);
    expect(replay.status).toBe(200);
    await stack.finished(first.jobId);
    const placeholders = stack.fake
      .messages(stack.channelId)
      .filter((m) => m.text.includes("asked: Repeat exactly 2 times:"));
    expect(placeholders).toHaveLength(1);
    const rows = await stack.database.db.select().from(jobs).where(eq(jobs.id, first.jobId));
    expect(rows).toHaveLength(1);
  });
});

describe("Replibot on Slack: where the bot is not a member", () => {
  it("answers through the response_url with at most 5 writes, and suggests inviting the bot", async () => {
    const secret = stack.fake.addChannel(stack.teamId, {
      name: "secret",
      isPrivate: true,
      botIsMember: false,
      members: [stack.member("ada")],
    });
    const request = await stack.command("ada", "/ask", "Repeat exactly 30 times:\nPrivate words. ", secret);
    const job = await stack.finished(request.jobId);
    expect(job.status).toBe("succeeded");
    const posts = stack.fake.responseUrlPosts(request.responseUrlId);
    expect(posts.length).toBeLessThanOrEqual(5);
    expect(posts.every((p) => p.accepted)).toBe(true);
    const shown = stack.fake.messages(secret);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.text).toContain(stack.answerOf(job).trim().slice(0, 100));
    expect(shown[0]!.edits[0]!.text).toContain("/invite @Replibot");
  });

  it("refuses /imagine there before anything is charged", async () => {
    const secret = stack.fake.addChannel(stack.teamId, {
      name: "hidden",
      isPrivate: true,
      botIsMember: false,
    });
    const request = await stack.command("ada", "/imagine", "a lighthouse", secret);
    const job = await stack.finished(request.jobId);
    expect(job.status).toBe("refused");
    expect(job.predictionId).toBeNull();
    const said = await eventually(() =>
      stack.fake.responseUrlPosts(request.responseUrlId).find((p) => p.accepted),
    );
    expect(JSON.stringify(said.body)).toContain("can't post images in this channel");
  });
});
