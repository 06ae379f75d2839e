import { randomBytes } from "node:crypto";
import {
  type ChatFile,
  createEditGovernor,
  createReplyWriter,
  createSlackPlatform,
  type ReplyState,
  SLACK_MESSAGE_LIMIT,
  SLACK_SECTION_LIMIT,
  type SlackPlatformOptions,
  slackLimits,
  slackResponseUrlBudget,
} from "@replibot/chat";
import { AppError, SLACK_PENDING_TS, SLACK_RESPONSE_TS, type SlackReplyTarget } from "@replibot/core";
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

async function placeholder(channelId: string, threadTs?: string): Promise<SlackReplyTarget> {
  const client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl });
  const posted = await client.chat.postMessage({
    channel: channelId,
    text: "Thinking…",
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return {
    platform: "slack" as const,
    teamId: fake.teamId,
    channelId,
    messageTs: posted.ts!,
    ...(threadTs ? { threadTs } : {}),
  };
}

function newGovernor() {
  return createEditGovernor({ redis: redis.connect("worker"), prefix: redis.prefix });
}

function newPlatform(governor = newGovernor(), extra: Partial<SlackPlatformOptions> = {}) {
  return createSlackPlatform({
    botToken: async () => fake.botToken,
    apiUrl: fake.apiUrl,
    governor,
    retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 },
    ...extra,
  });
}

/** A reply writer for one job, its state kept in memory as the worker keeps it in the job row. */
function writerFor(target: SlackReplyTarget, governor = newGovernor(), platform = newPlatform(governor)) {
  let stored: ReplyState = { target, continuationIds: [] };
  const writer = createReplyWriter({
    platform,
    governor,
    key: `job-${randomBytes(4).toString("hex")}`,
    state: stored,
    persist: async (state) => {
      stored = state;
    },
    load: async () => stored,
  });
  return { writer, stored: () => stored };
}

const sectionTexts = (blocks: unknown[] | undefined) =>
  ((blocks ?? []) as { type: string; text?: { text: string } }[])
    .filter((b) => b.type === "section")
    .map((b) => b.text?.text ?? "");
const fenceLines = (text: string) => text.split("\n").filter((line) => line.startsWith("```")).length;

