import { sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";
import type { Tenant } from "./tenants.ts";

/** Turns automatic transcription of voice notes on or off in one channel of a tenant. */
export async function setAutoTranscribe(
  db: Database,
  tenantId: string,
  channelId: string,
  on: boolean,
  updatedBy: string,
): Promise<void> {
  await db.execute(sql`
    insert into channel_settings (tenant_id, channel_id, auto_transcribe, updated_by)
    values (${tenantId}, ${channelId}, ${on}, ${updatedBy})
    on conflict (tenant_id, channel_id)
    do update set auto_transcribe = excluded.auto_transcribe, updated_by = excluded.updated_by, updated_at = now()`);
}

/**
 * Whether voice notes posted in a channel are transcribed automatically, by the platform's ids
 * (one indexed read, no tenant row created for servers that never set anything).
 */
export async function autoTranscribeOn(
  db: Database,
  platform: Tenant["platform"],
  tenantExternalId: string,
  channelId: string,
): Promise<boolean> {
  const [row] = await db.execute<{ on: boolean }>(sql`
    select c.auto_transcribe as on from channel_settings c
      join tenants t on t.id = c.tenant_id
     where t.platform = ${platform} and t.external_id = ${tenantExternalId} and c.channel_id = ${channelId}`);
  return row?.on === true;
}

/** The channels of a tenant where transcription is on. */
export async function autoTranscribeChannels(db: Database, tenantId: string): Promise<string[]> {
  const rows = await db.execute<{ channel_id: string }>(sql`
    select channel_id from channel_settings where tenant_id = ${tenantId} and auto_transcribe order by channel_id`);
  return rows.map((row) => row.channel_id);
}
