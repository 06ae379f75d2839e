import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BoltOAuthApp, startBoltOAuthApp } from "./bolt-oauth-app.ts";
import { type BoltTestApp, startBoltApp } from "./bolt-test-app.ts";
import { createFakeSlack, type FakeSlack } from "./index.ts";
import { platformError } from "./platform-error.ts";
import { quietLogger } from "./quiet-logger.ts";

const quiet = { retryConfig: { retries: 0 }, logger: quietLogger() };

describe("fake Slack uninstall: revoked tokens and the events Bolt receives", () => {
  let fake: FakeSlack;
  let bolt: BoltOAuthApp;
  let acme: string;
  let channel: string;
  let userId: string;
  const seen: { type: string; team: string | undefined; botToken: string | undefined }[] = [];
  let commands = 0;

  beforeAll(async () => {
    fake = await createFakeSlack();
    acme = fake.addTeam({ name: "Acme" });
    channel = fake.addChannel(acme, { name: "general" });
    userId = fake.addUser(acme, { name: "wile" });
    bolt = await startBoltOAuthApp(fake, (app) => {
      app.command("/ask", async ({ ack }) => {
        commands += 1;
        await ack();
      });
      app.event("tokens_revoked", async ({ event, context }) => {
        seen.push({ type: event.type, team: context.teamId, botToken: context.botToken });
      });
      app.event("app_uninstalled", async ({ event, context }) => {
        seen.push({ type: event.type, team: context.teamId, botToken: context.botToken });
        await bolt.store.deleteInstallation?.({
          teamId: context.teamId,
          enterpriseId: undefined,
          isEnterpriseInstall: false,
        });
      });
    });
    await bolt.install((url) => fake.approveInstall(url, acme).location);
  });

  afterAll(async () => {
    await bolt?.stop();
    await fake?.close();
  });

  it("revokes the workspace's tokens: bot tokens then answer account_inactive", async () => {
    const token = bolt.store.installations.get(acme)?.bot?.token;
    const client = new WebClient(token, { slackApiUrl: fake.apiUrl, ...quiet });
    expect((await client.auth.test()).team_id).toBe(acme);
    const events = fake.uninstall(acme);
    expect(events).toEqual({
      tokensRevoked: { type: "tokens_revoked", tokens: { oauth: [], bot: [expect.stringMatching(/^U/)] } },
      appUninstalled: { type: "app_uninstalled" },
    });
    expect(await platformError(client.auth.test())).toBe("account_inactive");
    expect(await platformError(client.chat.postMessage({ channel, text: "hi" }))).toBe("account_inactive");
    // The default workspace is untouched, and an app is not uninstalled twice.
    expect((await new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, ...quiet }).auth.test()).ok).toBe(
      true,
    );
    expect(() => fake.uninstall(acme)).toThrow(/not installed/);

    for (const event of [events.tokensRevoked, events.appUninstalled]) {
      const answer = await fake.event({ appUrl: bolt.url, teamId: acme, event });
      expect(answer.status).toBe(200);
      // No installation is left to name, so the envelope has no `authorizations`.
      expect(JSON.parse(answer.delivery.body)).not.toHaveProperty("authorizations");
    }
    // Bolt skips authorize() for these two event types: listeners run with the team id and no token.
    await fake.waitFor(() => seen.length === 2);
    expect(seen).toEqual([
      { type: "tokens_revoked", team: acme, botToken: undefined },
      { type: "app_uninstalled", team: acme, botToken: undefined },
    ]);
    expect(bolt.store.installations.has(acme)).toBe(false);
  });

  it("once the installation is gone, Bolt answers a command with 401 and runs no listener", async () => {
    const answer = await fake.slashCommand({
      appUrl: bolt.url,
      teamId: acme,
      channelId: channel,
      userId,
      command: "/ask",
    });
    // HTTPReceiver's defaultProcessEventErrorHandler turns the AuthorizationError into a bare 401.
    expect([answer.status, answer.body]).toEqual([401, ""]);
    expect(commands).toBe(0);
    expect(bolt.logs.some((l) => l.includes("Authorization of incoming event did not succeed"))).toBe(true);
  });

  it("lets the app be installed again; the bot must be invited back to channels", async () => {
    const run = await bolt.install((url) => fake.approveInstall(url, acme).location);
    expect(run.status).toBe(200);
    const client = new WebClient(bolt.store.installations.get(acme)?.bot?.token, {
      slackApiUrl: fake.apiUrl,
      ...quiet,
    });
    expect(await platformError(client.chat.postMessage({ channel, text: "back" }))).toBe("not_in_channel");
  });
});

describe("fake Slack uninstall with a single-workspace (token) Bolt App", () => {
  let fake: FakeSlack;
  let bolt: BoltTestApp;
  const results: unknown[] = [];

  beforeAll(async () => {
    fake = await createFakeSlack();
    bolt = await startBoltApp(fake, (app) => {
      app.event("app_uninstalled", async ({ client, context }) => {
        // The listener's client is the App's own, still holding the now-revoked token.
        results.push(
          context.botToken,
          await client.auth.test().then(
            () => "ok",
            (e: { data?: { error?: unknown } }) => e.data?.error,
          ),
        );
      });
    });
  });

  afterAll(async () => {
    await bolt?.stop();
    await fake?.close();
  });

  it("delivers app_uninstalled without authorization; API calls then fail with account_inactive", async () => {
    // Bolt's constructor-time auth.test is awaited only by a later authorize(); had it failed (revoked token)
    // the rejection would be unhandled, since app_uninstalled skips authorize(). Let it finish first.
    await fake.waitFor(() => fake.requests().some((r) => r.method === "auth.test"));
    const { appUninstalled } = fake.uninstall(fake.teamId);
    expect((await fake.event({ appUrl: bolt.url, teamId: fake.teamId, event: appUninstalled })).status).toBe(
      200,
    );
    await fake.waitFor(() => results.length === 2);
    expect(results).toEqual([undefined, "account_inactive"]);
  });
});
