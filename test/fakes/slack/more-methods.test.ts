import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BoltTestApp, startBoltApp } from "./bolt-test-app.ts";
import { createFakeSlack, type FakeSlack } from "./index.ts";
import { platformError } from "./platform-error.ts";
import { quietLogger } from "./quiet-logger.ts";

const quiet = { retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 }, logger: quietLogger() };

describe("fake Slack: ephemeral, delete, views, scopes, faults", () => {
  let fake: FakeSlack;
  let client: WebClient;
  let bolt: BoltTestApp;
  let general: string;
  let aliceId: string;
  let bobId: string;
  const modalResults: unknown[] = [];

  beforeAll(async () => {
    fake = await createFakeSlack({ scopes: ["chat:write", "chat:write.public", "commands"] });
    general = fake.addChannel(fake.teamId, { name: "general" });
    aliceId = fake.addUser(fake.teamId, { name: "alice" });
    bobId = fake.addUser(fake.teamId, { name: "bob" });
    client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, ...quiet });
    bolt = await startBoltApp(fake, (app) => {
      app.command("/settings", async ({ ack, command, client: listenerClient }) => {
        await ack();
        const opened = await listenerClient.views
          .open({
            trigger_id: command.trigger_id,
            view: { type: "modal", title: { type: "plain_text", text: "Settings" }, blocks: [] },
          })
          .then(
            (r) => r.ok,
            (e: { data?: { error?: unknown } }) => e.data?.error,
          );
        modalResults.push(opened);
      });
    });
  });

  afterAll(async () => {
    await bolt?.stop();
    await fake?.close();
  });

  it("shows an ephemeral message only to its user", async () => {
    await client.chat.postEphemeral({ channel: general, user: aliceId, text: "psst" });
    expect(fake.messages(general, { as: aliceId }).map((m) => m.text)).toEqual(["psst"]);
    expect(fake.messages(general, { as: bobId })).toEqual([]);
  });

  it("deletes the bot's message", async () => {
    const posted = await client.chat.postMessage({ channel: general, text: "oops" });
    await client.chat.delete({ channel: general, ts: posted.ts ?? "" });
    expect(fake.messages(general).some((m) => m.text === "oops")).toBe(false);
    expect(await platformError(client.chat.delete({ channel: general, ts: posted.ts ?? "" }))).toBe(
      "message_not_found",
    );
  });

  it("opens a modal with the command's trigger_id, once", async () => {
    const base = { appUrl: bolt.url, teamId: fake.teamId, channelId: general, userId: aliceId };
    const answer = await fake.slashCommand({ ...base, command: "/settings" });
    expect(answer.status).toBe(200);
    await fake.waitFor(() => modalResults.length === 1);
    expect(modalResults).toEqual([true]);
    expect(fake.openedViews()).toHaveLength(1);
    expect(
      await platformError(
        client.views.open({
          trigger_id: answer.triggerId,
          view: { type: "modal", title: { type: "plain_text", text: "x" }, blocks: [] },
        }),
      ),
    ).toBe("expired_trigger_id");
  });

  it("lets chat:write.public post in public channels only", async () => {
    const lobby = fake.addChannel(fake.teamId, { name: "lobby", botIsMember: false });
    const secret = fake.addChannel(fake.teamId, { name: "secret", isPrivate: true, botIsMember: false });
    await client.chat.postMessage({ channel: lobby, text: "hello lobby" });
    expect(fake.messages(lobby).map((m) => m.text)).toEqual(["hello lobby"]);
    expect(await platformError(client.chat.postMessage({ channel: secret, text: "hi" }))).toBe(
      "not_in_channel",
    );
  });

  it("serves injected faults; WebClient retries a 500", async () => {
    fake.failNext({ method: "chat.postMessage", status: 500 });
    await client.chat.postMessage({ channel: general, text: "after fault" });
    const calls = fake
      .requests()
      .filter((r) => r.method === "chat.postMessage" && r.params.text === "after fault");
    expect(calls.map((r) => r.status)).toEqual([500, 200]);
    fake.failNext({ method: "users.info", body: { ok: false, error: "user_not_found" } });
    expect(await platformError(client.users.info({ user: aliceId }))).toBe("user_not_found");
  });
});
