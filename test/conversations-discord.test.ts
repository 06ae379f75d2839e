import { conversationTurnsTable, getJob, holds } from "@replibot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

let stack: DiscordStack;
beforeAll(async () => {
  stack = await startDiscordStack({
    label: "conv-d",
    messageContent: true,
    dmToSelf: true,
    emulator: { tokensPerSecond: 200 },
  });
});
afterAll(async () => {
  await stack?.close();
});

/** An admin (Manage Server) running `/replibot-settings <subcommand>`; returns the private answer. */
function settings(subcommand: string, options: Record<string, string | number | boolean> = {}) {
  const admin = stack.fake.addMember(stack.guildId, { username: "boss", permissions: ["ManageGuild"] });
  const { interactionId } = stack.fake.slashCommand({
    guildId: stack.guildId,
    channelId: stack.channelId,
    userId: admin,
    name: "replibot-settings",
    subcommand,
    options,
  });
  return eventually(() => stack.fake.interactionResponse(interactionId)?.original?.content || undefined);
}

/** The input Replicate received for a job's prediction. */
function inputOf(jobId: string) {
  return getJob(stack.database.db, jobId).then(
    (job) =>
      stack.emulator.control.prediction(job!.predictionId!)!.prediction.input as Record<string, unknown>,
  );
}

/** A member replying to one of the bot's messages; returns the job that reply becomes. */
async function replyTo(user: string, messageId: string, text: string, channelId = stack.channelId) {
  const message = stack.fake.postUserMessage({
    channelId,
    userId: stack.member(user),
    content: text,
    referencedMessageId: messageId,
  });
  const job = await stack.finished(`discord-${message.id}`);
  return { message, job };
}

/** The bot's answer message of a job. */
async function answerOf(jobId: string) {
  const job = await getJob(stack.database.db, jobId);
  return (job!.replyTarget as { messageId: string }).messageId;
}

