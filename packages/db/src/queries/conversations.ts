import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";
import { conversationTurnsTable, jobs, tenants } from "../schema.ts";
import { storableText } from "../storable.ts";

/** A stored turn of a conversation. */
export type ConversationTurn = typeof conversationTurnsTable.$inferSelect;

/** What the worker saves once an `/ask` in a conversation has its answer. */
export interface NewConversationTurn {
  tenantId: string;
  conversationId: string;
  /** The job that answered; a turn is saved once per job. */
  jobId: string;
  userId: string;
  prompt: string;
  answer: string;
  /** The model that answered (as the job names it). */
  model: string;
  inputTokens?: number | null;
  outputTokens?: number | null;
  /** Platform keys of the question's and the answer's messages, e.g. `discord:123`. */
  messageKeys?: readonly string[];
}

/** A tenant's conversation memory as an admin sets it. */
export interface MemorySettings {
  /** Earlier turns remembered per conversation; 0 turns memory off. */
  turns: number;
  /**
   * The cap on the tokens of the earlier turns a request carries (see `fitConversation`); null means
   * only the model's window limits them; absent leaves the setting as it is.
   */
  contextTokenCap?: number | null;
}

/** A `text[]` literal of `values` (an empty array too), as one SQL expression. */
function textArray(values: readonly string[]): SQL {
  if (values.length === 0) return sql`'{}'::text[]`;
  return sql`array[${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )}]::text[]`;
}

/** `keys` without repeats, first occurrence kept. */
function dedupe(keys: readonly string[]): string[] {
  return [...new Set(keys)];
}

/**
 * Saves a turn; once per job: when the job's turn exists (a retried completion) nothing changes but
 * its message keys, which gain any of `turn.messageKeys` they lacked. True when this call inserted it.
 */
export async function saveTurn(db: Database, turn: NewConversationTurn): Promise<boolean> {
  const messageKeys = dedupe(turn.messageKeys ?? []);
  const [row] = await db
    .insert(conversationTurnsTable)
    .values({
      tenantId: turn.tenantId,
      conversationId: turn.conversationId,
      jobId: turn.jobId,
      userId: turn.userId,
      prompt: storableText(turn.prompt),
      answer: storableText(turn.answer),
      model: turn.model,
      inputTokens: turn.inputTokens ?? null,
      outputTokens: turn.outputTokens ?? null,
      messageKeys,
    })
    .onConflictDoUpdate({
      target: conversationTurnsTable.jobId,
      set: { messageKeys: mergedKeys(sql`excluded.message_keys`) },
    })
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  return row?.inserted === true;
}

/** The row's message keys followed by those of `added` it lacks, in order, without repeats. */
function mergedKeys(added: SQL): SQL {
  return sql`array(
    select key from unnest(${conversationTurnsTable.messageKeys} || ${added}) with ordinality as k(key, n)
     group by key order by min(n))`;
}

/**
 * The newest `limit` turns of a conversation, returned oldest first (the order the model reads
 * them in). A limit of 0 (memory off) gives none.
 */
export async function conversationTurns(
  db: Database,
  conversationId: string,
  limit: number,
): Promise<ConversationTurn[]> {
  if (!Number.isSafeInteger(limit) || limit <= 0) return [];
  const newestFirst = await db
    .select()
    .from(conversationTurnsTable)
    .where(eq(conversationTurnsTable.conversationId, conversationId))
    .orderBy(desc(conversationTurnsTable.createdAt), desc(conversationTurnsTable.jobId))
    .limit(limit);
  return newestFirst.reverse();
}

/**
 * The conversation a platform message belongs to (a member's question or one of the bot's answer
 * messages), looked up in that tenant's turns only; undefined when it is in none.
 */
export async function conversationOfMessage(
  db: Database,
  tenantId: string,
  messageKey: string,
): Promise<{ conversationId: string } | undefined> {
  const [row] = await db
    .select({ conversationId: conversationTurnsTable.conversationId })
    .from(conversationTurnsTable)
    .where(
      and(
        eq(conversationTurnsTable.tenantId, tenantId),
        sql`${conversationTurnsTable.messageKeys} @> ${textArray([messageKey])}`,
      ),
    )
    .orderBy(desc(conversationTurnsTable.createdAt))
    .limit(1);
  return row;
}

/**
 * Appends message keys to a job's turn (answer messages known only once written), skipping keys it
 * already has; false when the job has no turn.
 */
export async function addMessageKeys(db: Database, jobId: string, keys: readonly string[]): Promise<boolean> {
  const rows = await db
    .update(conversationTurnsTable)
    .set({ messageKeys: mergedKeys(textArray(dedupe(keys))) })
    .where(eq(conversationTurnsTable.jobId, jobId))
    .returning({ id: conversationTurnsTable.id });
  return rows.length === 1;
}

/** Deletes every turn one of whose messages is `messageKey` (deleted on the platform); how many went. */
export async function dropTurnsWithMessage(db: Database, messageKey: string): Promise<number> {
  const rows = await db
    .delete(conversationTurnsTable)
    .where(sql`${conversationTurnsTable.messageKeys} @> ${textArray([messageKey])}`)
    .returning({ id: conversationTurnsTable.id });
  return rows.length;
}

/**
 * Sets a tenant's conversation memory: how many earlier turns are remembered (0 = off) and,
 * unless left out, the cap on the tokens of the earlier turns (null = only the model's window).
 */
export async function setMemory(db: Database, tenantId: string, settings: MemorySettings): Promise<void> {
  await db
    .update(tenants)
    .set({
      memoryTurns: settings.turns,
      ...(settings.contextTokenCap === undefined ? {} : { contextTokenCap: settings.contextTokenCap }),
      updatedAt: sql`now()`,
    })
    .where(eq(tenants.id, tenantId));
}

/** Sets (or, with null, clears back to the catalog model's) a tenant's system prompt for `/ask`. */
export async function setSystemPrompt(db: Database, tenantId: string, text: string | null): Promise<void> {
  await db
    .update(tenants)
    .set({ systemPrompt: text === null ? null : storableText(text), updatedAt: sql`now()` })
    .where(eq(tenants.id, tenantId));
}

/** Whether each answer gets a thread of its own (Discord), where follow-ups continue it. */
export async function setAnswerInThreads(db: Database, tenantId: string, on: boolean): Promise<void> {
  await db
    .update(tenants)
    .set({ answerInThreads: on, updatedAt: sql`now()` })
    .where(eq(tenants.id, tenantId));
}

/** Records on a job how many earlier turns its request carried and how many were left out. */
export async function setJobContext(
  db: Database,
  jobId: string,
  context: { turns: number; leftOut: number },
): Promise<void> {
  await db
    .update(jobs)
    .set({ contextTurns: context.turns, contextLeftOut: context.leftOut, updatedAt: sql`now()` })
    .where(eq(jobs.id, jobId));
}
