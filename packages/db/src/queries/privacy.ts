import { eq, sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";
import { settingsAudit, tenants } from "../schema.ts";
import type { Tenant } from "./tenants.ts";

/** What a job's input becomes once its words are no longer kept: the money and ids stay, the text goes. */
const SCRUBBED = sql`jsonb_build_object('scrubbed', true)`;

/** What {@link deleteWordsPastRetention} deleted. */
export interface PastRetention {
  /** Conversation turns deleted. */
  turns: number;
  /** Ended jobs whose words were scrubbed. */
  jobs: number;
}

/**
 * Retention, each tenant by its own: conversation turns, and the words members sent in ended jobs
 * (a job's input: prompts, file URLs; and the question Slack shows above an answer, the reply
 * target's heading), older than the tenant's `retention_days` (or `defaultRetentionMs` when it has
 * none) at `now` are deleted. Ids, statuses, models and every cent stay, so the ledger and `/spend`
 * are unchanged. Running jobs keep their input until they end.
 */
export async function deleteWordsPastRetention(
  db: Database,
  options: { now: Date; defaultRetentionMs: number },
): Promise<PastRetention> {
  const kept = sql`(${options.now.toISOString()}::timestamptz - coalesce(t.retention_days::bigint * 86400000, ${Math.round(options.defaultRetentionMs)}::bigint) * interval '1 millisecond')`;
  const [turns] = await db.execute<{ n: number }>(sql`
    with deleted as (
      delete from conversation_turns c using tenants t
       where c.tenant_id = t.id and c.created_at < ${kept}
      returning 1
    )
    select count(*)::int as n from deleted`);
  const [jobs] = await db.execute<{ n: number }>(sql`
    with scrubbed as (
      update jobs j set input = ${SCRUBBED}, reply_target = j.reply_target - 'heading', updated_at = now()
        from tenants t
       where j.tenant_id = t.id and j.created_at < ${kept}
         and j.status in ('succeeded', 'failed', 'canceled', 'timed_out', 'refused')
         and not (j.input ? 'scrubbed')
      returning 1
    )
    select count(*)::int as n from scrubbed`);
  return { turns: turns?.n ?? 0, jobs: jobs?.n ?? 0 };
}

/**
 * Sets how many days a tenant's words are kept (null: back to the deployment's default) and records
 * the change, before and after, in the settings audit, in one transaction. Days are checked by the
 * caller (1 to 365); the table refuses anything else too.
 */
export async function setRetentionDays(
  db: Database,
  change: { tenantId: string; actorId: string },
  days: number | null,
): Promise<{ before: number | null; after: number | null }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ days: tenants.retentionDays })
      .from(tenants)
      .where(eq(tenants.id, change.tenantId))
      .for("update");
    const before = row?.days ?? null;
    await tx
      .update(tenants)
      .set({ retentionDays: days, updatedAt: sql`now()` })
      .where(eq(tenants.id, change.tenantId));
    await tx.insert(settingsAudit).values({
      tenantId: change.tenantId,
      actorId: change.actorId,
      setting: "retention",
      before,
      after: days,
    });
    return { before, after: days };
  });
}

/** What {@link forgetMember} deleted. */
export interface Forgotten {
  turns: number;
  jobs: number;
}

/**
 * A member's "forget me" on one platform: their conversation turns are deleted and the words of
 * their ended jobs scrubbed, in every server or workspace of that platform. Charges stay in the
 * ledger (amounts and ids only: it never held words). Jobs still running keep their input until
 * they end; the member can ask again then.
 */
export async function forgetMember(
  db: Database,
  platform: Tenant["platform"],
  userId: string,
): Promise<Forgotten> {
  return db.transaction(async (tx) => {
    const [turns] = await tx.execute<{ n: number }>(sql`
      with deleted as (
        delete from conversation_turns c using tenants t
         where c.tenant_id = t.id and t.platform = ${platform} and c.user_id = ${userId}
        returning 1
      )
      select count(*)::int as n from deleted`);
    const [jobs] = await tx.execute<{ n: number }>(sql`
      with scrubbed as (
        update jobs j set input = ${SCRUBBED}, reply_target = j.reply_target - 'heading', updated_at = now()
          from tenants t
         where j.tenant_id = t.id and t.platform = ${platform} and j.user_id = ${userId}
           and j.status in ('succeeded', 'failed', 'canceled', 'timed_out', 'refused')
           and not (j.input ? 'scrubbed')
        returning 1
      )
      select count(*)::int as n from scrubbed`);
    return { turns: turns?.n ?? 0, jobs: jobs?.n ?? 0 };
  });
}
