import { getJob, holds, insertJob, jobs, placeHold, upsertTenant } from "@replibot/db";
import { createReplicateClient } from "@replibot/replicate";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

let stack: DiscordStack;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "reconciler", emulator: { tokensPerSecond: 20 } });
});
afterAll(async () => {
  await stack?.close();
});

describe("the reconciler", () => {
  it("cancels a prediction past its deadline, and the member reads that it timed out", async () => {
    const { interactionId } = stack.fake.slashCommand({
      guildId: stack.guildId,
      channelId: stack.channelId,
      userId: stack.member("tim"),
      name: "ask",
      options: { prompt: "Repeat exactly 80 times:\nnever ending story " },
    });
    const jobId = `discord-${interactionId}`;
    await eventually(async () =>
      (await getJob(stack.database.db, jobId))?.status === "running" ? true : undefined,
    );
    // As if the deadline had come and Replicate had not cancelled it itself.
    await stack.database.db
      .update(jobs)
      .set({ deadlineAt: new Date(Date.now() - 1_000) })
      .where(eq(jobs.id, jobId));
    const job = await stack.finished(jobId);
    expect(job.status).toBe("timed_out");
    expect(stack.emulator.control.prediction(job.predictionId!)!.prediction.status).toBe("canceled");
    expect(stack.fake.interactionResponse(interactionId)!.original!.content).toMatch(
      /\*\*Timed out\*\* before the model finished: (charged \$0\.\d+|not charged)\.$/,
    );
  });

  it("finds the prediction of a job that died between creating and recording it, without creating another", async () => {
    const tenant = await upsertTenant(stack.database.db, "discord", stack.guildId);
    const jobId = "discord-died-while-creating";
    await insertJob(stack.database.db, {
      id: jobId,
      tenantId: tenant.id,
      userId: stack.member("una"),
      kind: "ask",
      model: "llama-3-8b",
      input: { prompt: "hello", model: "llama-3-8b" },
      // The interaction token is long gone: the answer arrives as a new message from the bot.
      replyTarget: {
        platform: "discord",
        applicationId: stack.fake.applicationId,
        interactionToken: "expired-token",
        channelId: stack.channelId,
        messageId: "@original",
        tokenExpiresAtMs: 1,
      },
    });
    await placeHold(stack.database.db, {
      jobId,
      tenantId: tenant.id,
      userId: "una",
      period: new Date().toISOString().slice(0, 7),
      amountNanos: 1_000_000n,
      limitNanos: 5_000_000_000n,
    });
    await stack.database.db.update(jobs).set({ status: "creating" }).where(eq(jobs.id, jobId));
    stack.emulator.control.dropNextWebhooks(1);
    const replicate = createReplicateClient({ baseUrl: stack.emulator.baseUrl, token: "r8_test" });
    const prediction = await replicate.createPrediction({
      target: { model: "meta/meta-llama-3-8b-instruct" },
      input: { prompt: "hello", max_tokens: 64 },
      webhook: `${stack.webhooks.url}/webhooks/replicate?job=${jobId}`,
      webhookEventsFilter: ["completed"],
    });
    const before = stack.emulator.control.predictions().length;
    const job = await stack.finished(jobId);
    expect(job.predictionId).toBe(prediction.id);
    expect(job.status).toBe("succeeded");
    expect(stack.emulator.control.predictions()).toHaveLength(before);
    const answer = (stack.emulator.control.prediction(prediction.id)!.prediction.output as string[]).join("");
    const posted = stack.fake
      .messages(stack.channelId)
      .find((m) => m.content.startsWith(answer) && m.author.bot);
    expect(posted?.content).toMatch(/-# Llama 3 8B Instruct · \$0\.\d+$/);
  });

  it("releases the hold of a job that ended without settling it", async () => {
    const tenant = await upsertTenant(stack.database.db, "discord", stack.guildId);
    const jobId = "discord-ended-with-hold";
    await insertJob(stack.database.db, {
      id: jobId,
      tenantId: tenant.id,
      userId: "vic",
      kind: "ask",
      input: { prompt: "x" },
      replyTarget: {
        platform: "discord",
        applicationId: stack.fake.applicationId,
        interactionToken: "t",
        channelId: stack.channelId,
        messageId: "@original",
        tokenExpiresAtMs: 1,
      },
    });
    const period = new Date().toISOString().slice(0, 7);
    await placeHold(stack.database.db, {
      jobId,
      tenantId: tenant.id,
      userId: "vic",
      period,
      amountNanos: 7_000_000n,
      limitNanos: 5_000_000_000n,
    });
    await stack.database.db
      .update(jobs)
      .set({ status: "failed", finalWrittenAt: sql`now()` })
      .where(eq(jobs.id, jobId));
    const hold = await eventually(async () => {
      const [row] = await stack.database.db.select().from(holds).where(eq(holds.jobId, jobId));
      return row?.status === "released" ? row : undefined;
    });
    expect(hold.closedAt).not.toBeNull();
  });
});
