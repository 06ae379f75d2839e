import { sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";
import type { Tenant } from "./tenants.ts";

/** What a job's input becomes once its words are no longer kept: the money and ids stay, the text goes. */
const SCRUBBED = sql`jsonb_build_object('scrubbed', true)`;

/**
 * Retention for jobs: the words members sent (a job's input: prompts, file URLs) and the question
 * Slack shows above an answer (the reply target's heading) are deleted from ended jobs older than
 * `before`. Ids, statuses, models and every cent stay, so the ledger and `/spend` are unchanged.
 */
export async function scrubJobsOlderThan(db: Database, before: Date): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`
    with scrubbed as (
      update jobs set input = ${SCRUBBED}, reply_target = reply_target - 'heading', updated_at = now()
       where created_at < ${before.toISOString()}
         and status in ('succeeded', 'failed', 'canceled', 'timed_out', 'refused')
         and not (input ? 'scrubbed')
      returning 1
    )
    select count(*)::int as n from scrubbed`);
  return row?.n ?? 0;
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