describe("conversations on Discord", () => {
  it("a reply to an answer continues the conversation: the model gets every earlier turn, in order", async () => {
    const { interactionId } = stack.ask("ada", "Repeat exactly:\nParis is the capital of France.");
    const first = await stack.finished(interactionId);
    const second = await replyTo(
      "ada",
      await answerOf(first.id),
      "Repeat exactly:\nIt has about two million people.",
    );
    expect(second.job.status).toBe("succeeded");
    // The follow-up answer is a reply to the member's message, in the same channel.
    const secondAnswer = stack.fake.message(await answerOf(second.job.id))!;
    expect(secondAnswer.referencedMessageId).toBe(second.message.id);
    expect(secondAnswer.content).toContain("It has about two million people.");
    const third = await replyTo("bob", secondAnswer.id, "Repeat exactly:\nAnd the Seine runs through it.");
    const template = String((await inputOf(third.job.id)).prompt_template);
    const order = ["Paris is the capital of France.", "It has about two million people."].map((text) =>
      template.indexOf(text),
    );
    expect(order[0]).toBeGreaterThan(0);
    expect(order[1]).toBeGreaterThan(order[0]!);
    expect(String((await inputOf(third.job.id)).prompt)).toBe(
      "Repeat exactly:\nAnd the Seine runs through it.",
    );
    expect(template).toContain("{prompt}");
    expect(third.job.conversationId).toBe(first.id);
  });

  it("the spend hold covers the whole context, not just the last question", async () => {
    const { interactionId } = stack.ask("cy", `Repeat exactly:\n${"A long first answer. ".repeat(40)}`);
    const first = await stack.finished(interactionId);
    const { job } = await replyTo("cy", await answerOf(first.id), "Repeat exactly:\nshort");
    const [hold] = await stack.database.db.select().from(holds).where(eq(holds.jobId, job.id));
    const [firstHold] = await stack.database.db.select().from(holds).where(eq(holds.jobId, first.id));
    const template = String((await inputOf(job.id)).prompt_template);
    // Llama 3 70B: $0.65 per million input tokens (650 nano-dollars a token); bytes bound tokens.
    expect(hold!.amountNanos).toBeGreaterThanOrEqual(BigInt(Buffer.byteLength(template)) * 650n);
    expect(hold!.amountNanos).toBeGreaterThan(firstHold!.amountNanos);
  });

  it("remembers after the worker and the bot restart", async () => {
    const { interactionId } = stack.ask("dee", "Repeat exactly:\nThe password is swordfish.");
    const first = await stack.finished(interactionId);
    await stack.restartDiscord();
    await stack.worker.close();
    await stack.startWorker();
    const { job } = await replyTo("dee", await answerOf(first.id), "Repeat exactly:\nWhat was it?");
    expect(String((await inputOf(job.id)).prompt_template)).toContain("The password is swordfish.");
  });

  it("leaves the oldest turns out when the tenant's cap is reached, and says so in one line", async () => {
    const { interactionId } = stack.ask("eve", `Repeat exactly:\nOldest ${"turn text ".repeat(30)}`);
    let job = await stack.finished(interactionId);
    for (const n of [2, 3]) {
      job = (await replyTo("eve", await answerOf(job.id), `Repeat exactly:\nTurn ${n} short.`)).job;
    }
    // Earlier turns capped at 250 tokens (bounded by their bytes): the two short ones fit, the oldest not.
    expect(await settings("memory", { turns: 10, context_tokens: 250 })).toBe(
      "Follow-ups remember the last 10 turns of their conversation, at most 250 tokens of them (older turns are left out first).",
    );
    try {
      const last = await replyTo("eve", await answerOf(job.id), "Repeat exactly:\nFourth.");
      const template = String((await inputOf(last.job.id)).prompt_template);
      expect(template).not.toContain("Oldest");
      expect(template.indexOf("Turn 2 short.")).toBeLessThan(template.indexOf("Turn 3 short."));
      expect(last.job.contextLeftOut).toBe(1);
      const shown = stack.fake.message(await answerOf(last.job.id))!.content;
      expect(shown).toMatch(
        /Fourth\.\n\n-# The oldest turn of this conversation was left out to fit what the model can read\.\n-# Llama 3 70B Instruct · \$0\.\d+$/,
      );
    } finally {
      await settings("memory", { turns: 10 });
    }
  });

  it("a mention asks like /ask, and a DM is answered and remembered (DM_TENANT set)", async () => {
    const mention = stack.fake.postUserMessage({
      channelId: stack.channelIds[1]!,
      userId: stack.member("fay"),
      content: `<@${stack.fake.applicationId}> Repeat exactly:\nMentioned.`,
    });
    const job = await stack.finished(`discord-${mention.id}`);
    expect(job.status).toBe("succeeded");
    expect((await inputOf(job.id)).prompt).toBe("Repeat exactly:\nMentioned.");
    const answer = stack.fake.message(await answerOf(job.id))!;
    expect(answer.referencedMessageId).toBe(mention.id);
    expect(answer.content).toContain("Mentioned.");

    const dm = stack.fake.addDmChannel(stack.member("gus"));
    const one = stack.fake.postUserMessage({
      channelId: dm,
      userId: stack.member("gus"),
      content: "Repeat exactly:\nDM one.",
    });
    await stack.finished(`discord-${one.id}`);
    const two = stack.fake.postUserMessage({
      channelId: dm,
      userId: stack.member("gus"),
      content: "Repeat exactly:\nDM two.",
    });
    const second = await stack.finished(`discord-${two.id}`);
    expect(second.status).toBe("succeeded");
    expect(String((await inputOf(second.id)).prompt_template)).toContain("DM one.");
  });

  it("a deleted message is left out of the next context", async () => {
    const { interactionId } = stack.ask("hal", "Repeat exactly:\nSecret that will be deleted.");
    const first = await stack.finished(interactionId);
    const second = await replyTo("hal", await answerOf(first.id), "Repeat exactly:\nKept turn.");
    stack.fake.deleteMessage(await answerOf(first.id));
    await eventually(async () => {
      const rows = await stack.database.db
        .select()
        .from(conversationTurnsTable)
        .where(eq(conversationTurnsTable.jobId, first.id));
      return rows.length === 0 ? true : undefined;
    });
    const third = await replyTo("hal", await answerOf(second.job.id), "Repeat exactly:\nThird.");
    const template = String((await inputOf(third.job.id)).prompt_template);
    expect(template).not.toContain("Secret that will be deleted.");
    expect(template).toContain("Kept turn.");
  });

  it("where the admin chose threads, each answer gets a thread and anything written in it continues", async () => {
    expect(await settings("threads", { enabled: true })).toBe(
      "Each answer now gets a thread; anything written in it continues that conversation.",
    );
    try {
      const { interactionId } = stack.ask("kai", "Repeat exactly:\nThreads are tidy.");
      const first = await stack.finished(interactionId);
      const thread = await answerOf(first.id);
      // The thread opened on the answer has the answer's id; a plain message there is a follow-up.
      const message = stack.fake.postUserMessage({
        channelId: thread,
        userId: stack.member("kai"),
        content: "Repeat exactly:\nIn the thread.",
      });
      const next = await stack.finished(`discord-${message.id}`);
      expect(String((await inputOf(next.id)).prompt_template)).toContain("Threads are tidy.");
      const answer = stack.fake.message(await answerOf(next.id))!;
      expect(answer.channelId).toBe(thread);
      expect(answer.content).toContain("In the thread.");
    } finally {
      await settings("threads", { enabled: false });
    }
  });

  it("an admin's system prompt replaces the default instructions for every question", async () => {
    expect(await settings("system-prompt", { text: "Answer like a pirate." })).toBe(
      'The language model now gets these instructions in this server: "Answer like a pirate."',
    );
    try {
      const { interactionId } = stack.ask("jo", "Repeat exactly:\nAhoy.");
      const job = await stack.finished(interactionId);
      expect((await inputOf(job.id)).system_prompt).toBe("Answer like a pirate.");
    } finally {
      expect(await settings("system-prompt")).toBe(
        "The language model gets Replibot's default instructions again.",
      );
    }
  });

  it("with memory off, a follow-up is answered alone and nothing is kept", async () => {
    const { interactionId } = stack.ask("ivy", "Repeat exactly:\nRemember me.");
    const first = await stack.finished(interactionId);
    expect(await settings("memory", { turns: 0 })).toContain("Memory is off in this server");
    try {
      const { job } = await replyTo("ivy", await answerOf(first.id), "Repeat exactly:\nDo you?");
      expect(job.status).toBe("succeeded");
      expect((await inputOf(job.id)).prompt_template).toBeUndefined();
      const kept = await stack.database.db
        .select()
        .from(conversationTurnsTable)
        .where(eq(conversationTurnsTable.jobId, job.id));
      expect(kept).toEqual([]);
    } finally {
      await settings("memory", { turns: 10 });
    }
  });
});
