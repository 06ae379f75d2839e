import { createEditGovernor, createSlackPlatform, slackLimits } from "@replibot/chat";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeSlack, type FakeSlack } from "./fakes/slack/index.ts";
import { createTestRedis, type TestRedis } from "./helpers/test-redis.ts";

let fake: FakeSlack;
let redis: TestRedis;
beforeAll(async () => {
  fake = await createFakeSlack();
  redis = createTestRedis("slack-platform");
});
afterAll(async () => {
  await fake.close();
  await redis.cleanup();
});

async function placeholder(channelId: string) {
  const client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl });
  const posted = await client.chat.postMessage({ channel: channelId, text: "Thinking…" });
  return {
    platform: "slack" as const,
    teamId: fake.teamId,
    channelId,
    messageTs: posted.ts!,
  };
}

describe("the Slack platform", () => {
  it("updates the placeholder, continues in its thread, and shows buttons; no text can ping", async () => {
    const channel = fake.addChannel(fake.teamId, { name: "general" });
    const governor = createEditGovernor({ redis: redis.connect("worker"), prefix: redis.prefix });
    const platform = createSlackPlatform({
      botToken: async () => fake.botToken,
      apiUrl: fake.apiUrl,
      governor,
    });
    const target = await placeholder(channel);
    await platform.edit(
      target,
      { kind: "reply" },
      {
        text: "Half an answer <!channel> & more",
        buttons: [{ id: "cancel:slack-1", label: "Cancel", style: "danger" }],
      },
    );
    const continuation = await platform.createContinuation(target, { text: "the rest" });
    const [reply, rest] = fake.messages(channel);
    expect(reply!.text).toBe("Half an answer &lt;!channel&gt; &amp; more");
    expect(JSON.stringify(reply!.blocks)).toContain('"action_id":"cancel:slack-1"');
    expect(rest!.ts).toBe(continuation);
    expect(rest!.threadTs).toBe(target.messageTs);
    const posted = await platform.post(
      { tenantExternalId: fake.teamId, channelId: channel },
      { text: "alert" },
    );
    expect(fake.messages(channel).find((m) => m.ts === posted)?.text).toBe("alert");
  });

  it("takes a 429's Retry-After on chat.update as authoritative for every process", async () => {
    const channel = fake.addChannel(fake.teamId, { name: "busy" });
    const governor = createEditGovernor({ redis: redis.connect("worker"), prefix: redis.prefix });
    const other = createEditGovernor({ redis: redis.connect("worker"), prefix: redis.prefix });
    const platform = createSlackPlatform({
      botToken: async () => fake.botToken,
      apiUrl: fake.apiUrl,
      governor,
    });
    const target = await placeholder(channel);
    fake.failNext({ method: "chat.update", status: 429, headers: { "retry-after": "1" } });
    const edit = platform.edit(target, { kind: "reply" }, { text: "after the wait" });
    // A roomy window under the workspace's key: only the block from Retry-After can refuse it.
    const budget = {
      key: `slack-update-${fake.teamId}`,
      limit: 1_000,
      windowMs: slackLimits.updatesPerWorkspace.windowMs,
    };
    let refused = false;
    for (let i = 0; i < 40 && !refused; i++) {
      refused = !(await other.tryAcquire([budget])).ok;
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(refused).toBe(true);
    await edit;
    expect(fake.messages(channel)[0]!.text).toBe("after the wait");
  });
});
