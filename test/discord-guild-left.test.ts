import { getJob, holds } from "@replibot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

let stack: DiscordStack;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "guild-left", emulator: { tokensPerSecond: 20 } });
});
afterAll(async () => {
  await stack?.close();
});

describe("leaving a Discord server", () => {
  it("GUILD_DELETE cancels the server's queued and running jobs and releases every hold", async () => {
    const long = stack.ask("ann", "Repeat exactly 80 times:\nStill talking.");
    await eventually(async () =>
      (await getJob(stack.database.db, `discord-${long.interactionId}`))?.status === "running"
        ? true
        : undefined,
    );
    await stack.worker.close();
    const queued = [
      stack.ask("bob", "Repeat exactly:\nWaiting one."),
      stack.ask("cat", "Repeat exactly:\nWaiting two."),
    ];
    for (const { interactionId } of queued) {
      await eventually(
        async () => (await getJob(stack.database.db, `discord-${interactionId}`)) ?? undefined,
      );
    }
    stack.fake.dispatch("GUILD_DELETE", { id: stack.guildId });
    for (const { interactionId } of queued) {
      const job = await eventually(async () => {
        const found = await getJob(stack.database.db, `discord-${interactionId}`);
        return found?.status === "canceled" ? found : undefined;
      });
      expect(job.error).toBe("bot removed from the server");
    }
    await stack.startWorker();
    const running = await stack.finished(`discord-${long.interactionId}`);
    expect(running.status).toBe("canceled");
    const open = await stack.database.db.select().from(holds).where(eq(holds.status, "held"));
    expect(open).toEqual([]);
    const [hold] = await stack.database.db.select().from(holds).where(eq(holds.jobId, running.id));
    expect(hold?.status).toBe("settled");
  });
});
