import { limitRefusal, type Mentions, refusalText } from "@replibot/chat";
import {
  defaultModelFor,
  type JobKind,
  type PolicyRequest,
  policyRefusal,
  readTenantPolicy,
} from "@replibot/core";
import { requestLoad, type TenantRow, upsertTenant } from "@replibot/db";
import type { WebClient } from "@slack/web-api";
import type { SlackAppDeps } from "../deps.ts";
import type { SlackOrigin } from "./start-job.ts";

/** Channels and user groups as Slack writes them in a message. */
export const slackMentions: Mentions = { channel: (id) => `<#${id}>`, group: (id) => `<!subteam^${id}>` };

/** Who asks for what, where, as the gate checks it. */
export interface SlackGateRequest {
  tenant: TenantRow;
  teamId: string;
  userId: string;
  kind: JobKind;
  channelId: string;
  prompt?: string;
  modelId?: string;
}

/**
 * Checks a request against the workspace's policy (channel, user group, model, blocklist; admins
 * pass the channel and group rules) and the abuse limits. With `policyOnly`, only the policy: what
 * automatic transcription needs to know whether to stay quiet. Returns the refusal's words or undefined.
 */
export async function slackGateRefusal(
  deps: SlackAppDeps,
  client: WebClient,
  request: SlackGateRequest,
  options: { policyOnly?: boolean } = {},
): Promise<string | undefined> {
  const policy = readTenantPolicy(request.tenant.policy);
  const groups = policy.roles[request.kind] ?? [];
  const asked: PolicyRequest = {
    kind: request.kind,
    channelId: request.channelId,
    groupIds: groups.length > 0 ? await deps.groupsOf(client, request.teamId, groups, request.userId) : [],
    isAdmin: false,
    prompt: request.prompt,
    modelId: request.modelId,
  };
  let refused = policyRefusal(policy, asked);
  if (
    (refused?.reason === "channel" || refused?.reason === "group") &&
    (await deps.isAdmin(client, request.teamId, request.userId))
  ) {
    refused = policyRefusal(policy, { ...asked, isAdmin: true });
  }
  const words = { kind: request.kind, platform: "slack" as const, mentions: slackMentions };
  if (refused) return refusalText(refused, words);
  if (options.policyOnly) return undefined;
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

/**
 * The gate for a request from an origin (a command, a button, a message): loads the paying
 * tenant and checks. Returns the refusal's words or undefined.
 */
export async function gateFor(
  deps: SlackAppDeps,
  origin: Pick<SlackOrigin, "teamId" | "teamName" | "channelId" | "userId" | "tenantExternalId" | "client">,
  request: { kind: JobKind; prompt?: string; modelId?: string },
  options: { policyOnly?: boolean } = {},
): Promise<string | undefined> {
  const payer = origin.tenantExternalId ?? origin.teamId;
  const tenant = await upsertTenant(
    deps.db,
    "slack",
    payer,
    payer === origin.teamId ? origin.teamName : undefined,
  );
  return slackGateRefusal(
    deps,
    origin.client,
    { tenant, teamId: origin.teamId, userId: origin.userId, channelId: origin.channelId, ...request },
    options,
  );
}

/**
 * A slash command's gate: the workspace's default model (when the member named none and the
 * admins allow only others), then the policy and limits. Returns the model to use and any refusal.
 */
export async function gateCommand(
  deps: SlackAppDeps,
  origin: SlackOrigin,
  checked: { kind: JobKind; prompt: string; model: string; explicitModel: boolean },
): Promise<{ refused?: string; model: string }> {
  const tenant = await upsertTenant(deps.db, "slack", origin.teamId, origin.teamName);
  const policy = readTenantPolicy(tenant.policy);
  const model = checked.explicitModel ? checked.model : defaultModelFor(policy, checked.kind, checked.model);
  const refused = await slackGateRefusal(deps, origin.client, {
    tenant,
    teamId: origin.teamId,
    userId: origin.userId,
    channelId: origin.channelId,
    kind: checked.kind,
    prompt: checked.prompt,
    modelId: model,
  });
  return refused ? { refused, model } : { model };
}
