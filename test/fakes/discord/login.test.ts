import { type Client, Events, GatewayIntentBits } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createFakeDiscord, type FakeDiscord } from "./index.ts";
import { botIntents, fakeClient, loginClient, nextEvent } from "./test-client.ts";

let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

/** Opens a raw gateway connection and resolves with the close code after sending `payload`. */
function closeCodeFor(url: string, payload: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as { op: number };
      if (frame.op === 10) socket.send(JSON.stringify(payload));
    });
    socket.on("close", (code) => resolve(code));
    socket.on("error", reject);
  });
}

describe("login against the fake gateway", () => {
  it("reaches clientReady with the guild and its channel cached, making only GET /gateway/bot", async () => {
    fake = await createFakeDiscord();
    const { guildId, channelIds } = fake.addGuild({ name: "Replibot Lab" });
    const c = await loginClient(fake);
    client = c;
    const guild = c.guilds.cache.get(guildId);
    expect(guild?.name).toBe("Replibot Lab");
    expect(guild?.channels.cache.get(channelIds[0] ?? "")?.name).toBe("general");
    expect(guild?.members.me?.id).toBe(fake.applicationId);
    expect(c.user.id).toBe(fake.applicationId);
    expect(c.application.id).toBe(fake.applicationId);
    expect(fake.requests().map((r) => `${r.method} ${r.route} ${r.auth}`)).toEqual(["GET /gateway/bot bot"]);
    const out = fake.gatewayFrames().filter((f) => f.direction === "out");
    expect(out.map((f) => f.t ?? f.op)).toEqual([10, "READY", "GUILD_CREATE"]);
    expect(out.map((f) => f.s)).toEqual([null, 1, 2]);
    const identify = fake.gatewayFrames().find((f) => f.direction === "in" && f.op === 2);
    expect(identify).toBeDefined();
    expect(fake.gatewaySessions()[0]?.intents).toBe(33281 + GatewayIntentBits.DirectMessages);
    expect(fake.problems()).toEqual([]);
  });

  it("answers every heartbeat, so the client never reconnects as a zombie", async () => {
    fake = await createFakeDiscord({ heartbeatIntervalMs: 60 });
    fake.addGuild();
    client = await loginClient(fake);
    await fake.waitFor(() => fake?.gatewayFrames().filter((f) => f.op === 11).length === 4);
    const frames = fake.gatewayFrames();
    expect(frames.filter((f) => f.direction === "in" && f.op === 1).length).toBeGreaterThanOrEqual(4);
    expect(frames.filter((f) => f.op === 2 || f.op === 6)).toHaveLength(1);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it("rejects a bad token: 401 on GET /gateway/bot (TokenInvalid) and close 4004 on Identify", async () => {
    fake = await createFakeDiscord();
    client = fakeClient(fake);
    await expect(client.login("not-the-token")).rejects.toMatchObject({ code: "TokenInvalid" });
    expect(fake.requests()[0]).toMatchObject({ status: 401, errorCode: 0, auth: "invalid" });
    const code = await closeCodeFor(`${fake.gatewayUrl}?v=10&encoding=json`, {
      op: 2,
      d: { token: "not-the-token", intents: 1, properties: {} },
    });
    expect(code).toBe(4004);
  });

  it("answers Resume of an unknown session with op 9 Invalid Session (not resumable)", async () => {
    fake = await createFakeDiscord();
    const url = `${fake.gatewayUrl}?v=10&encoding=json`;
    const reply = await new Promise<{ op: number; d: unknown }>((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.on("message", (data) => {
        const frame = JSON.parse(data.toString()) as { op: number; d: unknown };
        if (frame.op === 10) {
          socket.send(
            JSON.stringify({ op: 6, d: { token: fake?.botToken, session_id: "sess-gone", seq: 7 } }),
          );
        } else {
          socket.close();
          resolve(frame);
        }
      });
      socket.on("error", reject);
    });
    expect(reply).toEqual({ op: 9, d: false, s: null, t: null });
  });

  it("closes with 4012 and records a problem when the client asks for zlib-stream compression", async () => {
    fake = await createFakeDiscord();
    const code = await closeCodeFor(`${fake.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`, {
      op: 1,
      d: null,
    });
    expect(code).toBe(4012);
    expect(fake.problems()).toEqual([expect.stringContaining("compress=zlib-stream")]);
  });

  it("closes with 4014 when MessageContent is refused; login rejects and a client without it connects", async () => {
    fake = await createFakeDiscord({ refuseIntents: ["MessageContent"] });
    const { guildId } = fake.addGuild();
    const refused = fakeClient(fake);
    const disconnects: number[] = [];
    const shardErrors: string[] = [];
    refused.on(Events.ShardDisconnect, (event) => disconnects.push(event.code));
    refused.on(Events.ShardError, (error) => shardErrors.push(error.message));
    // discord.js 14.28: the shard emits "Used disallowed intents", closes for good and login() rejects with it.
    await expect(refused.login(fake.botToken)).rejects.toThrow("Used disallowed intents");
    expect(disconnects).toEqual([4014]);
    expect(shardErrors).toEqual(["Used disallowed intents"]);
    expect(refused.token).toBeNull();
    expect(fake.gatewayFrames().filter((f) => f.t === "READY")).toHaveLength(0);

    const withoutContent = botIntents.filter((i) => i !== GatewayIntentBits.MessageContent);
    client = await loginClient(fake, { intents: withoutContent });
    expect(client.guilds.cache.has(guildId)).toBe(true);
  });

  it("resumes after a 4000 close and replays the dispatches missed while disconnected", async () => {
    fake = await createFakeDiscord();
    const { channelIds, ownerId } = fake.addGuild();
    const channelId = channelIds[0] ?? "";
    client = await loginClient(fake);
    const resumed = nextEvent(client, Events.ShardResume);
    const seen = nextEvent(client, Events.MessageCreate).then(([m]) => m.content);

    fake.disconnectGateway(4000);
    fake.postUserMessage({ channelId, userId: ownerId, content: "sent while the bot was away" });
    await resumed;
    expect(await seen).toBe("sent while the bot was away");
    const frames = fake.gatewayFrames();
    expect(frames.filter((f) => f.direction === "in" && f.op === 6)).toHaveLength(1);
    expect(frames.filter((f) => f.direction === "in" && f.op === 2)).toHaveLength(1);
    const replayed = frames.filter((f) => f.direction === "out" && f.t === "MESSAGE_CREATE");
    expect(replayed.map((f) => f.s)).toEqual([3]);
    expect(frames.find((f) => f.t === "RESUMED")?.s).toBe(4);
  });

  it("resumes on the same socket after op 9 Invalid Session (resumable) and after op 7 Reconnect", async () => {
    fake = await createFakeDiscord();
    fake.addGuild();
    client = await loginClient(fake);
    const c = client;
    const nextResume = () => nextEvent(c, Events.ShardResume);

    let resumed = nextResume();
    fake.invalidateSession(true);
    await resumed;
    resumed = nextResume();
    fake.requestReconnect();
    await resumed;
    const frames = fake.gatewayFrames();
    expect(frames.filter((f) => f.direction === "in" && f.op === 6)).toHaveLength(2);
    expect(frames.filter((f) => f.direction === "in" && f.op === 2)).toHaveLength(1);
    expect(fake.gatewaySessions()).toHaveLength(1);
  });
});
