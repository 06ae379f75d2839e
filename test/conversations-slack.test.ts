import { conversationTurnsTable, getJob } from "@replibot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./helpers/pipeline.ts";
import { type SlackStack, startSlackStack } from "./helpers/slack-stack.ts";

let stack: SlackStack;
beforeAll(async () => {
  stack = await startSlackStack({ label: "conv-s", dmToSelf: true, emulator: { tokensPerSecond: 200 } });
});
afterAll(async () => {
  await stack?.close();
});

async function inputOf(jobId: string) {
  const job = await getJob(stack.database.db, jobId);
  return stack.emulator.control.prediction(job!.predictionId!)!.prediction.input as Record<string, unknown>;
}

/** The ts of a job's answer message. */
async function answerTs(jobId: string) {
  return ((await getJob(stack.database.db, jobId))!.replyTarget as { messageTs: string }).messageTs;
}

/** A member writing in a channel (or a thread of it); returns the job that message becomes. */
async function says(user: string, text: string, options: { threadTs?: string; channelId?: string } = {}) {
  const channelId = options.channelId ?? stack.channelId;
  const said = await stack.fake.userSays({
    appUrl: stack.appUrl,
    teamId: stack.teamId,
    channelId,
    userId: stack.member(user),
    text,
    threadTs: options.threadTs,
  });
  expect(said.deliveries.every((d) => d.status === 200)).toBe(true);
  const job = await stack.finished(`slack-${channelId}-${said.message.ts}`);
  return { said, job };
}

/** An admin running `/replibot settings …`; returns what they were told. */
async function settings(text: string) {
  const request = await stack.command("admin-root", "/replibot", `settings ${text}`);
  const post = await eventually(() =>
    stack.fake.responseUrlPosts(request.responseUrlId).find((p) => p.accepted),
  );
  return (post.body as { text: string }).text;
}

