import {
  addMessageKeys,
  conversationOfMessage,
  conversationTurns,
  deleteWordsPastRetention,
  dropTurnsWithMessage,
  getJob,
  getTenant,
  insertJob,
  type NewConversationTurn,
  saveTurn,
  setJobContext,
  setMemory,
  setSystemPrompt,
  upsertTenant,
} from "@replibot/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/test-database.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("conversations");
});
afterAll(async () => {
  await t.drop();
});

let jobCounter = 0;

/** A queued `/ask` job of `tenantId` in `conversationId`, and the turn it would save. */
async function askJob(
  tenantId: string,
  conversationId: string,
  prompt: string,
  messageKeys: string[] = [],
): Promise<NewConversationTurn> {
  jobCounter += 1;
  const id = `conv-job-${jobCounter}`;
  const inserted = await insertJob(t.db, {
    id,
    tenantId,
    userId: "u1",
    kind: "ask",
    model: "llama-3-8b",
    input: { prompt },
    conversationId,
    replyTarget: { platform: "console", conversationId, messageId: `m${jobCounter}` },
  });
  expect(inserted).toBe(true);
  return {
    tenantId,
    conversationId,
    jobId: id,
    userId: "u1",
    prompt,
    answer: `answer to ${prompt}`,
    model: "llama-3-8b",
    inputTokens: 12,
    outputTokens: 34,
    messageKeys,
  };
}

async function tenant(externalId: string) {
  return upsertTenant(t.db, "discord", externalId, externalId);
}