/** A 1×1 PNG. */
const png = new Uint8Array(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  ),
);

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

  it("shows a 3,900-character answer with a code block as one message of two sections, fences intact", async () => {
    const channel = fake.addChannel(fake.teamId, { name: "long-code" });
    const platform = newPlatform();
    const target = await placeholder(channel);
    const code = Array.from({ length: 45 }, (_, i) => `  total += step(${i}); // step ${i}`).join("\n");
    const text = `${"An explanation in plain words. ".repeat(70)}\n\`\`\`ts\n${code}\n\`\`\`\nThat is all.\n`
      .padEnd(SLACK_MESSAGE_LIMIT, "z")
      .slice(0, SLACK_MESSAGE_LIMIT);
    expect(text.length).toBe(3_900);
    expect(await platform.edit(target, { kind: "reply" }, { text })).toBe(target);
    const [reply, ...others] = fake.messages(channel);
    expect(others).toEqual([]);
    const sections = sectionTexts(reply!.blocks);
    expect(sections).toHaveLength(2);
    for (const section of sections) {
      expect(section.length).toBeLessThanOrEqual(SLACK_SECTION_LIMIT);
      expect(fenceLines(section) % 2).toBe(0);
    }
    // The block is closed at the end of the first section and reopened at the start of the second.
    expect(sections[0]).toMatch(/\n```\n?$/);
    expect(sections[1]).toMatch(/^```\n/);
    expect(reply!.text).toContain("total += step(44); // step 44");
    expect(reply!.text).toMatch(/\n```\nThat is all\.\nz+$/);
    expect(fenceLines(reply!.text)).toBe(2);
  });

  it("splits a 10,000-character final into the placeholder and thread replies of at most 3,900", async () => {
    const channel = fake.addChannel(fake.teamId, { name: "long-answer" });
    const target = await placeholder(channel);
    const { writer, stored } = writerFor(target);
    const text = Array.from(
      { length: 250 },
      (_, i) => `Line ${String(i).padStart(3, "0")}: lorem ipsum dolor.`,
    )
      .join("\n")
      .padEnd(10_000, ".");
    expect(text.length).toBe(10_000);
    await writer.final({ text, buttons: [{ id: "again:1", label: "Again", style: "secondary" }] });
    const [reply, ...continuations] = fake.messages(channel);
    expect(reply!.ts).toBe(target.messageTs);
    expect(continuations).toHaveLength(2);
    expect(continuations.map((m) => m.ts)).toEqual(stored().continuationIds);
    for (const message of [reply!, ...continuations]) {
      expect(message.text.length).toBeLessThanOrEqual(SLACK_MESSAGE_LIMIT);
      for (const section of sectionTexts(message.blocks))
        expect(section.length).toBeLessThanOrEqual(SLACK_SECTION_LIMIT);
    }
    for (const continuation of continuations) expect(continuation.threadTs).toBe(target.messageTs);
    expect([reply!, ...continuations].map((m) => m.text).join("")).toBe(text);
    // The buttons sit under the last part only.
    expect(JSON.stringify(continuations[1]!.blocks)).toContain('"action_id":"again:1"');
    expect(JSON.stringify(reply!.blocks)).not.toContain("actions");
  });

  it("posts a pending placeholder on its first write (in its thread) and updates it after", async () => {
    const channel = fake.addChannel(fake.teamId, { name: "pending" });
    const alice = fake.addUser(fake.teamId, { name: "alice-pending" });
    const question = fake.addUserMessage({ channelId: channel, userId: alice, text: "what is 2+2?" });
    const platform = newPlatform();
    const pending: SlackReplyTarget = {
      platform: "slack",
      teamId: fake.teamId,
      channelId: channel,
      messageTs: SLACK_PENDING_TS,
      threadTs: question.ts,
    };
    expect(platform.budgets(pending, "edit").map((b) => b.key)).toEqual([`slack-post-${channel}`]);
    const posted = await platform.edit(pending, { kind: "reply" }, { text: "Thinking…" });
    expect(posted).toMatchObject({ ...pending, messageTs: expect.stringMatching(/^\d+\.\d{6}$/) });
    if (posted.platform !== "slack") throw new Error("not a Slack target");
    const again = await platform.edit(posted, { kind: "reply" }, { text: "It is **4**." });
    expect(again).toBe(posted);
    const answer = fake.messages(channel).find((m) => m.ts === posted.messageTs);
    expect(answer).toMatchObject({ threadTs: question.ts, text: "It is *4*." });
    expect(answer!.edits).toHaveLength(1);
    expect(fake.messages(channel)).toHaveLength(2);
  });

  it("answers through the response_url where the bot is not in the channel: at most 5 uses, the final always lands", async () => {
    const alice = fake.addUser(fake.teamId, { name: "alice-private" });
    const channel = fake.addChannel(fake.teamId, {
      name: "private-plans",
      isPrivate: true,
      botIsMember: false,
      members: [alice],
    });
    const { id, url } = fake.issueResponseUrl({ teamId: fake.teamId, channelId: channel, userId: alice });
    const governor = newGovernor();
    // The Slack app's own use at ack time: the channel's placeholder, counted in the URL's budget.
    await governor.acquire([slackResponseUrlBudget(url)]);
    const ack = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ response_type: "in_channel", text: "Thinking…" }),
    });
    expect(ack.status).toBe(200);

    const platform = newPlatform(governor);
    const pending: SlackReplyTarget = {
      platform: "slack",
      teamId: fake.teamId,
      channelId: channel,
      messageTs: SLACK_PENDING_TS,
      responseUrl: url,
      userId: alice,
    };
    const { writer, stored } = writerFor(pending, governor, platform);
    const outcomes: string[] = [];
    let streamed = "";
    for (let i = 0; i < 20; i++) {
      streamed += `word${i} `;
      outcomes.push((await writer.interim({ text: streamed })).outcome);
    }
    const target = stored().target;
    expect(target).toMatchObject({ messageTs: SLACK_RESPONSE_TS, responseUrl: url });
    expect(platform.messageLimitFor?.(target)).toBe(12_000);
    expect(outcomes.filter((o) => o === "written")).toHaveLength(2);
    expect(outcomes).toContain("busy");

    // 8,000 characters: one write through the URL, in several sections.
    const final = `**Answer**\n${"A long and careful answer. ".repeat(300)}`.slice(0, 8_000);
    await writer.final({ text: final });
    const posts = fake.responseUrlPosts(id);
    expect(posts.length).toBeLessThanOrEqual(5);
    expect(posts.every((p) => p.accepted)).toBe(true);
    expect(posts).toHaveLength(4);
    for (const post of posts.slice(1))
      expect(post.body).toMatchObject({ response_type: "in_channel", replace_original: true });
    const [message, ...others] = fake.messages(channel);
    expect(others).toEqual([]);
    expect(message!.text.startsWith("*Answer*\nA long and careful answer.")).toBe(true);
    expect(message!.text.length).toBeGreaterThan(7_900);
    expect(sectionTexts(message!.blocks).length).toBeGreaterThanOrEqual(3);
    expect(stored().continuationIds).toEqual([]);
    // The bot never got to post in the channel itself.
    expect(
      fake
        .requests()
        .filter((r) => r.method === "chat.postMessage" && r.params.channel === channel)
        .map((r) => (r.result as { error?: string }).error),
    ).toEqual(["not_in_channel"]);

    // An image cannot go through a response_url: refused before any use.
    const image = platform.edit(
      target,
      { kind: "reply" },
      { text: "a fox", files: [{ name: "fox.png", contentType: "image/png", data: png }] },
    );
    await expect(image).rejects.toBeInstanceOf(AppError);
    await expect(image).rejects.toMatchObject({ code: "invalid_input" });
    expect(fake.responseUrlPosts(id)).toHaveLength(4);
  });

  it("uploads an image final into the reply's thread once, with its exact bytes", async () => {
    const channel = fake.addChannel(fake.teamId, { name: "images" });
    const bob = fake.addUser(fake.teamId, { name: "bob-images" });
    const question = fake.addUserMessage({ channelId: channel, userId: bob, text: "/imagine a fox" });
    const platform = newPlatform();
    const target = await placeholder(channel, question.ts);
    const file: ChatFile = { name: "fox.png", contentType: "image/png", data: png };
    const message = {
      text: "**a fox**\n-# FLUX · $0.003",
      buttons: [{ id: "again:img", label: "Again", style: "primary" as const }],
      files: [file],
    };
    const written = await platform.edit(target, { kind: "reply" }, message);
    expect(written).toEqual({ ...target, filesPosted: true });
    const uploads = () => fake.requests().filter((r) => r.method === "files.getUploadURLExternal").length;
    const before = uploads();

    const [, reply, upload] = fake.messages(channel);
    expect(reply).toMatchObject({ ts: target.messageTs, text: "*a fox*\n_FLUX · $0.003_" });
    expect(JSON.stringify(reply!.blocks)).toContain('"action_id":"again:img"');
    expect(upload!.threadTs).toBe(question.ts);
    expect(upload!.files).toHaveLength(1);
    expect(upload!.files[0]).toMatchObject({ name: "fox.png", mimetype: "image/png" });
    expect(Buffer.from(upload!.files[0]!.bytes).equals(Buffer.from(png))).toBe(true);

    // A retried job writes its final again: the text is rewritten, the image is not uploaded twice.
    expect(await platform.edit(written, { kind: "reply" }, message)).toBe(written);
    expect(uploads()).toBe(before);
    expect(fake.messages(channel).filter((m) => m.files.length > 0)).toHaveLength(1);
  });

  it("shows Markdown as Slack mrkdwn in the stored message, links made and mentions escaped", async () => {
    const channel = fake.addChannel(fake.teamId, { name: "markdown" });
    const platform = newPlatform();
    const target = await placeholder(channel);
    await platform.edit(
      target,
      { kind: "reply" },
      {
        text: "# Result\n**Bold**, ~~old~~ and [the docs](https://example.com/a?b=1&c=2) <!channel>\n`**raw**`\n-# small print",
      },
    );
    const expected =
      "*Result*\n*Bold*, ~old~ and <https://example.com/a?b=1&amp;c=2|the docs> &lt;!channel&gt;\n`**raw**`\n_small print_";
    const [reply] = fake.messages(channel);
    expect(reply!.text).toBe(expected);
    expect(sectionTexts(reply!.blocks)).toEqual([expected]);
    expect(reply!.blocks).toContainEqual({
      type: "section",
      text: { type: "mrkdwn", text: expected, verbatim: true },
    });
  });

  it("retries a failed Web API call with its bounded retry policy", async () => {
    const channel = fake.addChannel(fake.teamId, { name: "flaky" });
    const platform = newPlatform();
    const target = await placeholder(channel);
    fake.failNext({ method: "chat.update", status: 500 });
    await platform.edit(target, { kind: "reply" }, { text: "after a 500" });
    expect(fake.messages(channel)[0]!.text).toBe("after a 500");
    const updates = fake.requests().filter((r) => r.method === "chat.update" && r.params.channel === channel);
    expect(updates.map((r) => r.status)).toEqual([500, 200]);
  });
});