describe("conversations on Slack", () => {
  it("a reply in an answer's thread continues the conversation: every earlier turn, in order, answered in the thread", async () => {
    const first = await stack.command("ada", "/ask", "Repeat exactly:\nParis is the capital of France.");
    await stack.finished(first.jobId);
    const root = await answerTs(first.jobId);
    const second = await says("ada", "Repeat exactly:\nIt has about two million people.", { threadTs: root });
    const reply = stack.fake
      .messages(stack.channelId)
      .find((m) => m.ts === (second.job.replyTarget as { messageTs: string }).messageTs)!;
    expect(reply.threadTs).toBe(root);
    expect(reply.text).toContain("It has about two million people.");
    const third = await says("bob", "Repeat exactly:\nAnd the Seine.", { threadTs: root });
    const template = String((await inputOf(third.job.id)).prompt_template);
    const positions = ["Paris is the capital of France.", "It has about two million people."].map((t) =>
      template.indexOf(t),
    );
    expect(positions[0]).toBeGreaterThan(0);
    expect(positions[1]).toBeGreaterThan(positions[0]!);
    expect(third.job.conversationId).toBe(first.jobId);
  });

  it("a mention asks in the mention's thread, once although Slack sends two events", async () => {
    const { said, job } = await says("cy", `<@${stack.fake.botUserId}> Repeat exactly:\nMentioned.`, {
      channelId: stack.channelIds[1],
    });
    expect(said.deliveries.map((d) => d.event.type).sort()).toEqual(["app_mention", "message"]);
    expect((await inputOf(job.id)).prompt).toBe("Repeat exactly:\nMentioned.");
    const answers = stack.fake
      .messages(stack.channelIds[1]!)
      .filter((m) => m.botId && m.threadTs === said.message.ts);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.text).toContain("Mentioned.");
    // A follow-up in that thread remembers the mention's turn.
    const next = await says("cy", "Repeat exactly:\nAgain.", {
      threadTs: said.message.ts,
      channelId: stack.channelIds[1],
    });
    expect(String((await inputOf(next.job.id)).prompt_template)).toContain("Mentioned.");
  });

  it("remembers after the worker and the app restart", async () => {
    const first = await stack.command("dee", "/ask", "Repeat exactly:\nThe password is swordfish.");
    await stack.finished(first.jobId);
    await stack.restartSlack();
    await stack.worker.close();
    await stack.startWorker();
    const { job } = await says("dee", "Repeat exactly:\nWhat was it?", {
      threadTs: await answerTs(first.jobId),
    });
    expect(String((await inputOf(job.id)).prompt_template)).toContain("The password is swordfish.");
  });

  it("leaves the oldest turns out at the workspace's cap, and says so in one line", async () => {
    const first = await stack.command("eve", "/ask", `Repeat exactly:\nOldest ${"turn text ".repeat(30)}`);
    await stack.finished(first.jobId);
    const root = await answerTs(first.jobId);
    for (const n of [2, 3]) await says("eve", `Repeat exactly:\nTurn ${n} short.`, { threadTs: root });
    expect(await settings("memory 10 tokens 250")).toBe(
      "Follow-ups remember the last 10 turns of their conversation, at most 250 tokens of them (older turns are left out first).",
    );
    try {
      const last = await says("eve", "Repeat exactly:\nFourth.", { threadTs: root });
      const template = String((await inputOf(last.job.id)).prompt_template);
      expect(template).not.toContain("Oldest");
      expect(last.job.contextLeftOut).toBe(1);
      const shown = stack.fake
        .messages(stack.channelId)
        .find((m) => m.ts === (last.job.replyTarget as { messageTs: string }).messageTs)!;
      expect(shown.text).toContain(
        "_The oldest turn of this conversation was left out to fit what the model can read._",
      );
    } finally {
      await settings("memory 10");
    }
  });

  it("a direct message is answered (DM_TENANT set) and the DM remembers", async () => {
    const dm = stack.fake.dmChannel(stack.teamId, stack.member("gus"));
    await says("gus", "Repeat exactly:\nDM one.", { channelId: dm });
    const { job } = await says("gus", "Repeat exactly:\nDM two.", { channelId: dm });
    expect(job.status).toBe("succeeded");
    expect(String((await inputOf(job.id)).prompt_template)).toContain("DM one.");
  });

  it("a deleted question is left out of the next context", async () => {
    const first = await stack.command("hal", "/ask", "Repeat exactly:\nStarting.");
    await stack.finished(first.jobId);
    const root = await answerTs(first.jobId);
    const secret = await says("hal", "Repeat exactly:\nSecret that will be deleted.", { threadTs: root });
    await stack.fake.userDeletes({
      appUrl: stack.appUrl,
      teamId: stack.teamId,
      channelId: stack.channelId,
      ts: secret.said.message.ts,
    });
    await eventually(async () => {
      const rows = await stack.database.db
        .select()
        .from(conversationTurnsTable)
        .where(eq(conversationTurnsTable.jobId, secret.job.id));
      return rows.length === 0 ? true : undefined;
    });
    const { job } = await says("hal", "Repeat exactly:\nNext.", { threadTs: root });
    const template = String((await inputOf(job.id)).prompt_template);
    expect(template).toContain("Starting.");
    expect(template).not.toContain("Secret that will be deleted.");
  });

  it("with memory off, a thread reply is not a follow-up any more and nothing is kept", async () => {
    expect(await settings("memory 0")).toContain("Memory is off in this workspace");
    try {
      const first = await stack.command("ivy", "/ask", "Repeat exactly:\nRemember me.");
      await stack.finished(first.jobId);
      const kept = await stack.database.db
        .select()
        .from(conversationTurnsTable)
        .where(eq(conversationTurnsTable.jobId, first.jobId));
      expect(kept).toEqual([]);
    } finally {
      await settings("memory 10");
    }
  });
});
