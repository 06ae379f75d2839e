import { App } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BoltTestApp, startBoltApp } from "./bolt-test-app.ts";
import { createFakeSlack, defaultScopes, type FakeSlack, messageEventScopes } from "./index.ts";
import { quietLogger } from "./quiet-logger.ts";

/** The scopes an app answering mentions, threads and DMs has (and `im:write` for conversations.open). */
const scopes = [...defaultScopes, ...messageEventScopes, "im:write"];
type Seen = Record<string, unknown>;

describe("fake Slack: people writing, replying and deleting, seen by a real Bolt App", () => {
  let fake: FakeSlack;
  let bolt: BoltTestApp;
  let general: string;
  let secret: string;
  let lobby: string;
  let alice: string;
  let bob: string;
  const mentions: Seen[] = [];
  const messages: Seen[] = [];

  beforeAll(async () => {
    fake = await createFakeSlack({ scopes });
    alice = fake.addUser(fake.teamId, { name: "alice" });
    bob = fake.addUser(fake.teamId, { name: "bob" });
    general = fake.addChannel(fake.teamId, { name: "general" });
    secret = fake.addChannel(fake.teamId, { name: "secret", isPrivate: true, members: [alice] });
    lobby = fake.addChannel(fake.teamId, { name: "lobby", botIsMember: false });
    bolt = await startBoltApp(fake, (app) => {
      // Answers each mention in its thread, like the app under test will.
      app.event("app_mention", async ({ event, client }) => {
        mentions.push(event as unknown as Seen);
        await client.chat.postMessage({
          channel: event.channel,
          thread_ts: event.thread_ts ?? event.ts,
          text: `answer to ${event.ts}`,
        });
      });
      app.message(async ({ message }) => {
        messages.push(message as unknown as Seen);
      });
    });
  });

  afterAll(async () => {
    await bolt?.stop();
    await fake?.close();
  });

  const says = (channelId: string, text: string, threadTs?: string, userId = alice) =>
    fake.userSays({ appUrl: bolt.url, teamId: fake.teamId, channelId, userId, text, threadTs });

  it("sends one message event for a plain message in a channel the bot is in", async () => {
    const { message, deliveries, notDelivered } = await says(general, "good morning &amp; hello");
    expect(message).toMatchObject({ text: "good morning &amp; hello", user: alice, threadTs: undefined });
    expect(message.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.messages(general).map((m) => m.ts)).toEqual([message.ts]);
    expect(notDelivered).toEqual([]);
    expect(deliveries.map((d) => d.status)).toEqual([200]);
    const event = deliveries[0]?.event;
    expect(event).toEqual({
      user: alice,
      type: "message",
      ts: message.ts,
      client_msg_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      text: "good morning &amp; hello",
      team: fake.teamId,
      blocks: [
        {
          type: "rich_text",
          block_id: expect.any(String),
          elements: [
            { type: "rich_text_section", elements: [{ type: "text", text: "good morning & hello" }] },
          ],
        },
      ],
      channel: general,
      event_ts: message.ts,
      channel_type: "channel",
    });
    const body = JSON.parse(deliveries[0]?.delivery.body ?? "{}");
    expect(body).toMatchObject({
      type: "event_callback",
      team_id: fake.teamId,
      api_app_id: fake.appId,
      event_id: deliveries[0]?.eventId,
      authorizations: [{ team_id: fake.teamId, user_id: fake.botUserId, is_bot: true }],
      event,
    });
    await fake.waitFor(() => messages.find((m) => m.ts === message.ts));
    expect(mentions).toEqual([]);
  });

  it("sends message and app_mention, each in its own envelope, for a mention; the answer lands in the thread", async () => {
    const text = `<@${fake.botUserId}> is 2&lt;3?`;
    const { message, deliveries } = await says(general, text);
    expect(deliveries.map((d) => [d.event.type, d.status])).toEqual([
      ["message", 200],
      ["app_mention", 200],
    ]);
    expect(new Set(deliveries.map((d) => d.eventId)).size).toBe(2);
    const mention = await fake.waitFor(() => mentions.find((m) => m.ts === message.ts));
    expect(mention).toEqual({ ...deliveries[0]?.event, type: "app_mention", channel_type: undefined });
    expect(mention).not.toHaveProperty("channel_type");
    expect(mention.blocks).toEqual([
      expect.objectContaining({
        elements: [
          {
            type: "rich_text_section",
            elements: [
              { type: "user", user_id: fake.botUserId },
              { type: "text", text: " is 2<3?" },
            ],
          },
        ],
      }),
    ]);
    await fake.waitFor(() => messages.find((m) => m.ts === message.ts));
    const answer = await fake.waitFor(() => fake.messages(general).find((m) => m.threadTs === message.ts));
    expect(answer).toMatchObject({
      text: `answer to ${message.ts}`,
      user: fake.botUserId,
      botId: fake.botId,
    });
  });

  it("sends thread replies with thread_ts and parent_user_id; only whole threads can be replied to", async () => {
    const question = await says(general, `<@${fake.botUserId}|replibot> a question`);
    expect(question.deliveries.map((d) => d.event.type)).toEqual(["message", "app_mention"]);
    const answer = await fake.waitFor(() =>
      fake.messages(general).find((m) => m.threadTs === question.message.ts),
    );

    const reply = await says(general, "and a follow-up", question.message.ts, bob);
    expect(reply.message.threadTs).toBe(question.message.ts);
    expect(reply.deliveries.map((d) => d.event)).toEqual([
      expect.objectContaining({
        type: "message",
        user: bob,
        thread_ts: question.message.ts,
        parent_user_id: alice,
        channel_type: "channel",
      }),
    ]);
    const seen = await fake.waitFor(() => messages.find((m) => m.ts === reply.message.ts));
    expect(seen).toMatchObject({ thread_ts: question.message.ts, parent_user_id: alice });

    // A mention inside the thread: app_mention carries thread_ts, and the app answers in the same thread.
    const again = await says(general, `<@${fake.botUserId}> more please`, question.message.ts);
    const inThread = await fake.waitFor(() => mentions.find((m) => m.ts === again.message.ts));
    expect(inThread).toMatchObject({ thread_ts: question.message.ts, parent_user_id: alice });
    await fake.waitFor(() => fake.messages(general).find((m) => m.text === `answer to ${again.message.ts}`));
    expect(
      fake
        .messages(general)
        .filter((m) => m.threadTs === question.message.ts)
        .map((m) => m.text),
    ).toEqual([
      `answer to ${question.message.ts}`,
      "and a follow-up",
      `<@${fake.botUserId}> more please`,
      `answer to ${again.message.ts}`,
    ]);

    await expect(says(general, "x", "1.000001")).rejects.toThrow("no message 1.000001");
    await expect(says(general, "x", answer.ts)).rejects.toThrow("is itself a reply");
  });

  it("sends DMs as message events with channel_type im, and no app_mention even when mentioned", async () => {
    const dm = fake.dmChannel(fake.teamId, alice);
    expect(dm).toMatch(/^D/);
    expect(fake.dmChannel(fake.teamId, alice)).toBe(dm);
    const client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, logger: quietLogger() });
    expect(await client.conversations.open({ users: alice })).toMatchObject({
      channel: { id: dm },
      already_open: true,
    });

    const { message, deliveries, notDelivered } = await says(dm, `<@${fake.botUserId}> hi in private`);
    expect(deliveries.map((d) => [d.event.type, d.event.channel_type, d.event.channel])).toEqual([
      ["message", "im", dm],
    ]);
    expect(notDelivered).toEqual([
      { subscription: "app_mention", reason: "Slack sends no app_mention in a DM" },
    ]);
    const seen = await fake.waitFor(() => messages.find((m) => m.ts === message.ts));
    expect(seen).toMatchObject({ channel: dm, channel_type: "im", user: alice });
    expect(mentions.find((m) => m.ts === message.ts)).toBeUndefined();
    // Someone else cannot write in alice's DM with the bot.
    await expect(says(dm, "hi", undefined, bob)).rejects.toThrow(`${bob} is not in the DM ${dm}`);
  });

  it("sends private channel messages as channel_type group; outsiders cannot write there", async () => {
    const { deliveries } = await says(secret, `<@${fake.botUserId}> psst`);
    expect(deliveries.map((d) => [d.event.type, d.event.channel_type])).toEqual([
      ["message", "group"],
      ["app_mention", undefined],
    ]);
    await expect(says(secret, "let me in", undefined, bob)).rejects.toThrow("not a member");
  });

  it("sends nothing for a channel the bot is not in, mentioned or not (the message is still there)", async () => {
    const { message, deliveries, notDelivered } = await says(lobby, `<@${fake.botUserId}> are you here?`);
    expect(deliveries).toEqual([]);
    expect(notDelivered).toEqual([
      { subscription: "message.channels", reason: `the bot is not a member of ${lobby}` },
      { subscription: "app_mention", reason: `the bot is not a member of ${lobby}` },
    ]);
    expect(fake.messages(lobby).map((m) => m.ts)).toEqual([message.ts]);
  });

  it("deletes a person's message and sends message_deleted with deleted_ts and previous_message", async () => {
    const { message } = await says(general, "oops, wrong channel");
    await fake.waitFor(() => messages.find((m) => m.ts === message.ts));
    const removed = await fake.userDeletes({
      appUrl: bolt.url,
      teamId: fake.teamId,
      channelId: general,
      ts: message.ts,
    });
    expect(fake.messages(general).find((m) => m.ts === message.ts)).toBeUndefined();
    expect(removed.message.ts).toBe(message.ts);
    expect(removed.deliveries.map((d) => d.status)).toEqual([200]);
    const event = removed.deliveries[0]?.event ?? {};
    expect(event).toEqual({
      type: "message",
      subtype: "message_deleted",
      hidden: true,
      channel: general,
      ts: expect.stringMatching(/^\d+\.\d{6}$/),
      deleted_ts: message.ts,
      event_ts: event.ts,
      previous_message: expect.objectContaining({
        type: "message",
        user: alice,
        text: "oops, wrong channel",
        ts: message.ts,
      }),
      channel_type: "channel",
    });
    expect(event.ts).not.toBe(message.ts);
    const seen = await fake.waitFor(() => messages.find((m) => m.deleted_ts === message.ts));
    expect(seen).toMatchObject({ subtype: "message_deleted", channel: general });

    const ref = { appUrl: bolt.url, teamId: fake.teamId, channelId: general };
    await expect(fake.userDeletes({ ...ref, ts: message.ts })).rejects.toThrow("no message");
    const botPost = fake.messages(general).find((m) => m.botId);
    await expect(fake.userDeletes({ ...ref, ts: botPost?.ts ?? "" })).rejects.toThrow("chat.delete");
    const parent = fake
      .messages(general)
      .find((m) => fake.messages(general).some((r) => r.threadTs === m.ts));
    await expect(fake.userDeletes({ ...ref, ts: parent?.ts ?? "" })).rejects.toThrow("thread replies");
  });

  it("deletes a thread reply and a DM message through the same subscription as the message", async () => {
    const top = await says(general, "top");
    const reply = await says(general, "reply", top.message.ts, bob);
    const ref = { appUrl: bolt.url, teamId: fake.teamId };
    const gone = await fake.userDeletes({ ...ref, channelId: general, ts: reply.message.ts });
    expect(gone.deliveries[0]?.event.previous_message).toMatchObject({
      thread_ts: top.message.ts,
      parent_user_id: alice,
    });
    const dm = fake.dmChannel(fake.teamId, alice);
    const said = await says(dm, "forget this");
    const dmGone = await fake.userDeletes({ ...ref, channelId: dm, ts: said.message.ts });
    expect(dmGone.deliveries[0]?.event).toMatchObject({ subtype: "message_deleted", channel_type: "im" });
  });

  it("does not echo the app's posts on its own; echoBotPost sends Slack's event, which ignoreSelf drops", async () => {
    const before = messages.length;
    const { message } = await says(general, `<@${fake.botUserId}> echo test`);
    const answer = await fake.waitFor(() =>
      fake.messages(general).find((m) => m.text === `answer to ${message.ts}`),
    );
    // Only alice's message arrived: the bot's answer was not turned into an event.
    await fake.waitFor(() => messages.find((m) => m.ts === message.ts));
    expect(messages.slice(before).map((m) => m.ts)).toEqual([message.ts]);

    const echo = await fake.echoBotPost({
      appUrl: bolt.url,
      teamId: fake.teamId,
      channelId: general,
      ts: answer.ts,
    });
    expect(echo.deliveries.map((d) => d.status)).toEqual([200]);
    expect(echo.deliveries[0]?.event).toMatchObject({
      type: "message",
      user: fake.botUserId,
      bot_id: fake.botId,
      app_id: fake.appId,
      ts: answer.ts,
      thread_ts: message.ts,
      parent_user_id: alice,
      channel_type: "channel",
    });
    expect(echo.deliveries[0]?.event).not.toHaveProperty("subtype");
    // A later message arrives; the echo never reached the listener.
    const marker = await says(general, "marker");
    await fake.waitFor(() => messages.find((m) => m.ts === marker.message.ts));
    expect(messages.find((m) => m.ts === answer.ts)).toBeUndefined();
    await expect(
      fake.echoBotPost({ appUrl: bolt.url, teamId: fake.teamId, channelId: general, ts: message.ts }),
    ).rejects.toThrow("no post of the app");
  });

  it("refuses what Slack would not carry: unescaped text, empty text, the bot as author, unknown people", async () => {
    await expect(says(general, "2 < 3")).rejects.toThrow("wire format");
    await expect(says(general, "fish & chips")).rejects.toThrow("&amp;");
    await expect(says(general, "   ")).rejects.toThrow("needs text");
    await expect(says(general, "x".repeat(40_001))).rejects.toThrow("40000");
    await expect(says(general, "hi", undefined, fake.botUserId)).rejects.toThrow("is the bot");
    await expect(says(general, "hi", undefined, "U0NOBODY")).rejects.toThrow("no user U0NOBODY");
    expect(() => fake.dmChannel(fake.teamId, fake.botUserId)).toThrow("is the bot");
  });
});

