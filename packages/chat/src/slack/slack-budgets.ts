import { createHash } from "node:crypto";
import { AppError, SLACK_PENDING_TS, SLACK_RESPONSE_TS, type SlackReplyTarget } from "@replibot/core";
import type { Budget } from "../governor/edit-governor.ts";

/**
 * Slack's budgets (DESIGN.md, Platform limits), counted per workspace, per channel or per response_url.
 * Windows are a little longer than Slack's: the governor counts a write when it takes its slot, Slack
 * when the request arrives, and requests do not all take equally long to get there. With windows of
 * exactly Slack's length, a full window followed by the next one right on time left no room for that
 * jitter: the governor benchmark saw 2 `ratelimited` answers in 40 streams (bench/benchmarks/governor.ts).
 */
export const slackLimits = {
  /** chat.update is Tier 3: about 50 per minute per workspace (a window Slack starts at its first call). */
  updatesPerWorkspace: { limit: 50, windowMs: 61_000, finalShare: 0.4 },
  /**
   * Posting: "one message per second per channel", with short bursts allowed. Five in any 5.5
   * seconds is never more than a bucket of 5 refilled at 1 a second lets through, even when the
   * requests arrive up to half a second apart from when their slots were taken.
   */
  postsPerChannel: { limit: 5, windowMs: 5_500 },
  /**
   * A response_url takes 5 posts within 30 minutes (contract §2.3). Interim writes leave 2 to the
   * final write, so progress uses at most 3, the app's own first use included.
   */
  responseUrl: { limit: 5, windowMs: 30 * 60_000, finalShare: 0.4 },
};

/** The budgets a write counts against: an edit spends the workspace's chat.update budget; a post, the channel's. */
export function slackBudgets(teamId: string, channelId: string, write: "edit" | "create"): Budget[] {
  return write === "edit"
    ? [{ key: `slack-update-${teamId}`, ...slackLimits.updatesPerWorkspace }]
    : [{ key: `slack-post-${channelId}`, ...slackLimits.postsPerChannel }];
}

/**
 * The budget of one response_url, named by a hash (the URL is a credential). The Slack app counts its
 * own use of the URL (at ack time) against this budget too, so every use is counted.
 */
export function slackResponseUrlBudget(responseUrl: string): Budget {
  const hash = createHash("sha256").update(responseUrl).digest("hex").slice(0, 16);
  return { key: `slack-respond-${hash}`, ...slackLimits.responseUrl };
}

/**
 * The budgets a write to a reply target counts against: its response_url's alone once the answer
 * lives there; a not-yet-posted placeholder is a post (and, when the bot may turn out not to be in
 * the channel, a use of the response_url it would fall back to).
 */
export function slackTargetBudgets(target: SlackReplyTarget, write: "edit" | "create"): Budget[] {
  if (target.messageTs === SLACK_RESPONSE_TS) {
    if (!target.responseUrl) throw new AppError("internal", "a Slack response_url target has no responseUrl");
    return [slackResponseUrlBudget(target.responseUrl)];
  }
  if (write === "edit" && target.messageTs === SLACK_PENDING_TS) {
    return [
      ...slackBudgets(target.teamId, target.channelId, "create"),
      ...(target.responseUrl ? [slackResponseUrlBudget(target.responseUrl)] : []),
    ];
  }
  return slackBudgets(target.teamId, target.channelId, write);
}
