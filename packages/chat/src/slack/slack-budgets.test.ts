import { createHash } from "node:crypto";
import { SLACK_PENDING_TS, SLACK_RESPONSE_TS, type SlackReplyTarget } from "@replibot/core";
import { describe, expect, it } from "vitest";
import { slackResponseUrlBudget, slackTargetBudgets } from "./slack-budgets.ts";

const responseUrl = "https://hooks.slack.test/commands/T1/123/secret";
const base: SlackReplyTarget = { platform: "slack", teamId: "T1", channelId: "C1", messageTs: "1.000001" };
const respondKey = `slack-respond-${createHash("sha256").update(responseUrl).digest("hex").slice(0, 16)}`;

describe("slackTargetBudgets", () => {
  it("counts a response_url's writes in one budget named by a hash: 5 in 30 minutes, 2 kept for the final", () => {
    const budget = slackResponseUrlBudget(responseUrl);
    expect(budget).toEqual({ key: respondKey, limit: 5, windowMs: 30 * 60_000, finalShare: 0.4 });
    expect(budget.key).not.toContain("secret");
    const target = { ...base, messageTs: SLACK_RESPONSE_TS, responseUrl };
    expect(slackTargetBudgets(target, "edit")).toEqual([budget]);
    expect(slackTargetBudgets(target, "create")).toEqual([budget]);
  });

  it("counts the first write of a pending placeholder as a post, and as a response_url use it may become", () => {
    expect(slackTargetBudgets({ ...base, messageTs: SLACK_PENDING_TS }, "edit").map((b) => b.key)).toEqual([
      "slack-post-C1",
    ]);
    expect(
      slackTargetBudgets({ ...base, messageTs: SLACK_PENDING_TS, responseUrl }, "edit").map((b) => b.key),
    ).toEqual(["slack-post-C1", respondKey]);
  });

  it("counts edits against the workspace and posts against the channel", () => {
    expect(slackTargetBudgets(base, "edit").map((b) => b.key)).toEqual(["slack-update-T1"]);
    expect(slackTargetBudgets({ ...base, responseUrl }, "create").map((b) => b.key)).toEqual([
      "slack-post-C1",
    ]);
  });
});
