import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockErrors } from "./block-kit.ts";
import { createFakeSlack, type FakeSlack } from "./index.ts";
import { quietLogger } from "./quiet-logger.ts";

const quiet = { retryConfig: { retries: 0 }, logger: quietLogger() };
const section = (text: string, type = "mrkdwn") => ({ type: "section", text: { type, text } });
const button = (fields: Record<string, unknown> = {}) => ({
  type: "button",
  text: { type: "plain_text", text: "OK" },
  action_id: "ok",
  ...fields,
});
const actions = (elements: unknown[]) => ({ type: "actions", elements });
const context = (n: number) => ({
  type: "context",
  elements: Array.from({ length: n }, () => ({ type: "mrkdwn", text: "x" })),
});

describe("Block Kit validation (Slack's documented limits)", () => {
  it("accepts a typical message and refuses each limit, naming the field like Slack", () => {
    const ok = [
      { type: "header", text: { type: "plain_text", text: "Title" } },
      section("a".repeat(3000)),
      { type: "divider" },
      actions([button({ style: "primary", value: "v".repeat(2000) }), button({ style: "danger" })]),
      context(10),
      { type: "section", fields: [{ type: "plain_text", text: "x" }], accessory: button() },
    ];
    expect(blockErrors(ok)).toEqual([]);
    const cases: [unknown[], string][] = [
      [
        Array.from({ length: 51 }, () => ({ type: "divider" })),
        "no more than 50 items allowed [json-pointer:/blocks]",
      ],
      [[section("a".repeat(3001))], "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
      [[section("hi", "markdown")], "must be a valid enum value [json-pointer:/blocks/0/text/type]"],
      [[{ type: "section" }], "must define either `text` or `fields` [json-pointer:/blocks/0/type]"],
      [[section("")], "must be more than 0 characters [json-pointer:/blocks/0/text/text]"],
      [
        [actions(Array.from({ length: 26 }, () => button()))],
        "no more than 25 items allowed [json-pointer:/blocks/0/elements]",
      ],
      [
        [actions([button({ text: { type: "plain_text", text: "b".repeat(76) } })])],
        "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
      ],
      [
        [actions([button({ text: { type: "mrkdwn", text: "*b*" } })])],
        "must be a valid enum value [json-pointer:/blocks/0/elements/0/text/type]",
      ],
      [
        [actions([button({ action_id: "a".repeat(256) })])],
        "must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]",
      ],
      [
        [actions([button({ value: "v".repeat(2001) })])],
        "must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]",
      ],
      [
        [actions([button({ style: "secondary" })])],
        "must be a valid enum value [json-pointer:/blocks/0/elements/0/style]",
      ],
      [[context(11)], "no more than 10 items allowed [json-pointer:/blocks/0/elements]"],
      [[{ type: "sections" }], "unsupported type: sections [json-pointer:/blocks/0/type]"],
    ];
    for (const [blocks, error] of cases) expect(blockErrors(blocks)).toEqual([error]);
  });
});

describe("fake Slack refuses invalid blocks on every message path", () => {
  let fake: FakeSlack;
  let client: WebClient;
  let general: string;
  let alice: string;

  beforeAll(async () => {
    fake = await createFakeSlack();
    general = fake.addChannel(fake.teamId, { name: "general" });
    alice = fake.addUser(fake.teamId, { name: "alice" });
    client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, ...quiet });
  });

  afterAll(async () => {
    await fake?.close();
  });

  const refusal = (call: Promise<unknown>) =>
    call.then(
      () => undefined,
      (e: { data?: unknown }) => e.data,
    );
  const tooLong = [section("a".repeat(3001))];

  it("chat.postMessage, chat.update and chat.postEphemeral answer invalid_blocks with Slack's errors", async () => {
    const expected = {
      ok: false,
      error: "invalid_blocks",
      errors: ["must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
      response_metadata: {
        messages: ["[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
      },
    };
    expect(await refusal(client.chat.postMessage({ channel: general, text: "t", blocks: tooLong }))).toEqual(
      expected,
    );
    const posted = await client.chat.postMessage({ channel: general, text: "fine" });
    expect(
      await refusal(client.chat.update({ channel: general, ts: posted.ts ?? "", blocks: tooLong })),
    ).toEqual(expected);
    expect(
      await refusal(client.chat.postEphemeral({ channel: general, user: alice, text: "t", blocks: tooLong })),
    ).toEqual(expected);
    expect(fake.messages(general, { as: alice }).map((m) => m.text)).toEqual(["fine"]);
    const notJson = await refusal(
      client.apiCall("chat.postMessage", { channel: general, text: "t", blocks: "[{" }),
    );
    expect(notJson).toMatchObject({ error: "invalid_blocks_format" });
  });

  it("accepts blocks without a top-level text and stores the text as empty", async () => {
    const posted = await client.chat.postMessage({ channel: general, blocks: [section("only blocks")] });
    const stored = fake.messages(general).find((m) => m.ts === posted.ts);
    expect(stored).toMatchObject({ text: "", blocks: [section("only blocks")] });
    expect(await refusal(client.chat.postMessage({ channel: general, text: "" }))).toMatchObject({
      error: "no_text",
    });
  });

  it("answers a response_url post with invalid blocks (or nothing to show) with 400", async () => {
    const url = fake.issueResponseUrl({ teamId: fake.teamId, channelId: general, userId: alice });
    const post = async (body: object) => {
      const response = await fetch(url.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return [response.status, await response.text()];
    };
    expect(await post({ text: "t", blocks: [{ type: "nope" }] })).toEqual([400, "invalid_blocks"]);
    expect(await post({ response_type: "in_channel" })).toEqual([400, "no_text"]);
    expect(await post({ text: "t", blocks: [section("ok")] })).toEqual([200, "ok"]);
    expect(fake.responseUrlPosts(url.id).map((p) => p.accepted)).toEqual([false, false, true]);
  });
});
