import { getJob } from "@replibot/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

let stack: DiscordStack;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "load", emulator: { tokensPerSecond: 60 } });
});
afterAll(async () => {
  await stack?.close();
});

describe("ten concurrent /ask in one channel", () => {
  it("all finish with their exact answers, and Discord never answers 429", async () => {
    const asks = Array.from({ length: 10 }, (_, i) =>
      stack.fake.slashCommand({
        guildId: stack.guildId,
        channelId: stack.channelId,
        userId: stack.member(`member${i}`),
        name: "ask",
        options: { prompt: `Repeat exactly 20 times:\nAnswer number ${i} goes on. ` },
      }),
    );
    const jobs = await Promise.all(
      asks.map(({ interactionId }) =>
        eventually(
          async () => {
            const job = await getJob(stack.database.db, `discord-${interactionId}`);
            return job?.finalWrittenAt ? job : undefined;
          },
          90_000,
          `job of ${interactionId}`,
        ),
      ),
    );
    for (const [i, job] of jobs.entries()) {
      expect(job.status).toBe("succeeded");
      const answer = (
        stack.emulator.control.prediction(job.predictionId!)!.prediction.output as string[]
      ).join("");
      expect(answer).toContain(`Answer number ${i} goes on.`);
      const message = stack.fake.interactionResponse(asks[i]!.interactionId)!.original!;
      expect(message.content.startsWith(answer)).toBe(true);
      expect(message.content).toMatch(/-# Llama 3 70B Instruct · \$0\.\d+$/);
    }
    expect(stack.fake.rateLimitLog()).toEqual([]);
  });
});
