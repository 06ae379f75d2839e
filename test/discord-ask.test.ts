import { closeOpenFence } from "@replibot/chat";
import { jobs } from "@replibot/db";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

let stack: DiscordStack;
beforeAll(async () => {
  stack = await startDiscordStack({
    label: "ask",
    emulator: { tokensPerSecond: 150 },
    // Long answers need more than the default max_tokens.
    catalog: (catalog) => {
      for (const model of catalog.commands.ask.models)
        if (model.adapter === "llama-chat") model.maxOutputTokens = 8_192;
      return catalog;
    },
  });
});
afterAll(async () => {
  await stack?.close();
});

/** The messages of one answer: the reply, then its follow-ups, in order. */
function answerMessages(interactionId: string) {
  const view = stack.fake.interactionResponse(interactionId)!;
  return [view.original!, ...view.followUps];
}

const withoutFences = (text: string) =>
  text
    .split("\n")
    .filter((line) => !/^ {0,3}(`{3,}|~{3,})/.test(line))
    .join("\n");

describe("/ask on Discord", () => {
  it("streams the answer by edits and ends with exactly the model's text", async () => {
    const userId = stack.member("ada");
    const { interactionId } = stack.fake.slashCommand({
      guildId: stack.guildId,
      channelId: stack.channelId,
      userId,
      name: "ask",
      options: {
        prompt: "Repeat exactly 20 times:\nThe sky is blue because air scatters blue light the most. ",
      },
    });
    const job = await stack.finished(interactionId);
    expect(job.status).toBe("succeeded");
    const prediction = stack.emulator.control.prediction(job.predictionId!)!.prediction;
    const answer = (prediction.output as string[]).join("");
    const message = stack.fake.messages(stack.channelId).find((m) => m.interactionId === interactionId)!;
    expect(message.content.startsWith(answer)).toBe(true);
    expect(message.content).toMatch(/\n\n-# Llama 3 70B Instruct · \$0\.\d+$/);
    const interim = message.contentHistory.filter((c) => c.endsWith(" ▌"));
    expect(interim.length).toBeGreaterThanOrEqual(2);
    expect(message.components).toEqual([]);
    expect(stack.fake.rateLimitHits()).toBe(0);
  });

  it("delivers a 5,000-character answer complete across messages, code blocks closed and reopened", async () => {
    const segment = [
      "Here is one more step of the program:",
      "```python",
      ...Array.from(
        { length: 9 },
        (_, i) => `def step_${i}(value):\n    return value * ${i} + len("padding text")`,
      ),
      "```",
      "",
    ].join("\n");
    const { interactionId } = stack.fake.slashCommand({
      guildId: stack.guildId,
      channelId: stack.channelId,
      userId: stack.member("grace"),
      name: "ask",
      options: { prompt: `Repeat exactly 10 times:\n${segment}` },
    });
    const job = await stack.finished(interactionId);
    const answer = (stack.emulator.control.prediction(job.predictionId!)!.prediction.output as string[]).join(
      "",
    );
    expect(answer.length).toBeGreaterThan(5_000);
    const parts = answerMessages(interactionId);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) {
      expect(part.content.length).toBeLessThanOrEqual(2_000);
      expect(closeOpenFence(part.content)).toBe(part.content);
    }
    const shown = parts.map((p) => p.content).join("");
    expect(job.status).toBe("succeeded");
    expect(withoutFences(shown.slice(0, shown.lastIndexOf("\n\n-# ")))).toBe(withoutFences(answer));
    expect(parts.filter((p) => /^```python\n/.test(p.content)).length).toBeGreaterThanOrEqual(1);
  });

  it("answers bad input privately with the reason, and creates no job", async () => {
    const before = (await stack.database.db.select({ n: count() }).from(jobs))[0]!.n;
    const userId = stack.member("eve");
    const empty = stack.fake.slashCommand({
      guildId: stack.guildId,
      channelId: stack.channelId,
      userId,
      name: "ask",
      options: { prompt: "   " },
    });
    const unknownModel = stack.fake.slashCommand({
      guildId: stack.guildId,
      channelId: stack.channelId,
      userId,
      name: "ask",
      options: { prompt: "hi", model: "gpt-9" },
    });
    const answerOf = (id: string) =>
      eventually(() =>
        stack.fake
          .messages(stack.channelId, { as: userId })
          .find((m) => m.interactionId === id && m.ephemeral),
      );
    expect((await answerOf(empty.interactionId)).content).toBe(
      "Your prompt is empty: type a question after `/ask`.",
    );
    expect((await answerOf(unknownModel.interactionId)).content).toMatch(
      /^There is no model `gpt-9` here\. Choose one of: `llama-3-70b`/,
    );
    const after = (await stack.database.db.select({ n: count() }).from(jobs))[0]!.n;
    expect(after).toBe(before);
  });
});
