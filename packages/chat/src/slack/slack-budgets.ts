import type { Budget } from "../governor/edit-governor.ts";

/** Slack's budgets (DESIGN.md, Platform limits), counted per workspace or per channel. */
export const slackLimits = {
  /** chat.update is Tier 3: about 50 per minute per workspace, shared by every answer. */
  updatesPerWorkspace: { limit: 50, windowMs: 60_000, finalShare: 0.4 },
  /** Posting: about one message per second per channel. */
  postsPerChannel: { limit: 1, windowMs: 1_000 },
};

/** The budgets a write counts against: an edit spends the workspace's chat.update budget; a post, the channel's. */
export function slackBudgets(teamId: string, channelId: string, write: "edit" | "create"): Budget[] {
  return write === "edit"
    ? [{ key: `slack-update-${teamId}`, ...slackLimits.updatesPerWorkspace }]
    : [{ key: `slack-post-${channelId}`, ...slackLimits.postsPerChannel }];
}
