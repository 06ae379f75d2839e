import { ledgerEntries } from "@replibot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

let stack: DiscordStack;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "control", emulator: { tokensPerSecond: 30 } });
});
afterAll(async () => {
  await stack?.close();
});

const reply = (interactionId: string) => stack.fake.interactionResponse(interactionId)!.original!;

describe("/ask: cancel, failures and misbehaving webhooks", () => {
  it("lets only the asker cancel; the prediction stops at Replicate and the message says what was charged", async () => {
    const { interactionId } = stack.ask(
      "alice",
      `Repeat exactly 40 times:\nA long answer that takes a while. `,
    );
    const streaming = await eventually(() => {
      const message = stack.fake.interactionResponse(interactionId)?.original;
      return message && message.components.length > 0 && message.content.length > 20 ? message : undefined;
    });
    const other = stack.fake.pressButton({
      messageId: streaming.id,
      customId: `cancel:discord-${interactionId}`,
      userId: stack.member("mallory"),
    });
    const refusal = await eventually(
      () => stack.fake.interactionResponse(other.interactionId)?.original ?? undefined,
    );
    expect(refusal.ephemeral).toBe(true);
    expect(refusal.content).toBe("Only the member who asked can cancel this.");

    stack.fake.pressButton({
      messageId: streaming.id,
      customId: `cancel:discord-${interactionId}`,
      userId: stack.member("alice"),
    });
    const job = await stack.finished(interactionId);
    expect(job.status).toBe("canceled");
    expect(stack.emulator.control.prediction(job.predictionId!)!.prediction.status).toBe("canceled");
    const message = reply(interactionId);
    expect(message.content).toMatch(/\*\*Cancelled\*\*: (charged \$0\.\d+|not charged)\.$/);
    expect(message.components).toEqual([]);
    const [charge] = await stack.database.db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.jobId, job.id));
    expect(charge!.predictionStatus).toBe("canceled");
  });

  it("shows the model's failure reason and what was charged", async () => {
    stack.emulator.control.failNextPredictions({ error: "CUDA out of memory" });
    const { interactionId } = stack.ask("bob", "Tell me a story");
    const job = await stack.finished(interactionId);
    expect(job.status).toBe("failed");
    expect(reply(interactionId).content).toMatch(
      /\*\*Failed\*\*: CUDA out of memory\. (Not charged|Charged \$[\d.]+)\.$/,
    );
  });

  it("ends with one final message and one charge when webhooks are duplicated and reordered", async () => {
    stack.emulator.control.duplicateNextWebhooks(2);
    stack.emulator.control.reorderNextWebhooks(2);
    const first = stack.ask("carol", "First question");
    const second = stack.ask("dave", "Second question");
    const jobs = await Promise.all([
      stack.finished(first.interactionId),
      stack.finished(second.interactionId),
    ]);
    stack.emulator.control.releaseHeldWebhooks();
    await stack.emulator.control.webhooksIdle();
    for (const job of jobs) {
      expect(job.status).toBe("succeeded");
      const charges = await stack.database.db
        .select()
        .from(ledgerEntries)
        .where(eq(ledgerEntries.jobId, job.id));
      expect(charges).toHaveLength(1);
      const deliveries = stack.emulator.control.prediction(job.predictionId!)!.webhookDeliveries;
      expect(deliveries.length).toBeGreaterThanOrEqual(1);
    }
    const messages = stack.fake
      .messages(stack.channelId)
      .filter((m) => [first.interactionId, second.interactionId].includes(m.interactionId ?? ""));
    expect(messages).toHaveLength(2);
    for (const message of messages) expect(message.content).toMatch(/-# Llama 3 70B Instruct · \$0\.\d+$/);
    // However the reports arrived, the ledger's sum is exactly what the server's budget says it spent.
    const [sums] = await stack.database.sql`
      select (select sum(cost_nanos) from ledger_entries l where l.tenant_id = b.tenant_id)::text as ledger,
             b.spent_nanos::text as spent
        from budgets b join tenants t on t.id = b.tenant_id where t.external_id = ${stack.guildId}`;
    expect(sums!.ledger).toBe(sums!.spent);
  });
});