describe("conversation turns in Postgres", () => {
  it("saves a turn once per job: a retried save changes nothing but adds missing message keys", async () => {
    const guild = await tenant("guild-idem");
    const turn = await askJob(guild.id, "conv-idem", "first", ["discord:100"]);
    expect(await saveTurn(t.db, turn)).toBe(true);
    expect(await saveTurn(t.db, { ...turn, answer: "a different answer" })).toBe(false);
    expect(await saveTurn(t.db, { ...turn, messageKeys: ["discord:100", "discord:101"] })).toBe(false);

    const turns = await conversationTurns(t.db, "conv-idem", 10);
    expect(turns).toHaveLength(1);
    expect(turns[0]).toMatchObject({
      jobId: turn.jobId,
      tenantId: guild.id,
      userId: "u1",
      prompt: "first",
      answer: "answer to first",
      model: "llama-3-8b",
      inputTokens: 12,
      outputTokens: 34,
      messageKeys: ["discord:100", "discord:101"],
    });
    expect(turns[0]!.createdAt).toBeInstanceOf(Date);
  });

  it("returns the newest turns of a conversation, oldest first, at most the limit", async () => {
    const guild = await tenant("guild-order");
    for (const prompt of ["one", "two", "three", "four"]) {
      expect(await saveTurn(t.db, await askJob(guild.id, "conv-order", prompt))).toBe(true);
    }
    await saveTurn(t.db, await askJob(guild.id, "conv-other", "elsewhere"));

    const prompts = async (limit: number) =>
      (await conversationTurns(t.db, "conv-order", limit)).map((turn) => turn.prompt);
    expect(await prompts(10)).toEqual(["one", "two", "three", "four"]);
    expect(await prompts(2)).toEqual(["three", "four"]);
    expect(await prompts(0)).toEqual([]);
    expect(await conversationTurns(t.db, "conv-missing", 5)).toEqual([]);
  });

  it("finds a message's conversation within its tenant only, including keys added later", async () => {
    const mine = await tenant("guild-lookup-a");
    const theirs = await tenant("guild-lookup-b");
    const turn = await askJob(mine.id, "conv-lookup", "hello", ["slack:T1:C1:1700000000.000100"]);
    await saveTurn(t.db, turn);

    expect(await conversationOfMessage(t.db, mine.id, "slack:T1:C1:1700000000.000100")).toEqual({
      conversationId: "conv-lookup",
    });
    expect(await conversationOfMessage(t.db, theirs.id, "slack:T1:C1:1700000000.000100")).toBeUndefined();
    expect(await conversationOfMessage(t.db, mine.id, "slack:T1:C1:1700000000.000200")).toBeUndefined();

    expect(
      await addMessageKeys(t.db, turn.jobId, [
        "slack:T1:C1:1700000000.000200",
        "slack:T1:C1:1700000000.000100",
        "slack:T1:C1:1700000000.000200",
      ]),
    ).toBe(true);
    expect(await conversationOfMessage(t.db, mine.id, "slack:T1:C1:1700000000.000200")).toEqual({
      conversationId: "conv-lookup",
    });
    const [saved] = await conversationTurns(t.db, "conv-lookup", 1);
    expect(saved!.messageKeys).toEqual(["slack:T1:C1:1700000000.000100", "slack:T1:C1:1700000000.000200"]);
    expect(await addMessageKeys(t.db, "no-such-job", ["discord:1"])).toBe(false);
  });

  it("drops the turns whose question or answer message was deleted, and only those", async () => {
    const guild = await tenant("guild-drop");
    await saveTurn(t.db, await askJob(guild.id, "conv-drop", "kept", ["discord:200", "discord:201"]));
    await saveTurn(t.db, await askJob(guild.id, "conv-drop", "deleted", ["discord:202", "discord:203"]));
    await saveTurn(t.db, await askJob(guild.id, "conv-drop", "also kept", ["discord:204"]));

    expect(await dropTurnsWithMessage(t.db, "discord:203")).toBe(1);
    expect(await dropTurnsWithMessage(t.db, "discord:203")).toBe(0);
    expect((await conversationTurns(t.db, "conv-drop", 10)).map((turn) => turn.prompt)).toEqual([
      "kept",
      "also kept",
    ]);
    expect(await conversationOfMessage(t.db, guild.id, "discord:202")).toBeUndefined();
  });

  it("retention deletes the turns older than the tenant's retention", async () => {
    const guild = await tenant("guild-retention");
    const old = await askJob(guild.id, "conv-retention", "old");
    const recent = await askJob(guild.id, "conv-retention", "recent");
    await saveTurn(t.db, old);
    await saveTurn(t.db, recent);
    await t.sql`update conversation_turns set created_at = now() - interval '31 days' where job_id = ${old.jobId}`;

    const retention = { now: new Date(), defaultRetentionMs: 30 * 24 * 3600 * 1000 };
    expect((await deleteWordsPastRetention(t.db, retention)).turns).toBe(1);
    expect((await deleteWordsPastRetention(t.db, retention)).turns).toBe(0);
    expect((await conversationTurns(t.db, "conv-retention", 10)).map((turn) => turn.prompt)).toEqual([
      "recent",
    ]);
  });

  it("deleting a job or its tenant takes its turns with it", async () => {
    const guild = await tenant("guild-cascade");
    const turn = await askJob(guild.id, "conv-cascade", "bye");
    await saveTurn(t.db, turn);
    await t.sql`delete from jobs where id = ${turn.jobId}`;
    expect(await conversationTurns(t.db, "conv-cascade", 10)).toEqual([]);
  });

  it("stores a tenant's memory and system prompt settings and a job's context counts", async () => {
    const guild = await tenant("guild-settings");
    expect(guild).toMatchObject({ memoryTurns: 10, contextTokenCap: null, systemPrompt: null });

    await setMemory(t.db, guild.id, { turns: 0, contextTokenCap: 2000 });
    await setSystemPrompt(t.db, guild.id, "Talk like a pirate.");
    expect(await getTenant(t.db, guild.id)).toMatchObject({
      memoryTurns: 0,
      contextTokenCap: 2000,
      systemPrompt: "Talk like a pirate.",
    });

    await setMemory(t.db, guild.id, { turns: 5 });
    expect(await getTenant(t.db, guild.id)).toMatchObject({ memoryTurns: 5, contextTokenCap: 2000 });
    await setMemory(t.db, guild.id, { turns: 5, contextTokenCap: null });
    await setSystemPrompt(t.db, guild.id, null);
    expect(await getTenant(t.db, guild.id)).toMatchObject({ contextTokenCap: null, systemPrompt: null });
    await expect(setMemory(t.db, guild.id, { turns: -1 })).rejects.toThrow();

    const turn = await askJob(guild.id, "conv-settings", "with context");
    expect(await getJob(t.db, turn.jobId)).toMatchObject({
      conversationId: "conv-settings",
      contextTurns: 0,
      contextLeftOut: 0,
    });
    await setJobContext(t.db, turn.jobId, { turns: 3, leftOut: 2 });
    expect(await getJob(t.db, turn.jobId)).toMatchObject({ contextTurns: 3, contextLeftOut: 2 });
  });
});
