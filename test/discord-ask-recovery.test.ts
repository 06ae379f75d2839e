import { createLogger } from "@replibot/core";
import { getJob } from "@replibot/db";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

let stack: DiscordStack;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "recovery", emulator: { tokensPerSecond: 40 } });
});
afterAll(async () => {
  await stack?.close();
});

describe("/ask recovers", () => {
  it("completes through the reconciler when the stream breaks and the webhook never comes", async () => {
    stack.emulator.control.dropNextWebhooks(1);
    const { interactionId } = stack.ask("ann", "Repeat exactly 30 times:\nword after word ");
    await eventually(
      () => (stack.fake.interactionResponse(interactionId)?.original?.content.length ?? 0) > 10 || undefined,
    );
    expect(stack.emulator.control.cutStreams()).toBeGreaterThan(0);
    const job = await stack.finished(interactionId);
    expect(job.status).toBe("succeeded");
    const prediction = stack.emulator.control.prediction(job.predictionId!)!;
    expect(prediction.webhookDeliveries.every((d) => d.outcome === "dropped")).toBe(true);
    const answer = (prediction.prediction.output as string[]).join("");
    expect(stack.fake.interactionResponse(interactionId)!.original!.content.startsWith(answer)).toBe(true);
  });

  it("runs a job queued in Postgres whose Redis entry was lost", async () => {
    await stack.worker.close();
    const { interactionId } = stack.ask("ben", "Are you still there?");
    const jobId = `discord-${interactionId}`;
    await eventually(async () => (await getJob(stack.database.db, jobId))?.status === "queued" || undefined);
    const queue = new Queue("jobs", {
      connection: stack.redis.connect("worker"),
      prefix: stack.redis.prefix,
    });
    await queue.obliterate({ force: true });
    expect(await queue.getJob(`run-${jobId}`)).toBeUndefined();
    await queue.close();
    await stack.startWorker();
    const job = await stack.finished(interactionId);
    expect(job.status).toBe("succeeded");
  });

  it("writes with the bot token once the 15-minute interaction token has expired", async () => {
    const { interactionId } = stack.ask("cat", "Repeat exactly 60 times:\nslowly now ");
    const first = await eventually(() => {
      const message = stack.fake.interactionResponse(interactionId)?.original;
      return message && message.content.length > 10 ? message : undefined;
    });
    stack.fake.clock.advance(15 * 60_000 + 1_000);
    const job = await stack.finished(interactionId);
    expect(job.status).toBe("succeeded");
    const answer = (stack.emulator.control.prediction(job.predictionId!)!.prediction.output as string[]).join(
      "",
    );
    const message = stack.fake.message(first.id)!;
    expect(message.content.startsWith(answer)).toBe(true);
    const botWrites = stack.fake
      .requests()
      .filter(
        (r) => r.method === "PATCH" && r.path.includes(`/channels/${stack.channelId}/messages/${first.id}`),
      );
    expect(botWrites.length).toBeGreaterThan(0);
    expect(botWrites.every((r) => r.status === 200)).toBe(true);
  });
});

describe("a worker stopping mid-answer", () => {
  it("hands the relay back within 10 s; another worker finishes the same prediction", async () => {
    const { interactionId } = stack.ask("dora", "Repeat exactly 60 times:\nstill streaming ");
    const jobId = `discord-${interactionId}`;
    await eventually(
      () => (stack.fake.interactionResponse(interactionId)?.original?.content.length ?? 0) > 20 || undefined,
    );
    const stopping = Date.now();
    await stack.worker.close();
    expect(Date.now() - stopping).toBeLessThan(10_000);
    const midway = await getJob(stack.database.db, jobId);
    expect(midway?.status).toBe("running");
    await stack.startWorker();
    const job = await stack.finished(interactionId);
    expect(job.status).toBe("succeeded");
    const ours = stack.emulator.control
      .predictions()
      .filter((p) => p.prediction.webhook?.endsWith(`job=${encodeURIComponent(jobId)}`));
    expect(ours).toHaveLength(1);
    const answer = (ours[0]!.prediction.output as string[]).join("");
    expect(stack.fake.interactionResponse(interactionId)!.original!.content.startsWith(answer)).toBe(true);
  });
});

describe("Discord refusing the Message Content intent", () => {
  it("reconnects without it (close code 4014), says so in the log, and still answers /ask", async () => {
    const lines: string[] = [];
    const degraded = await startDiscordStack({
      label: "intent",
      fake: { refuseIntents: ["MessageContent"] },
      messageContent: true,
      logger: createLogger({
        name: "intent",
        level: "warn",
        destination: { write: (line: string) => lines.push(line) } as never,
      }),
    });
    try {
      expect(degraded.discord.bot.messageContent()).toBe(false);
      expect(lines.join("")).toContain("Discord refused the Message Content intent (close code 4014)");
      const { interactionId } = degraded.fake.slashCommand({
        guildId: degraded.guildId,
        channelId: degraded.channelId,
        userId: degraded.member("dan"),
        name: "ask",
        options: { prompt: "Still working?" },
      });
      const job = await eventually(async () => {
        const row = await getJob(degraded.database.db, `discord-${interactionId}`);
        return row?.finalWrittenAt ? row : undefined;
      });
      expect(job.status).toBe("succeeded");
      const connected = degraded.fake.gatewaySessions().filter((session) => session.connected);
      // The session that stayed up asked for no Message Content (intent bit 15).
      expect(connected).toHaveLength(1);
      expect(connected[0]!.intents & (1 << 15)).toBe(0);
    } finally {
      await degraded.close();
    }
  });
});
