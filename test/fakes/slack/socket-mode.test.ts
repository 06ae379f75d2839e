import { App } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createFakeSlack, type FakeSlack } from "./index.ts";
import { platformError } from "./platform-error.ts";
import { quietLogger } from "./quiet-logger.ts";

const quiet = { retryConfig: { retries: 0 }, logger: quietLogger() };

/** Opens a raw WebSocket and resolves with it and its first frame. */
function connect(url: string): Promise<{ ws: WebSocket; first: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once("message", (data) => resolve({ ws, first: JSON.parse(String(data)) }));
    ws.once("unexpected-response", (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.once("error", reject);
  });
}

describe("fake Slack Socket Mode: apps.connections.open and the WebSocket", () => {
  let fake: FakeSlack;

  beforeAll(async () => {
    fake = await createFakeSlack();
  });

  afterAll(async () => {
    await fake?.close();
  });

  it("takes only the app-level token, in the Authorization header", async () => {
    const open = (token: string) =>
      new WebClient(token, { slackApiUrl: fake.apiUrl, ...quiet }).apps.connections.open();
    expect(await platformError(open(fake.botToken))).toBe("not_allowed_token_type");
    const asApp = new WebClient(fake.appToken, { slackApiUrl: fake.apiUrl, ...quiet });
    expect(await platformError(asApp.chat.postMessage({ channel: "C1", text: "x" }))).toBe(
      "not_allowed_token_type",
    );
    const inBody = await fetch(`${fake.apiUrl}apps.connections.open`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `token=${fake.appToken}`,
    });
    expect(await inBody.json()).toEqual({ ok: false, error: "not_authed" });
    const { url } = await open(fake.appToken);
    expect(url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/link/\\?ticket=\\w+&app_id=${fake.appId}$`));
  });

  it("says hello, answers pings, takes a ticket once, and matches acks by envelope id", async () => {
    const { url = "" } = await new WebClient(fake.appToken, {
      slackApiUrl: fake.apiUrl,
      ...quiet,
    }).apps.connections.open();
    const { ws, first } = await connect(url);
    expect(first).toMatchObject({
      type: "hello",
      num_connections: 1,
      connection_info: { app_id: fake.appId },
    });
    expect(fake.socket.connected()).toBe(1);
    await expect(connect(url)).rejects.toThrow("HTTP 401");
    const pong = new Promise((resolve) => ws.once("pong", resolve));
    ws.ping();
    await pong;

    ws.on("message", (data) => {
      const envelope = JSON.parse(String(data)) as { envelope_id: string; payload: { n?: number } };
      if (envelope.payload.n === 1)
        ws.send(JSON.stringify({ envelope_id: envelope.envelope_id, payload: { seen: 1 } }));
    });
    const acked = await fake.socket.send({ type: "events_api", payload: { n: 1 } });
    expect(acked).toMatchObject({ acked: true, payload: { seen: 1 } });
    const silent = await fake.socket.send({ type: "interactive", payload: { n: 2 } }, { ackTimeoutMs: 50 });
    expect(silent).toMatchObject({ acked: false, payload: undefined });
    expect(fake.socket.envelopes().map((e) => e.sent)).toEqual([
      {
        envelope_id: acked.envelopeId,
        payload: { n: 1 },
        type: "events_api",
        accepts_response_payload: false,
        retry_attempt: 0,
        retry_reason: "",
      },
      {
        envelope_id: silent.envelopeId,
        payload: { n: 2 },
        type: "interactive",
        accepts_response_payload: false,
      },
    ]);
    ws.close();
    await fake.waitFor(() => fake.socket.connected() === 0);
  });
});

describe("a real Bolt App in Socket Mode against the fake", () => {
  let fake: FakeSlack;
  let app: App;
  let general: string;
  let alice: string;
  const mentions: unknown[] = [];

  beforeAll(async () => {
    fake = await createFakeSlack();
    general = fake.addChannel(fake.teamId, { name: "general" });
    alice = fake.addUser(fake.teamId, { name: "alice" });
    app = new App({
      socketMode: true,
      appToken: fake.appToken,
      token: fake.botToken,
      logger: quietLogger(),
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 } },
    });
    app.command("/ask", async ({ ack, command, client }) => {
      await ack({ response_type: "ephemeral", text: `working on ${command.text}` });
      await client.chat.postMessage({ channel: command.channel_id, text: `Q: ${command.text}` });
    });
    app.action("approve", async ({ ack, respond }) => {
      await ack();
      await respond({ replace_original: true, text: "approved" });
    });
    app.event("app_mention", async ({ event, context }) => {
      mentions.push([event.text, context.retryNum, context.retryReason]);
    });
    await app.start();
  });

  afterAll(async () => {
    // Stop the app first: if the fake vanished under it, its client would try to reconnect.
    await app?.stop();
    await fake?.waitFor(() => fake.socket.connected() === 0);
    await fake?.close();
  });

  it("connects once with apps.connections.open", () => {
    expect(fake.socket.connected()).toBe(1);
    expect(
      fake
        .requests()
        .filter((r) => r.method === "apps.connections.open")
        .map((r) => r.status),
    ).toEqual([200]);
  });

  it("delivers a slash command whose ack payload comes back over the socket", async () => {
    const answer = await fake.socket.slashCommand({
      teamId: fake.teamId,
      channelId: general,
      userId: alice,
      command: "/ask",
      text: "tides",
    });
    expect(answer).toMatchObject({
      acked: true,
      payload: { response_type: "ephemeral", text: "working on tides" },
    });
    expect(answer.responseUrl).toContain(`${fake.origin}/response/`);
    expect(answer.triggerId).toMatch(/^\d+\./);
    await fake.waitFor(() => fake.messages(general).length === 1);
    expect(fake.messages(general)[0]).toMatchObject({ text: "Q: tides", user: fake.botUserId });
  });

  it("delivers interactive and events_api envelopes; Bolt acks with an empty payload", async () => {
    const posted = fake.messages(general)[0]?.ts ?? "";
    const click = await fake.socket.blockAction({
      teamId: fake.teamId,
      channelId: general,
      userId: alice,
      actionId: "approve",
      messageTs: posted,
    });
    expect(click).toMatchObject({ acked: true, payload: {} });
    await fake.waitFor(() => fake.messages(general)[0]?.text === "approved");

    const event = { type: "app_mention", user: alice, channel: general, text: "hi", ts: "1.000001" };
    const first = await fake.socket.event({ teamId: fake.teamId, event });
    const retry = await fake.socket.event({
      teamId: fake.teamId,
      event,
      eventId: first.eventId,
      retryAttempt: 1,
      retryReason: "timeout",
    });
    expect([first.acked, retry.acked]).toEqual([true, true]);
    await fake.waitFor(() => mentions.length === 2);
    expect(mentions).toEqual([
      ["hi", 0, ""],
      ["hi", 1, "timeout"],
    ]);
  });
});
