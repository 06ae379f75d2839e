import { limitRefusal, type Mentions, refusalText } from "@replibot/chat";
import { type JobKind, policyRefusal, readTenantPolicy, type TenantPolicy } from "@replibot/core";
import { requestLoad, type TenantRow } from "@replibot/db";
import type { Channel, GuildMember, Interaction, Message } from "discord.js";
import type { DiscordAppDeps } from "../deps.ts";

/** Channels, roles and models as Discord writes them in a message. */
export const discordMentions: Mentions = { channel: (id) => `<#${id}>`, group: (id) => `<@&${id}>` };

/** The channel a policy names for `channel`: a thread counts as the channel it is in. */
export function policyChannelId(channel: Channel | null, fallback: string): string {
  return channel?.isThread() ? (channel.parentId ?? fallback) : fallback;
}

/** Whether a channel is age-restricted (a thread is when the channel it is in is). */
export function channelIsNsfw(channel: Channel | null): boolean {
  if (!channel) return false;
  if (channel.isThread()) return Boolean(channel.parent && "nsfw" in channel.parent && channel.parent.nsfw);
  return "nsfw" in channel && channel.nsfw === true;
}

/** A member's role ids, from a cached member or the raw interaction payload. */
export function roleIdsOf(member: Interaction["member"] | GuildMember | Message["member"]): string[] {
  if (!member) return [];
  const roles = member.roles;
  return Array.isArray(roles) ? roles : [...roles.cache.keys()];
}

/** Who asks for what, where, as the gate checks it. */
export interface GateRequest {
  tenant: TenantRow;
  userId: string;
  kind: JobKind;
  channelId: string;
  roleIds: string[];
  isAdmin: boolean;
  prompt?: string;
  modelId?: string;
}

/**
 * The ack path's checks before a job is written: the tenant's policy (channel, role, model,
 * blocklist) and the abuse limits (a member's running jobs, the tenant's queue, requests per
 * minute). Returns the words of a refusal, or undefined when the request may go ahead.
 */
export async function gateRefusal(deps: DiscordAppDeps, request: GateRequest): Promise<string | undefined> {
  const policy: TenantPolicy = readTenantPolicy(request.tenant.policy);
  const words = { kind: request.kind, platform: "discord" as const, mentions: discordMentions };
  const refused = policyRefusal(policy, {
    kind: request.kind,
    channelId: request.channelId,
    groupIds: request.roleIds,
    isAdmin: request.isAdmin,
    prompt: request.prompt,
    modelId: request.modelId,
  });
  if (refused) return refusalText(refused, words);
  const limited = await limitRefusal({
    governor: deps.governor,
    limits: deps.config.limits,
    tenantId: request.tenant.id,
    userId: request.userId,
    load: (cap) => requestLoad(deps.db, request.tenant.id, request.userId, request.kind, cap),
    now: Date.now,
  });
  return limited ? refusalText(limited, words) : undefined;
}
