import { getJob } from "@replibot/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

// The abuse limits at small values, so a few requests reach them: 3 a minute, 1 unfinished job of
// each kind per member, 3 jobs waiting per server.
let stack: DiscordStack;
beforeAll(async () => {
  stack = await startDiscordStack({
    label: "limits-d",
    emulator: { tokensPerSecond: 30 },
    limits: { requestsPerMinute: 3, activePerKind: 1, tenantQueuedMax: 3 },
  });
});
afterAll(async () => {
  await stack?.close();
});

/** A member's command: the private refusal's words, or the interaction id of the job it started. */
async function command(user: string, name: "ask" | "imagine", prompt: string) {
  const { interactionId } = stack.fake.slashCommand({
    guildId: stack.guildId,
    channelId: stack.channelId,
    userId: stack.member(user),
    name,
    options: { prompt },
  });
  const answer = await eventually(() => stack.fake.interactionResponse(interactionId)?.original ?? undefined);
  return answer.ephemeral ? { refused: answer.content, interactionId } : { interactionId };
}

const seconds = (text: string | undefined) => Number(/Try again in (\d+) s\./.exec(text ?? "")?.[1]);

describe("abuse limits on Discord", () => {
  it("one unfinished request of each kind per member: the next waits, with the time to wait", async () => {
    const long = await command("ann", "ask", "Repeat exactly 60 times:\nA slow answer.");
    expect(long.refused).toBeUndefined();
    await eventually(
      async () => (await getJob(stack.database.db, `discord-${long.interactionId}`))?.deadlineAt ?? undefined,
    );
    const second = await command("ann", "ask", "Repeat exactly:\nAnother.");
    expect(second.refused).toMatch(
      /^You already have a \/ask request running; wait for it to finish\. Try again in \d+ s\.$/,
    );
    // The wait is bounded by the running answer's deadline (the model's 60 s run for llama-3-70b is 120 s).
    expect(seconds(second.refused)).toBeGreaterThan(0);
    expect(seconds(second.refused)).toBeLessThanOrEqual(120);
    expect(await getJob(stack.database.db, `discord-${second.interactionId}`)).toBeUndefined();
    // Another kind is another slot.
    const image = await command("ann", "imagine", "a kite");
    expect(image.refused).toBeUndefined();
    await stack.finished(image.interactionId);
    await stack.finished(long.interactionId, 60_000);
  });

  it("at most 3 requests a minute per member, then 'try again in N s'", async () => {
    for (let i = 0; i < 3; i++) {
      const done = await command("ben", "ask", `Repeat exactly:\nQuick ${i}.`);
      expect(done.refused).toBeUndefined();
      await stack.finished(done.interactionId);
    }
    const fourth = await command("ben", "ask", "Repeat exactly:\nOne too many.");
    expect(fourth.refused).toMatch(
      /^You have made 3 requests in the last minute, the most this server allows\. Try again in \d+ s\.$/,
    );
    expect(seconds(fourth.refused)).toBeGreaterThan(0);
    expect(seconds(fourth.refused)).toBeLessThanOrEqual(60);
    // Someone else is not affected.
    expect((await command("cat", "ask", "Repeat exactly:\nMe too.")).refused).toBeUndefined();
  });

  it("at most 3 jobs waiting per server: the next is refused until the queue drains", async () => {
    await stack.worker.close();
    const waiting: string[] = [];
    try {
      for (const user of ["dan", "eve", "fay"]) {
        const queued = await command(user, "ask", "Repeat exactly:\nWaiting.");
        expect(queued.refused).toBeUndefined();
        waiting.push(queued.interactionId);
      }
      const full = await command("gus", "ask", "Repeat exactly:\nNo room.");
      expect(full.refused).toBe("This server already has 3 requests waiting. Try again in 30 s.");
    } finally {
      await stack.startWorker();
    }
    for (const id of waiting) expect((await stack.finished(id)).status).toBe("succeeded");
    expect((await command("gus", "ask", "Repeat exactly:\nRoom now.")).refused).toBeUndefined();
  });
});
