import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeSlack, type FakeSlack } from "./index.ts";
import { platformError } from "./platform-error.ts";
import { quietLogger } from "./quiet-logger.ts";

const quiet = { retryConfig: { retries: 0 }, logger: quietLogger() };
// No app subscribed to message events listens here: the shares only store files, nothing is sent.
const noApp = "http://127.0.0.1:9";

describe("fake Slack: downloading shared files as strictly as Slack", () => {
  let fake: FakeSlack;
  let acme: string;
  let acmeToken: string;
  let clip: { fileId: string; urlPrivate: string; urlPrivateDownload: string };
  let acmeFile: { urlPrivateDownload: string };
  const bytes = Uint8Array.from({ length: 2048 }, (_, i) => (i * 53 + 7) % 256);

  /** Installs the app in a workspace through the authorize page and oauth.v2.access, with these bot scopes. */
  const install = async (teamId: string, scope: string) => {
    const query = new URLSearchParams({ client_id: fake.clientId, scope, state: "s" });
    const { code } = fake.approveInstall(`${fake.origin}/oauth/v2/authorize?${query}`, teamId);
    const client = new WebClient(undefined, { slackApiUrl: fake.apiUrl, ...quiet });
    const answer = await client.oauth.v2.access({
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      code,
    });
    return answer.access_token ?? "";
  };
  const get = (url: string, token?: string) =>
    fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    fake = await createFakeSlack(); // defaultScopes: files:read among them
    fake.redirectUrls.push("http://127.0.0.1:9/slack/oauth_redirect");
    const alice = fake.addUser(fake.teamId, { name: "alice" });
    const general = fake.addChannel(fake.teamId, { name: "general" });
    const file = { name: "audio_message.m4a", mimetype: "audio/mp4", bytes, subtype: "slack_audio" } as const;
    clip = await fake.userSharesFile({
      appUrl: noApp,
      teamId: fake.teamId,
      channelId: general,
      userId: alice,
      file,
    });
    acme = fake.addTeam({ name: "Acme" });
    acmeToken = await install(acme, "chat:write,commands"); // no files:read
    const wile = fake.addUser(acme, { name: "wile" });
    const room = fake.addChannel(acme, { name: "room" });
    const memo = { name: "memo.wav", mimetype: "audio/wav", bytes: bytes.slice(0, 16) };
    acmeFile = await fake.userSharesFile({
      appUrl: noApp,
      teamId: acme,
      channelId: room,
      userId: wile,
      file: memo,
    });
  });

  afterAll(async () => {
    await fake?.close();
  });

  it("serves the exact bytes, mimetype and length to the bot token, and logs the download", async () => {
    const response = await get(clip.urlPrivateDownload, fake.botToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("audio/mp4");
    expect(response.headers.get("content-length")).toBe("2048");
    expect(response.headers.get("content-disposition")).toContain("audio_message.m4a");
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    const inline = await get(clip.urlPrivate, fake.botToken);
    expect(inline.headers.get("content-disposition")).toBeNull();
    expect(Buffer.from(await inline.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    const log = fake.requests().filter((r) => r.method === "file_download");
    expect(log.slice(-2).map((r) => [r.status, r.teamId, r.params, r.result])).toEqual([
      [200, fake.teamId, { file_id: clip.fileId }, "2048 bytes"],
      [200, fake.teamId, { file_id: clip.fileId }, "2048 bytes"],
    ]);
  });

  it("answers 200 with the HTML sign-in page without a usable token or without files:read", async () => {
    const attempts: [string | undefined, string][] = [
      [undefined, "no live bot token"],
      ["xoxb-not-a-token", "no live bot token"],
      [fake.appToken, "no live bot token"],
      [acmeToken, "lacks files:read"],
    ];
    for (const [token, reason] of attempts) {
      const url = token === acmeToken ? acmeFile.urlPrivateDownload : clip.urlPrivateDownload;
      const response = await get(url, token);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      const body = await response.text();
      expect(body).toMatch(/^<!DOCTYPE html>/);
      expect(body).toContain("Sign in");
      expect(fake.requests().at(-1)).toMatchObject({ method: "file_download", status: 200 });
      expect(fake.requests().at(-1)?.result).toContain(reason);
    }
    // A token in the query string is not how Slack takes it either.
    const inQuery = await get(`${clip.urlPrivateDownload}?token=${fake.botToken}`);
    expect(inQuery.headers.get("content-type")).toMatch(/^text\/html/);
  });

  it("answers 404 for another workspace's file, a wrong name or an unknown id", async () => {
    const acmeWithFiles = await install(acme, "files:read"); // a reinstall adds the scope to the same token
    expect(acmeWithFiles).toBe(acmeToken);
    const own = await get(acmeFile.urlPrivateDownload, acmeToken);
    expect([own.status, own.headers.get("content-type")]).toEqual([200, "audio/wav"]);
    const foreign = await get(clip.urlPrivateDownload, acmeToken);
    expect([foreign.status, await foreign.text()]).toEqual([404, "file_not_found"]);
    expect(fake.requests().at(-1)?.result).toContain("belongs to");
    const renamed = await get(
      clip.urlPrivateDownload.replace("audio_message.m4a", "other.m4a"),
      fake.botToken,
    );
    expect(renamed.status).toBe(404);
    const unknown = await get(`${fake.origin}/files-pri/${fake.teamId}-F0NOPE/x.m4a`, fake.botToken);
    expect(unknown.status).toBe(404);
  });

  it("answers files.info with the whole file only with files:read", async () => {
    const bot = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, ...quiet });
    const info = await bot.files.info({ file: clip.fileId });
    expect(info.file).toMatchObject({ id: clip.fileId, subtype: "slack_audio", size: 2048 });
    const narrow = fake.addTeam({ name: "Narrow" });
    const narrowToken = await install(narrow, "chat:write");
    const refused = new WebClient(narrowToken, { slackApiUrl: fake.apiUrl, ...quiet }).files.info({
      file: clip.fileId,
    });
    expect(await platformError(refused)).toBe("missing_scope");
  });

  it("serves the sign-in page once the app is uninstalled", async () => {
    fake.uninstall(fake.teamId);
    const response = await get(clip.urlPrivateDownload, fake.botToken);
    expect([response.status, response.headers.get("content-type")]).toEqual([
      200,
      "text/html; charset=utf-8",
    ]);
  });
});