describe("fake Slack: which events an app gets depends on its subscriptions, scopes and install", () => {
  it("sends nothing without the history scopes, the subscription, or an install, and says why", async () => {
    const plain = await createFakeSlack(); // defaultScopes: no channels:history, no app_mentions:read
    const narrow = await createFakeSlack({ scopes, botEvents: ["message.im"] });
    try {
      const alice = plain.addUser(plain.teamId, { name: "alice" });
      const general = plain.addChannel(plain.teamId, { name: "general" });
      const text = `<@${plain.botUserId}> hello`;
      // No app listens here: these calls pass only because nothing is sent.
      const appUrl = "http://127.0.0.1:9";
      const base = { appUrl, teamId: plain.teamId, channelId: general, userId: alice };
      const unscoped = await plain.userSays({ ...base, text });
      expect(unscoped.deliveries).toEqual([]);
      expect(unscoped.notDelivered.map((n) => n.reason)).toEqual([
        "the bot token lacks channels:history, which message.channels needs",
        "the bot token lacks app_mentions:read, which app_mention needs",
      ]);

      plain.uninstall(plain.teamId);
      const gone = await plain.userSays({ ...base, text });
      expect(gone.notDelivered.map((n) => n.reason)).toEqual([
        `the app is not installed in ${plain.teamId}`,
        `the app is not installed in ${plain.teamId}`,
      ]);

      const bob = narrow.addUser(narrow.teamId, { name: "bob" });
      const room = narrow.addChannel(narrow.teamId, { name: "room" });
      const said = await narrow.userSays({
        appUrl,
        teamId: narrow.teamId,
        channelId: room,
        userId: bob,
        text: `<@${narrow.botUserId}> hi`,
      });
      expect(said.notDelivered).toEqual([
        { subscription: "message.channels", reason: "the app is not subscribed to message.channels" },
        { subscription: "app_mention", reason: "the app is not subscribed to app_mention" },
      ]);
    } finally {
      await plain.close();
      await narrow.close();
    }
  });
});

