import type { DiscordAppConfig } from "./deps.ts";
import { replies } from "./replies.ts";

/** The guild an interaction is charged to, or the polite refusal to send instead. */
export function tenantOf(
  guildId: string | null,
  config: DiscordAppConfig,
): { ok: true; guildId: string } | { ok: false; reply: string } {
  const tenant = guildId ?? config.dmTenant;
  if (!tenant) return { ok: false, reply: replies.dmRefused };
  if (config.allowedTenants && !config.allowedTenants.includes(tenant))
    return { ok: false, reply: replies.tenantNotAllowed };
  return { ok: true, guildId: tenant };
}
