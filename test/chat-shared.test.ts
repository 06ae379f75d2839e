import { closeOpenFence } from "@replibot/chat";
import { ledgerEntries } from "@replibot/db";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatDriver, discordDriver, slackDriver } from "./helpers/chat-drivers.ts";
import { eventually } from "./helpers/discord-stack.ts";

const options = {
  emulator: { tokensPerSecond: 150, imageStepMs: 100 },
  // Long answers need more than the default max_tokens.
  catalog: (catalog: import("@replibot/replicate").Catalog) => {
    for (const model of catalog.commands.ask.models)
      if (model.adapter === "llama-chat") model.maxOutputTokens = 8_192;
    return catalog;
  },
};

const platforms = [
  { name: "Discord", start: () => discordDriver({ label: "shared-d", ...options }) },
  { name: "Slack", start: () => slackDriver({ label: "shared-s", ...options }) },
];

const withoutFences = (text: string) =>
  text
    .split("\n")
    .filter((line) => !/^ {0,3}(`{3,}|~{3,})/.test(line))
    .join("\n");

describe.each(platforms)("the same Replibot on $name", ({ start }) => {
  let chat: ChatDriver;
  beforeAll(async () => {
    chat = await start();
  });
  afterAll(async () => {
    await chat?.close();
  });

  const outputOf = (predictionId: string | null) =>
    (chat.emulator.control.prediction(predictionId ?? "")!.prediction.output as string[]).join("");

  it("streams an answer by edits and ends with exactly the model's text and its cost", async () => {
    const jobId = await chat.ask(
      "ada",
      "Repeat exactly 40 times:\nThe sky is blue because air scatters blue light. ",
    );
    const job = await chat.finished(jobId);
    expect(job.status).toBe("succeeded");
    expect((await chat.answerShown(jobId)).trim()).toBe(outputOf(job.predictionId).trim());
    const [reply] = await chat.shown(jobId);
    expect(reply!.history.filter((t) => t.endsWith(" ▌")).length).toBeGreaterThanOrEqual(1);
    expect(reply!.text).toMatch(/Llama 3 70B Instruct · \$0\.\d+_?$/);
    expect(reply!.buttons).toEqual([]);
  });

  it("splits a long answer across messages within the platform's limit, code blocks intact", async () => {
    const segment = [
      "Step by step:",
      "```python",
      ...Array.from({ length: 9 }, (_, i) => `def step_${i}(value):\n    return value * ${i} + 1`),
      "```",
      "",
    ].join("\n");
    const jobId = await chat.ask("grace", `Repeat exactly 14 times:\n${segment}`);
    const job = await chat.finished(jobId);
    const answer = outputOf(job.predictionId);
    expect(answer.length).toBeGreaterThan(chat.messageLimit + 500);
    const parts = await chat.shown(jobId);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts) {
      expect(closeOpenFence(part.text)).toBe(part.text);
    }
    const shown = await chat.answerShown(jobId);
    expect(withoutFences(shown).replace(/\s+/g, " ").trim()).toBe(
      withoutFences(answer).replace(/\s+/g, " ").trim(),
    );
  });

  it("posts an image with exactly the emulator's bytes and a Regenerate button", async () => {
    const jobId = await chat.imagine("ivy", "a lighthouse at dusk", 42);
    const job = await chat.finished(jobId);
    expect(job.status).toBe("succeeded");
    const [reply] = await chat.shown(jobId);
    expect(reply!.text).toContain("seed 42");
    expect(reply!.buttons).toEqual([`regenerate:${jobId}`]);
    const [url] = chat.emulator.control.prediction(job.predictionId!)!.prediction.output as string[];
    const expected = Buffer.from(await (await fetch(url!)).arrayBuffer());
    expect(reply!.images).toHaveLength(1);
    expect(Buffer.from(reply!.images[0]!).equals(expected)).toBe(true);
  });

  it("Regenerate works after the app and the worker restart: same prompt, a new seed", async () => {
    const jobId = await chat.imagine("lea", "a red bicycle", 7);
    await chat.finished(jobId);
    await chat.restart();
    const againId = await chat.press("max", jobId, "regenerate");
    const again = await chat.finished(againId);
    expect(again.status).toBe("succeeded");
    expect(again.parentJobId).toBe(jobId);
    expect((again.input as { prompt: string }).prompt).toBe("a red bicycle");
    expect((again.input as { seed: number }).seed).not.toBe(7);
    const [reply] = await chat.shown(againId);
    expect(reply!.images).toHaveLength(1);
  });

  it("Cancel stops the prediction at Replicate and the message says what was charged", async () => {
    const jobId = await chat.ask("alice", "Repeat exactly 400 times:\nA long answer that takes a while. ");
    await eventually(async () => {
      const [reply] = await chat.shown(jobId);
      return reply?.buttons.includes(`cancel:${jobId}`) ? reply : undefined;
    });
    await chat.press("alice", jobId, "cancel");
    const job = await chat.finished(jobId);
    expect(job.status).toBe("canceled");
    expect(chat.emulator.control.prediction(job.predictionId!)!.prediction.status).toBe("canceled");
    const [reply] = await chat.shown(jobId);
    expect(reply!.text).toMatch(/\*{1,2}Cancelled\*{1,2}: (charged \$0\.\d+|not charged)\.$/);
    expect(reply!.buttons).toEqual([]);
  });

  it("shows a model's failure with its reason and what was charged", async () => {
    chat.emulator.control.failNextPredictions({ error: "CUDA out of memory" });
    const jobId = await chat.ask("bob", "Tell me a story");
    const job = await chat.finished(jobId);
    expect(job.status).toBe("failed");
    const [reply] = await chat.shown(jobId);
    expect(reply!.text).toMatch(
      /\*{1,2}Failed\*{1,2}: CUDA out of memory\. (Not charged|Charged \$[\d.]+)\.$/,
    );
  });

  it("ends with one final message and one charge when webhooks arrive twice and out of order", async () => {
    chat.emulator.control.duplicateNextWebhooks(2);
    chat.emulator.control.reorderNextWebhooks(2);
    const ids = await Promise.all([chat.ask("carol", "First question"), chat.ask("dave", "Second question")]);
    const done = await Promise.all(ids.map((id) => chat.finished(id)));
    chat.emulator.control.releaseHeldWebhooks();
    await chat.emulator.control.webhooksIdle();
    const charges = await chat.database.db
      .select()
      .from(ledgerEntries)
      .where(inArray(ledgerEntries.jobId, ids));
    expect(charges).toHaveLength(2);
    for (const job of done) {
      const [reply] = await chat.shown(job.id);
      expect(reply!.text).toMatch(/Llama 3 70B Instruct · \$0\.\d+_?$/);
    }
  });

  it("answers ten concurrent /ask in one place with no rate-limit error", async () => {
    const before = chat.rateLimitHits();
    const ids = await Promise.all(
      Array.from({ length: 10 }, (_, i) => chat.ask(`member${i}`, `Repeat exactly 6 times:\nAnswer ${i}. `)),
    );
    const jobs = await Promise.all(ids.map((id) => chat.finished(id, 60_000)));
    for (const job of jobs) {
      expect(job.status).toBe("succeeded");
      expect((await chat.answerShown(job.id)).trim()).toBe(outputOf(job.predictionId).trim());
      const [charge] = await chat.database.db
        .select()
        .from(ledgerEntries)
        .where(eq(ledgerEntries.jobId, job.id));
      expect(charge).toBeDefined();
    }
    expect(chat.rateLimitHits()).toBe(before);
  });
});
