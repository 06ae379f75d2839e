import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BoltTestApp, startBoltApp } from "./bolt-test-app.ts";
import { createFakeSlack, type FakeSlack } from "./index.ts";

describe("fake Slack with a real Bolt App", () => {
  let fake: FakeSlack;
  let bolt: BoltTestApp;
  let general: string;
  let aliceId: string;
  const commands: string[] = [];
  const mentions: { text: unknown; retryNum: number | undefined }[] = [];

  beforeAll(async () => {
    fake = await createFakeSlack();
    general = fake.addChannel(fake.teamId, { name: "general" });
    aliceId = fake.addUser(fake.teamId, { name: "alice" });
    bolt = await startBoltApp(fake, (app) => {
      app.command("/ask", async ({ ack, command, client }) => {
        commands.push(command.text);
        await ack({ response_type: "ephemeral", text: "working…" });
        await client.chat.postMessage({ channel: command.channel_id, text: `Q: ${command.text}` });
      });
      app.action("approve", async ({ ack, respond }) => {
        await ack();
        await respond({ replace_original: true, text: "approved" });
      });
      app.event("app_mention", async ({ event, context }) => {
        mentions.push({ text: event.text, retryNum: context.retryNum });
      });
    });
  });

  afterAll(async () => {
    await bolt?.stop();
    await fake?.close();
  });

  it("answers the auth.test Bolt sends on construction", async () => {
    const call = await fake.waitFor(() => fake.requests().find((r) => r.method === "auth.test"));
    expect(call.result).toMatchObject({ ok: true, team_id: fake.teamId, user_id: fake.botUserId });
  });

  it("delivers a signed slash command; the handler acks and its post appears", async () => {
    const answer = await fake.slashCommand({
      appUrl: bolt.url,
      teamId: fake.teamId,
      channelId: general,
      userId: aliceId,
      command: "/ask",
      text: "why is the sky blue",
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ response_type: "ephemeral", text: "working…" });
    expect(answer.responseUrl).toContain(`${fake.origin}/response/`);
    const [message] = await fake.waitFor(() => {
      const list = fake.messages(general);
      return list.length > 0 && list;
    });
    expect(message).toMatchObject({
      text: "Q: why is the sky blue",
      user: fake.botUserId,
      botId: fake.botId,
    });
  });

  it("refuses a bad signature and a stale timestamp before the handler runs", async () => {
    const before = commands.length;
    const base = {
      appUrl: bolt.url,
      teamId: fake.teamId,
      channelId: general,
      userId: aliceId,
      command: "/ask",
    };
    const bad = await fake.slashCommand({ ...base, text: "forged", signing: { badSignature: true } });
    const stale = await fake.slashCommand({ ...base, text: "old", signing: { ageSeconds: 301 } });
    expect([bad.status, stale.status]).toEqual([401, 401]);
    expect(commands.length).toBe(before);
    expect(bolt.logs.filter((l) => l.includes("Failed to verify authenticity"))).toEqual([
      expect.stringContaining("signature mismatch"),
      expect.stringContaining("request is stale"),
    ]);
  });

  it("lets a fresh replay through (Bolt only checks the 5-minute window)", async () => {
    const first = await fake.slashCommand({
      appUrl: bolt.url,
      teamId: fake.teamId,
      channelId: general,
      userId: aliceId,
      command: "/ask",
      text: "replayed",
    });
    const again = await fake.replay(first.delivery);
    expect(again.status).toBe(200);
    expect(commands.filter((t) => t === "replayed")).toHaveLength(2);
  });

  it("delivers a block action whose respond() replaces the clicked message", async () => {
    const posted = (await fake.waitFor(() => fake.messages(general)[0])).ts;
    const answer = await fake.blockAction({
      appUrl: bolt.url,
      teamId: fake.teamId,
      channelId: general,
      userId: aliceId,
      actionId: "approve",
      value: "yes",
      messageTs: posted,
    });
    expect(answer.status).toBe(200);
    const changed = await fake.waitFor(() =>
      fake.messages(general).find((m) => m.ts === posted && m.text === "approved"),
    );
    expect(changed.edits.map((e) => e.text)).toEqual(["Q: why is the sky blue"]);
    expect(fake.responseUrlPosts(answer.responseUrlId)).toHaveLength(1);
  });

  it("delivers events, with retry headers on redeliveries", async () => {
    const event = { type: "app_mention", user: aliceId, channel: general, text: "hi", ts: "1.000001" };
    const first = await fake.event({ appUrl: bolt.url, teamId: fake.teamId, event });
    const retry = await fake.event({
      appUrl: bolt.url,
      teamId: fake.teamId,
      event,
      eventId: first.eventId,
      retryNum: 1,
    });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await fake.waitFor(() => mentions.length === 2);
    expect(mentions.map((m) => m.retryNum)).toEqual([undefined, 1]);
  });
});
