import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultScopes } from "./fake-slack-options.ts";
import { createFakeSlack, type FakeSlack } from "./index.ts";
import { platformError } from "./platform-error.ts";
import { quietLogger } from "./quiet-logger.ts";

const quiet = { retryConfig: { retries: 0 }, logger: quietLogger() };

describe("fake Slack conversations.open", () => {
  let fake: FakeSlack;
  let client: WebClient;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    fake = await createFakeSlack({ scopes: [...defaultScopes, "im:write"] });
    alice = fake.addUser(fake.teamId, { name: "alice" });
    bob = fake.addUser(fake.teamId, { name: "bob" });
    client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, ...quiet });
  });

  afterAll(async () => {
    await fake?.close();
  });

  it("needs im:write, which the default scopes lack", async () => {
    const plain = await createFakeSlack();
    try {
      const user = plain.addUser(plain.teamId, { name: "carol" });
      const refused = await new WebClient(plain.botToken, {
        slackApiUrl: plain.apiUrl,
        ...quiet,
      }).conversations
        .open({ users: user })
        .catch((e: { data?: unknown }) => e.data);
      expect(refused).toMatchObject({ ok: false, error: "missing_scope", needed: "im:write" });
      expect((refused as { provided: string }).provided.split(",")).toEqual([...defaultScopes]);
    } finally {
      await plain.close();
    }
  });

  it("opens the bot's DM with a user once and reuses it; the bot can post there", async () => {
    const first = await client.conversations.open({ users: alice });
    const dm = first.channel?.id ?? "";
    expect(dm).toMatch(/^D/);
    expect(first).not.toHaveProperty("already_open");
    const again = await client.conversations.open({ users: alice, return_im: true });
    expect(again).toMatchObject({
      no_op: true,
      already_open: true,
      channel: { id: dm, is_im: true, user: alice },
    });
    await client.chat.postMessage({ channel: dm, text: "hello alice" });
    expect(fake.messages(dm).map((m) => m.text)).toEqual(["hello alice"]);
    expect((await client.conversations.info({ channel: dm })).channel).toMatchObject({
      is_im: true,
      is_member: true,
    });
    expect((await client.conversations.open({ channel: dm })).channel?.id).toBe(dm);
  });

  it("answers Slack's errors", async () => {
    expect(await platformError(client.apiCall("conversations.open", {}))).toBe("users_list_not_supplied");
    expect(await platformError(client.conversations.open({ users: "U0NOBODY" }))).toBe("user_not_found");
    expect(await platformError(client.conversations.open({ users: fake.botUserId }))).toBe("cannot_dm_bot");
    // A group DM needs mpim:write.
    expect(await platformError(client.conversations.open({ users: `${alice},${bob}` }))).toBe(
      "missing_scope",
    );
    expect(await platformError(client.conversations.open({ channel: "C0NOPE" }))).toBe("channel_not_found");
  });
});
