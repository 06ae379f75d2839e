import { getJob, jobs, tenants } from "@replibot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

let stack: DiscordStack;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "imagine", emulator: { imageStepMs: 250 } });
});
afterAll(async () => {
  await stack?.close();
});

const original = (interactionId: string) => stack.fake.interactionResponse(interactionId)!.original!;

describe("/imagine on Discord", () => {
  it("shows progress with a percentage, then posts the emulator's exact image with prompt, seed and model", async () => {
    const { interactionId } = stack.imagine("ivy", {
      prompt: "a lighthouse at dusk",
      aspect_ratio: "16:9",
      seed: 42,
    });
    const job = await stack.finished(interactionId);
    expect(job.status).toBe("succeeded");
    const message = original(interactionId);
    expect(message.contentHistory.some((c) => /Drawing… \d+%/.test(c))).toBe(true);
    expect(message.content).toMatch(
      /^\*\*a lighthouse at dusk\*\*\n-# FLUX\.1 \[schnell\] · seed 42 · \$0\.003$/,
    );
    expect(message.attachments).toHaveLength(1);
    const [url] = stack.emulator.control.prediction(job.predictionId!)!.prediction.output as string[];
    const expected = new Uint8Array(await (await fetch(url!)).arrayBuffer());
    expect(Buffer.from(message.attachments[0]!.bytes).equals(Buffer.from(expected))).toBe(true);
    expect(message.attachments[0]!.contentType).toBe("image/webp");
    expect(message.components).toHaveLength(1);
    expect(JSON.stringify(message.components)).toContain(`regenerate:discord-${interactionId}`);
  });

  it("says the model is starting during a cold start", async () => {
    stack.emulator.control.forceColdStart({ ms: 1_500 });
    const { interactionId } = stack.imagine("jon", { prompt: "a cold morning" });
    await stack.finished(interactionId);
    expect(original(interactionId).contentHistory.some((c) => c.includes("The model is starting"))).toBe(
      true,
    );
  });

  it("reports an unsafe image as withheld for safety, with no attachment", async () => {
    const { interactionId } = stack.imagine("kim", { prompt: "something nsfw-trigger here" });
    const job = await stack.finished(interactionId);
    expect(job.status).toBe("failed");
    const message = original(interactionId);
    expect(message.content).toMatch(
      /\*\*Withheld for safety\*\*: the model flagged this image as unsafe, so it was not posted\. (Not charged|Charged \$[\d.]+)\.$/,
    );
    expect(message.attachments).toEqual([]);
  });

  it("Regenerate still works after the worker and the bot restart: same prompt, new seed, charged to the presser's server", async () => {
    const first = stack.imagine("lea", { prompt: "a red bicycle", seed: 7 });
    const job = await stack.finished(first.interactionId);
    await stack.restartDiscord();
    await stack.worker.close();
    await stack.startWorker();
    const press = stack.fake.pressButton({
      messageId: original(first.interactionId).id,
      customId: `regenerate:${job.id}`,
      userId: stack.member("max"),
    });
    const again = await stack.finished(press.interactionId);
    expect(again.status).toBe("succeeded");
    expect(again.parentJobId).toBe(job.id);
    expect(again.userId).toBe(stack.member("max"));
    expect(again.tenantId).toBe(job.tenantId);
    expect((again.input as { prompt: string }).prompt).toBe("a red bicycle");
    expect((again.input as { seed: number }).seed).not.toBe(7);
    const reply = stack.fake.interactionResponse(press.interactionId)!.original!;
    expect(reply.attachments).toHaveLength(1);
    expect(reply.content).toMatch(/^\*\*a red bicycle\*\*\n-# FLUX\.1 \[schnell\] · seed \d+ · \$0\.003$/);
  });

  it("ends as a clear failure when the image expired before it could be downloaded", async () => {
    const { interactionId } = stack.imagine("ned", { prompt: "a slow painting" });
    const jobId = `discord-${interactionId}`;
    await eventually(async () =>
      (await getJob(stack.database.db, jobId))?.status === "running" ? true : undefined,
    );
    stack.emulator.control.dropNextWebhooks(1);
    await stack.worker.close();
    const predictionId = (await getJob(stack.database.db, jobId))!.predictionId!;
    await eventually(() =>
      stack.emulator.control.prediction(predictionId)!.prediction.status === "succeeded" ? true : undefined,
    );
    stack.emulator.control.advanceClock(61 * 60_000);
    await stack.startWorker();
    const job = await stack.finished(jobId);
    expect(job.status).toBe("failed");
    const message = original(interactionId);
    expect(message.content).toMatch(
      /\*\*Failed\*\*: the image expired at Replicate before it could be downloaded\. Charged \$0\.003\.$/,
    );
    expect(message.attachments).toEqual([]);
    const [row] = await stack.database.db.select().from(jobs).where(eq(jobs.id, jobId));
    expect(row!.error).toBe("the image expired at Replicate before it could be downloaded");
  });

  it("shows a member's place in the queue while every worker is busy", async () => {
    await stack.worker.close();
    let asks: { interactionId: string }[] = [];
    try {
      // A channel of its own: earlier tests spent the first channel's interim budget, and notices are best effort.
      asks = ["oli", "pam", "quin"].map((user, i) =>
        stack.imagine(user, { prompt: `queued picture ${i}` }, stack.channelIds[3]),
      );
      // The three are handled concurrently, so who is last in the queue is not known in advance.
      const positions = await eventually(() => {
        const shown = asks.map(
          (ask) => stack.fake.interactionResponse(ask.interactionId)?.original?.content ?? "",
        );
        const numbers = shown
          .flatMap((content) => /^Queued: (\d+) ahead of you\.$/.exec(content)?.[1] ?? [])
          .map(Number);
        return numbers.some((n) => n >= 2) ? numbers : undefined;
      });
      // Counted as each is queued, concurrently: a place is approximate, but never beyond the others waiting.
      // (The reconciler's own scheduled sweep may be waiting too: one more at most.)
      for (const n of positions) expect(n).toBeLessThanOrEqual(asks.length);
      expect(Math.max(...positions)).toBeGreaterThanOrEqual(2);
    } finally {
      await stack.startWorker();
    }
    for (const ask of asks) expect((await stack.finished(ask.interactionId)).status).toBe("succeeded");
  });

  it("answers a button on a job the server can no longer afford with the spend-limit message", async () => {
    const first = stack.imagine("rae", { prompt: "an expensive taste" }, stack.channelIds[4]);
    const job = await stack.finished(first.interactionId);
    await stack.database.db
      .update(tenants)
      .set({ monthlyLimitNanos: 0n })
      .where(eq(tenants.id, job.tenantId));
    try {
      const press = stack.fake.pressButton({
        messageId: original(first.interactionId).id,
        customId: `regenerate:${job.id}`,
        userId: stack.member("sam"),
      });
      const refused = await stack.finished(press.interactionId);
      expect(refused.status).toBe("refused");
      expect(stack.fake.interactionResponse(press.interactionId)!.original!.content).toMatch(
        /^This server has reached its monthly spend limit of \$0\.00 \(resets on [A-Z][a-z]+ 1\)\.$/,
      );
      expect(
        stack.emulator.control.predictions().filter((p) => p.prediction.webhook?.includes(refused.id)),
      ).toEqual([]);
    } finally {
      await stack.database.db
        .update(tenants)
        .set({ monthlyLimitNanos: null })
        .where(eq(tenants.id, job.tenantId));
    }
  });
});