describe("fake Slack: people writing, delivered over Socket Mode", () => {
  let fake: FakeSlack;
  let app: App;
  const seen: Seen[] = [];

  beforeAll(async () => {
    fake = await createFakeSlack({ scopes });
    app = new App({
      socketMode: true,
      appToken: fake.appToken,
      token: fake.botToken,
      logger: quietLogger(),
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 } },
    });
    app.event("app_mention", async ({ event }) => {
      seen.push(event as unknown as Seen);
    });
    app.message(async ({ message }) => {
      seen.push(message as unknown as Seen);
    });
    await app.start();
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.waitFor(() => fake.socket.connected() === 0);
    await fake?.close();
  });

  it("sends each event in its own events_api envelope and reports Bolt's acks", async () => {
    const alice = fake.addUser(fake.teamId, { name: "alice" });
    const general = fake.addChannel(fake.teamId, { name: "general" });
    const said = await fake.socket.userSays({
      teamId: fake.teamId,
      channelId: general,
      userId: alice,
      text: `<@${fake.botUserId}> over the socket`,
    });
    expect(said.deliveries.map((d) => [d.event.type, d.acked])).toEqual([
      ["message", true],
      ["app_mention", true],
    ]);
    const sent = fake.socket.envelopes().map((e) => e.sent);
    expect(sent.map((e) => e.type)).toEqual(["events_api", "events_api"]);
    expect(sent.map((e) => (e.payload as { event_id: string }).event_id)).toEqual(
      said.deliveries.map((d) => d.eventId),
    );
    await fake.waitFor(() => seen.length === 2);
    expect(seen.map((e) => e.type).sort()).toEqual(["app_mention", "message"]);

    const removed = await fake.socket.userDeletes({
      teamId: fake.teamId,
      channelId: general,
      ts: said.message.ts,
    });
    expect(removed.deliveries.map((d) => d.acked)).toEqual([true]);
    await fake.waitFor(() => seen.find((e) => e.deleted_ts === said.message.ts));
  });
});
