import { App } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFakeSlack,
  defaultBotEvents,
  defaultScopes,
  type FakeSlack,
  messageEventScopes,
} from "./index.ts";
import { quietLogger } from "./quiet-logger.ts";

type Seen = Record<string, unknown>;

describe("fake Slack: a clip shared over Socket Mode, to an app also subscribed to file_shared", () => {
  let fake: FakeSlack;
  let app: App;
  const seen: Seen[] = [];

  beforeAll(async () => {
    fake = await createFakeSlack({
      scopes: [...defaultScopes, ...messageEventScopes],
      botEvents: [...defaultBotEvents, "file_shared"],
    });
    app = new App({
      socketMode: true,
      appToken: fake.appToken,
      token: fake.botToken,
      logger: quietLogger(),
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 } },
    });
    for (const type of ["message", "app_mention", "file_shared"] as const)
      app.event(type, async ({ event }) => {
        seen.push(event as unknown as Seen);
      });
    await app.start();
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.waitFor(() => fake.socket.connected() === 0);
    await fake?.close();
  });

  it("sends message, app_mention and file_shared in their own envelopes; the bot downloads the clip", async () => {
    const alice = fake.addUser(fake.teamId, { name: "alice" });
    const general = fake.addChannel(fake.teamId, { name: "general" });
    const bytes = Uint8Array.from({ length: 900 }, (_, i) => i % 251);
    const shared = await fake.socket.userSharesFile({
      teamId: fake.teamId,
      channelId: general,
      userId: alice,
      text: `<@${fake.botUserId}> what does this say?`,
      file: {
        name: "audio_message.webm",
        mimetype: "audio/webm",
        bytes,
        subtype: "slack_audio",
        durationMs: 800,
      },
    });
    expect(shared.deliveries.map((d) => [d.event.type, d.acked])).toEqual([
      ["message", true],
      ["app_mention", true],
      ["file_shared", true],
    ]);
    expect(shared.notDelivered).toEqual([]);
    await fake.waitFor(() => seen.length === 3);
    const byType = Object.fromEntries(seen.map((e) => [e.type, e]));
    expect(byType.message).toMatchObject({
      subtype: "file_share",
      ts: shared.message.ts,
      files: [{ id: shared.fileId, subtype: "slack_audio", duration_ms: 800, mimetype: "audio/webm" }],
    });
    // The mention carries the same message and files, without subtype and channel_type.
    expect(byType.app_mention).toMatchObject({ ts: shared.message.ts, files: [{ id: shared.fileId }] });
    expect(byType.app_mention).not.toHaveProperty("subtype");
    expect(byType.file_shared).toEqual({
      type: "file_shared",
      channel_id: general,
      file_id: shared.fileId,
      user_id: alice,
      file: { id: shared.fileId },
      event_ts: expect.stringMatching(/^\d{10}\.\d{6}$/),
    });

    const download = await fetch(shared.urlPrivateDownload, {
      headers: { authorization: `Bearer ${fake.botToken}` },
    });
    expect(download.headers.get("content-type")).toBe("audio/webm");
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });
});
