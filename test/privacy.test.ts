import { conversationTurnsTable, getJob, ledgerEntries } from "@replibot/db";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

let stack: DiscordStack;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "privacy" });
});
afterAll(async () => {
  await stack?.close();
});

const db = () => stack.database.db;
const turnsOf = (userId: string) =>
  db().select().from(conversationTurnsTable).where(eq(conversationTurnsTable.userId, userId));

async function ask(user: string, prompt: string) {
  const { interactionId } = stack.ask(user, prompt);
  return stack.finished(interactionId);
}

describe("members' words are kept only as long as needed", () => {
  it("retention deletes old turns and old prompts, keeps newer ones and every cent", async () => {
    const old = await ask("olga", "Repeat exactly:\nAn old question.");
    const recent = await ask("olga", "Repeat exactly:\nA recent question.");
    // Forty days pass for the first job and its turn.
    await db().execute(sql`update jobs set created_at = now() - interval '40 days' where id = ${old.id}`);
    await db().execute(
      sql`update conversation_turns set created_at = now() - interval '40 days' where job_id = ${old.id}`,
    );
    const charges = await db().select().from(ledgerEntries);
    // The sweep runs retention once an hour per deployment: let the next sweep be that one.
    const redis = stack.redis.connect("producer");
    await redis.connect();
    await redis.del(`${stack.redis.prefix}:retention`);
    redis.disconnect();
    const scrubbed = await eventually(async () => {
      const job = await getJob(db(), old.id);
      return (job?.input as { scrubbed?: boolean } | undefined)?.scrubbed ? job : undefined;
    });
    expect(JSON.stringify(scrubbed.input)).not.toContain("old question");
    expect(scrubbed.status).toBe("succeeded");
    expect((await getJob(db(), recent.id))?.input).toMatchObject({
      prompt: "Repeat exactly:\nA recent question.",
    });
    const turns = await turnsOf(old.userId);
    expect(turns.map((turn) => turn.jobId)).toEqual([recent.id]);
    expect(await db().select().from(ledgerEntries)).toEqual(charges);
  });

  it("/forget-me deletes a member's turns and prompts in every server, privately, and only theirs", async () => {
    const mine = [
      await ask("fred", "Repeat exactly:\nForget this."),
      await ask("fred", "Repeat exactly:\nAnd this."),
    ];
    const theirs = await ask("gina", "Repeat exactly:\nKeep mine.");
    const { interactionId } = stack.fake.slashCommand({
      guildId: stack.guildId,
      channelId: stack.channelId,
      userId: stack.member("fred"),
      name: "forget-me",
    });
    const told = await eventually(() => stack.fake.interactionResponse(interactionId)?.original ?? undefined);
    expect(told.ephemeral).toBe(true);
    expect(told.content).toMatch(/^Done: Replibot deleted 2 conversation turns and the words of 2 requests/);
    expect(await turnsOf(stack.member("fred"))).toEqual([]);
    for (const job of mine) expect((await getJob(db(), job.id))?.input).toEqual({ scrubbed: true });
    expect(await turnsOf(stack.member("gina"))).toHaveLength(1);
    expect((await getJob(db(), theirs.id))?.input).toMatchObject({ prompt: "Repeat exactly:\nKeep mine." });
    // The charges stay: the ledger never held words.
    const charged = await db().select().from(ledgerEntries).where(eq(ledgerEntries.jobId, mine[0]!.id));
    expect(charged).toHaveLength(1);
  });
});
