import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeSlack, type FakeSlack } from "./index.ts";
import { platformError } from "./platform-error.ts";
import { quietLogger } from "./quiet-logger.ts";

const fastRetries = { retries: 2, minTimeout: 0, maxTimeout: 10 };
/** WebClient options for the fake: fast retries, and the rate-limit warnings kept off the console. */
const quiet = { retryConfig: fastRetries, logger: quietLogger() };

describe("fake Slack Web API with the real WebClient", () => {
  let fake: FakeSlack;
  let client: WebClient;
  let general: string;
  let aliceId: string;

  beforeAll(async () => {
    // chat.update tightened to 3 per second so a burst overflows without waiting a minute.
    fake = await createFakeSlack();
    fake.rateLimits.tiers[3] = { limit: 3, windowMs: 1_000 };
    general = fake.addChannel(fake.teamId, { name: "general" });
    aliceId = fake.addUser(fake.teamId, { name: "alice", isAdmin: true });
    client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, ...quiet });
  });

  afterAll(async () => {
    await fake?.close();
  });

  it("edits the bot's own message and refuses another user's", async () => {
    const posted = await client.chat.postMessage({ channel: general, text: "draft" });
    await client.chat.update({ channel: general, ts: posted.ts ?? "", text: "final" });
    const mine = fake.messages(general).find((m) => m.ts === posted.ts);
    expect(mine?.text).toBe("final");
    expect(mine?.edits.map((e) => e.text)).toEqual(["draft"]);

    const theirs = fake.addUserMessage({ channelId: general, userId: aliceId, text: "mine" });
    expect(await platformError(client.chat.update({ channel: general, ts: theirs.ts, text: "x" }))).toBe(
      "cant_update_message",
    );
    expect(await platformError(client.chat.update({ channel: general, ts: "1.000000", text: "x" }))).toBe(
      "message_not_found",
    );
  });

  it("requires channel membership to post", async () => {
    const secret = fake.addChannel(fake.teamId, { name: "secret", isPrivate: true, botIsMember: false });
    const lobby = fake.addChannel(fake.teamId, { name: "lobby", botIsMember: false });
    expect(await platformError(client.chat.postMessage({ channel: secret, text: "hi" }))).toBe(
      "not_in_channel",
    );
    expect(await platformError(client.chat.postMessage({ channel: lobby, text: "hi" }))).toBe(
      "not_in_channel",
    );
    expect(await platformError(client.chat.postMessage({ channel: "C0NOPE", text: "hi" }))).toBe(
      "channel_not_found",
    );
    await client.conversations.join({ channel: lobby });
    await client.chat.postMessage({ channel: lobby, text: "hi" });
    expect(fake.messages(lobby).map((m) => m.text)).toEqual(["hi"]);
    expect(fake.messages(secret)).toEqual([]);
  });

  it("answers errors as Slack does", async () => {
    const long = "x".repeat(40_001);
    expect(await platformError(client.chat.postMessage({ channel: general, text: long }))).toBe(
      "msg_too_long",
    );
    const stranger = new WebClient("xoxb-not-a-token", {
      slackApiUrl: fake.apiUrl,
      ...quiet,
    });
    expect(await platformError(stranger.auth.test())).toBe("invalid_auth");
    expect(await platformError(client.apiCall("no.such.method"))).toBe("unknown_method");
    const user = await client.users.info({ user: aliceId });
    expect(user.user).toMatchObject({ id: aliceId, is_admin: true, is_owner: false });
  });

  it("sends 429 with Retry-After past Tier 3, and WebClient retries so every update lands", async () => {
    const posted = await client.chat.postMessage({ channel: general, text: "0" });
    const ts = posted.ts ?? "";
    // A fresh window (earlier tests called chat.update too), so exactly 3 pass and 3 are refused.
    fake.clock.advance(1_000);
    const before = fake.rateLimitLog().length;
    await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => client.chat.update({ channel: general, ts, text: String(n) })),
    );
    const hits = fake.rateLimitLog().slice(before);
    expect(hits).toHaveLength(3);
    expect(hits.every((h) => h.method === "chat.update" && h.retryAfterSeconds === 1)).toBe(true);
    const message = fake.messages(general).find((m) => m.ts === ts);
    expect(message?.edits).toHaveLength(6);
    const statuses = fake.requests().filter((r) => r.method === "chat.update" && r.params.ts === ts);
    expect(statuses.filter((r) => r.status === 429)).toHaveLength(hits.length);
  });

  it("limits chat.postMessage per channel after a burst", async () => {
    const burst = fake.addChannel(fake.teamId, { name: "burst" });
    const impatient = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      rejectRateLimitedCalls: true,
    });
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5, 6].map((n) => impatient.chat.postMessage({ channel: burst, text: String(n) })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(fake.messages(burst)).toHaveLength(5);
    expect(fake.rateLimitLog().at(-1)).toMatchObject({ method: "chat.postMessage", rule: "channel" });
  });

  it("stores a filesUploadV2 upload with its bytes in the channel", async () => {
    const bytes = Buffer.from("hello, file");
    await client.filesUploadV2({
      channel_id: general,
      file: bytes,
      filename: "hello.txt",
      initial_comment: "here",
    });
    const message = fake.messages(general).find((m) => m.files.length > 0);
    expect(message?.text).toBe("here");
    expect(message?.files[0]?.name).toBe("hello.txt");
    expect(fake.requests().find((r) => r.method === "upload")?.status).toBe(200);
    expect(Buffer.from(message?.files[0]?.bytes ?? []).toString()).toBe("hello, file");
  });

  it("installs into another workspace through oauth.v2.access", async () => {
    const other = fake.addTeam({ name: "Other" });
    const code = fake.createOAuthCode(other);
    const anonymous = new WebClient(undefined, { slackApiUrl: fake.apiUrl, ...quiet });
    const access = await anonymous.oauth.v2.access({
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      code,
    });
    expect(access.team?.id).toBe(other);
    const installed = new WebClient(access.access_token, {
      slackApiUrl: fake.apiUrl,
      ...quiet,
    });
    expect((await installed.auth.test()).team_id).toBe(other);
    expect(
      await platformError(
        anonymous.oauth.v2.access({ client_id: fake.clientId, client_secret: fake.clientSecret, code }),
      ),
    ).toBe("invalid_code");
  });

  it("accepts five response_url posts, refuses the sixth, and expires after 30 minutes", async () => {
    const post = (url: string, body: object) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const first = fake.issueResponseUrl({ teamId: fake.teamId, channelId: general, userId: aliceId });
    const statuses: number[] = [];
    for (const n of [1, 2, 3, 4, 5, 6]) statuses.push((await post(first.url, { text: `r${n}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(fake.responseUrlPosts(first.id).map((p) => p.accepted)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
    // Ephemeral by default: only alice sees them.
    expect(fake.messages(general).some((m) => m.text === "r1")).toBe(false);
    expect(fake.messages(general, { as: aliceId }).find((m) => m.text === "r1")?.ephemeralTo).toBe(aliceId);

    const second = fake.issueResponseUrl({ teamId: fake.teamId, channelId: general, userId: aliceId });
    expect((await post(second.url, { text: "public", response_type: "in_channel" })).status).toBe(200);
    expect(fake.messages(general).some((m) => m.text === "public")).toBe(true);
    fake.clock.advance(30 * 60_000 + 1);
    expect((await post(second.url, { text: "late" })).status).toBe(404);
  });
});
