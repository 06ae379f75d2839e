import { periodOf, upsertTenant } from "@replibot/db";
import type { WebClient } from "@slack/web-api";
import type { SlackAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import type { SlackOrigin } from "./start-job.ts";

/** An admin command's context: its tenant row, this month, and the Slack client of the workspace. */
export interface SlackAdminContext {
  tenantId: string;
  period: string;
  client: WebClient;
}

/**
 * Runs `handler` only for a workspace admin or owner (`users.info`); everyone else gets an
 * ephemeral refusal and nothing changes. Slack slash commands have no permissions of their own.
 */
export async function asSlackAdmin(
  deps: SlackAppDeps,
  origin: SlackOrigin,
  client: WebClient,
  handler: (context: SlackAdminContext) => Promise<void>,
): Promise<void> {
  if (!(await deps.isAdmin(client, origin.teamId, origin.userId))) return origin.tell(replies.notAdmin);
  const tenant = await upsertTenant(deps.db, "slack", origin.teamId, origin.teamName);
  await handler({ tenantId: tenant.id, period: periodOf(new Date()), client });
}
