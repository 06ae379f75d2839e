import {
  editPolicy,
  type PolicyEdit,
  policyKeyOf,
  readTenantPolicy,
  type TenantPolicy,
} from "@replibot/core";
import { desc, eq, sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";
import { settingsAudit, tenants } from "../schema.ts";
import { storableJson } from "../storable.ts";

/** Who changed which setting of which tenant. */
export interface SettingChange {
  tenantId: string;
  actorId: string;
  setting: string;
}

/**
 * Applies an admin's edit to a tenant's policy and records it in the audit table (the part it
 * changed, before and after), in one transaction; a row lock keeps two admins' edits from
 * overwriting each other. An edit that changes nothing records nothing and returns its note.
 */
export async function updateTenantPolicy(
  db: Database,
  change: Omit<SettingChange, "setting">,
  edit: PolicyEdit,
): Promise<{ policy: TenantPolicy; note?: string }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ policy: tenants.policy })
      .from(tenants)
      .where(eq(tenants.id, change.tenantId))
      .for("update");
    const before = readTenantPolicy(row?.policy);
    const result = editPolicy(before, storableJson(edit));
    if (result.note) return result;
    const key = policyKeyOf(edit);
    await tx
      .update(tenants)
      .set({ policy: result.policy, updatedAt: sql`now()` })
      .where(eq(tenants.id, change.tenantId));
    await tx.insert(settingsAudit).values({
      tenantId: change.tenantId,
      actorId: change.actorId,
      setting: edit.setting,
      before: before[key] ?? null,
      after: result.policy[key] ?? null,
    });
    return result;
  });
}

/** Records a change of a setting kept outside the policy (memory, system prompt, transcription, limits). */
export async function recordSettingChange(
  db: Database,
  change: SettingChange & { before?: unknown; after?: unknown },
): Promise<void> {
  await db.insert(settingsAudit).values({
    tenantId: change.tenantId,
    actorId: change.actorId,
    setting: change.setting,
    before: storableJson(change.before ?? null),
    after: storableJson(change.after ?? null),
  });
}

/** A tenant's newest settings changes, newest first. */
export async function settingsChanges(db: Database, tenantId: string, limit = 50) {
  return db
    .select()
    .from(settingsAudit)
    .where(eq(settingsAudit.tenantId, tenantId))
    .orderBy(desc(settingsAudit.id))
    .limit(limit);
}

/** What a new request from a member would add to: their unfinished jobs of its kind, and the tenant's queue. */
export interface RequestLoad {
  /** The member's jobs of this kind not yet ended (queued, creating or running). */
  userActive: number;
  /** When the soonest of those will have ended at the latest (its deadline), if known. */
  soonestEndMs?: number;
  /** The tenant's jobs waiting in the queue. */
  tenantQueued: number;
}

/** Counts what {@link RequestLoad} says, in one round trip. */
export async function requestLoad(
  db: Database,
  tenantId: string,
  userId: string,
  kind: string,
  /** Count the tenant's queue up to this many (TENANT_QUEUED_JOBS_MAX): the ack path reads no more. */
  tenantQueuedCap = 1_000_000,
): Promise<RequestLoad> {
  const [row] = await db.execute<{
    user_active: number;
    soonest_end: Date | string | null;
    tenant_queued: number;
  }>(sql`
    select
      (select count(*)::int from jobs
        where tenant_id = ${tenantId} and user_id = ${userId} and kind = ${kind}
          and status in ('queued', 'creating', 'running')) as user_active,
      (select min(deadline_at) from jobs
        where tenant_id = ${tenantId} and user_id = ${userId} and kind = ${kind}
          and status in ('creating', 'running')) as soonest_end,
      (select count(*)::int from (
        select 1 from jobs where tenant_id = ${tenantId} and status = 'queued' limit ${tenantQueuedCap}
      ) queued) as tenant_queued`);
  const soonest = row?.soonest_end ? new Date(row.soonest_end).getTime() : undefined;
  return {
    userActive: row?.user_active ?? 0,
    tenantQueued: row?.tenant_queued ?? 0,
    ...(soonest !== undefined ? { soonestEndMs: soonest } : {}),
  };
}
