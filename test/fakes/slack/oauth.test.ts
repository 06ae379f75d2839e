import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BoltOAuthApp, startBoltOAuthApp, stateCookieName } from "./bolt-oauth-app.ts";
import { createFakeSlack, type FakeSlack } from "./index.ts";
import { platformError } from "./platform-error.ts";
import { quietLogger } from "./quiet-logger.ts";

const quiet = { retryConfig: { retries: 0 }, logger: quietLogger() };

describe("fake Slack OAuth: install page, oauth.v2.access, and a real Bolt App in OAuth mode", () => {
  let fake: FakeSlack;
  let bolt: BoltOAuthApp;
  let acme: string;
  let acmeChannel: string;
  let acmeUser: string;
  const asked: { team: string | undefined; token: string | undefined }[] = [];

  beforeAll(async () => {
    fake = await createFakeSlack();
    acme = fake.addTeam({ name: "Acme" });
    acmeChannel = fake.addChannel(acme, { name: "general" });
    acmeUser = fake.addUser(acme, { name: "wile", isAdmin: true });
    bolt = await startBoltOAuthApp(fake, (app) => {
      app.command("/ask", async ({ ack, command, client, context }) => {
        await ack();
        asked.push({ team: context.teamId, token: context.botToken });
        await client.chat.postMessage({ channel: command.channel_id, text: `Q: ${command.text}` });
      });
    });
  });

  afterAll(async () => {
    await bolt?.stop();
    await fake?.close();
  });

  const authorizeUrl = (query: Record<string, string>) =>
    `${fake.origin}/oauth/v2/authorize?${new URLSearchParams(query).toString()}`;
  const valid = () => ({
    client_id: fake.clientId,
    scope: "chat:write,commands",
    state: "s1",
    redirect_uri: fake.redirectUrls[0] ?? "",
  });

  it("installs through Bolt's /slack/install, the authorize page and /slack/oauth_redirect", async () => {
    const run = await bolt.install((url) => fake.approveInstall(url, acme).location);
    const authorize = new URL(run.authorizeUrl);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${fake.origin}/oauth/v2/authorize`);
    // Bolt sends scope, state and client_id; redirect_uri only when the App has a `redirectUri` option.
    expect([...authorize.searchParams.keys()]).toEqual(["scope", "state", "client_id"]);
    expect(run.cookie).toBe(`${stateCookieName}=${authorize.searchParams.get("state")}`);
    expect(run.status).toBe(200);
    const installation = bolt.store.installations.get(acme);
    expect(installation?.bot).toMatchObject({
      userId: expect.any(String),
      scopes: ["chat:write", "commands"],
    });
    const token = installation?.bot?.token ?? "";
    expect(token).toMatch(/^xoxb-/);
    // Bolt exchanged the code, then ran auth.test with the new token.
    const calls = fake.requests().filter((r) => r.method === "oauth.v2.access" || r.method === "auth.test");
    expect(calls.map((r) => [r.method, r.teamId])).toEqual([
      ["oauth.v2.access", undefined],
      ["auth.test", acme],
    ]);
  });

  it("authorizes a signed slash command for that workspace with the new token", async () => {
    const answer = await fake.slashCommand({
      appUrl: bolt.url,
      teamId: acme,
      channelId: acmeChannel,
      userId: acmeUser,
      command: "/ask",
      text: "beep",
    });
    expect(answer.status).toBe(200);
    await fake.waitFor(() => fake.messages(acmeChannel).length === 1);
    expect(asked).toEqual([{ team: acme, token: bolt.store.installations.get(acme)?.bot?.token }]);
    expect(fake.messages(acmeChannel)[0]?.text).toBe("Q: beep");
    // The token decides the workspace: the post was authorized as Acme's bot, in Acme's channel.
    expect(
      fake
        .requests()
        .filter((r) => r.method === "chat.postMessage")
        .map((r) => r.teamId),
    ).toEqual([acme]);
  });

  it("refuses the callback without Bolt's state cookie (400, no code exchanged)", async () => {
    const exchanges = fake.requests().filter((r) => r.method === "oauth.v2.access").length;
    const run = await bolt.install((url) => fake.approveInstall(url, acme).location, { withCookie: false });
    expect(run.status).toBe(400);
    expect(fake.requests().filter((r) => r.method === "oauth.v2.access")).toHaveLength(exchanges);
  });

  it("serves GET /oauth/v2/authorize as the default workspace's approval: a 302, and a reinstall keeps the token", async () => {
    const run = await bolt.install(async (url) => {
      const page = await fetch(url, { redirect: "manual" });
      expect(page.status).toBe(302);
      return page.headers.get("location") ?? "";
    });
    expect(run.status).toBe(200);
    expect(bolt.store.installations.get(fake.teamId)?.bot?.token).toBe(fake.botToken);
    const bad = await fetch(authorizeUrl({ ...valid(), client_id: "nope" }), { redirect: "manual" });
    expect([bad.status, await bad.text()]).toEqual([400, "invalid_client_id"]);
  });

  it("checks the authorize URL as Slack does", () => {
    const reason = (query: Record<string, string>, teamId = acme) => {
      try {
        fake.approveInstall(authorizeUrl(query), teamId);
        return "approved";
      } catch (error) {
        return (error as Error).message.split(":")[0];
      }
    };
    expect(reason(valid())).toBe("approved");
    expect(reason({ ...valid(), client_id: "1.2" })).toBe("invalid_client_id");
    expect(reason({ ...valid(), scope: "chat:write commands" })).toBe("invalid_scope");
    expect(reason({ ...valid(), scope: "chat:write,,commands" })).toBe("invalid_scope");
    expect(reason({ ...valid(), scope: "chat:write,admin" })).toBe("invalid_scope");
    expect(reason({ ...valid(), scope: "" })).toBe("no_scopes");
    const { state: _state, ...stateless } = valid();
    expect(reason(stateless)).toBe("missing_state");
    expect(reason({ ...valid(), redirect_uri: "/slack/oauth_redirect" })).toBe("bad_redirect_uri");
    expect(reason({ ...valid(), redirect_uri: "http://127.0.0.1:1/elsewhere" })).toBe("bad_redirect_uri");
    expect(reason({ ...valid(), team: fake.teamId })).toBe("invalid_team");
    expect(() => fake.approveInstall(`${fake.origin}/oauth/authorize?client_id=x`, acme)).toThrow(
      /oauth_authorization_url_mismatch/,
    );
    const { location, code } = fake.approveInstall(authorizeUrl({ ...valid(), state: "a b" }), acme);
    expect(location).toBe(`${valid().redirect_uri}?code=${code}&state=a+b`);
  });

  it("makes oauth.v2.access strict: redirect_uri must repeat, codes are single use and live 10 minutes", async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: fake.apiUrl, ...quiet });
    const credentials = { client_id: fake.clientId, client_secret: fake.clientSecret };
    const issue = () => fake.approveInstall(authorizeUrl(valid()), acme).code;
    const redirect_uri = valid().redirect_uri;

    expect(await platformError(anonymous.oauth.v2.access({ ...credentials, code: issue() }))).toBe(
      "bad_redirect_uri",
    );
    const code = issue();
    expect(
      await platformError(
        anonymous.oauth.v2.access({ ...credentials, code, redirect_uri: `${redirect_uri}/x` }),
      ),
    ).toBe("bad_redirect_uri");
    // A failed attempt spent the code.
    expect(await platformError(anonymous.oauth.v2.access({ ...credentials, code, redirect_uri }))).toBe(
      "invalid_code",
    );
    const fresh = issue();
    expect((await anonymous.oauth.v2.access({ ...credentials, code: fresh, redirect_uri })).team?.id).toBe(
      acme,
    );
    expect(
      await platformError(anonymous.oauth.v2.access({ ...credentials, code: fresh, redirect_uri })),
    ).toBe("invalid_code");
    const late = issue();
    fake.clock.advance(10 * 60_000 + 1);
    expect(await platformError(anonymous.oauth.v2.access({ ...credentials, code: late, redirect_uri }))).toBe(
      "invalid_code",
    );
    expect(
      await platformError(anonymous.oauth.v2.access({ ...credentials, client_secret: "x", code: issue() })),
    ).toBe("bad_client_secret");
  });

  it("hands out a user token for user_scope; it identifies the installer and may not post", async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: fake.apiUrl, ...quiet });
    const url = authorizeUrl({ ...valid(), scope: "commands", user_scope: "search:read" });
    const { code } = fake.approveInstall(url, acme, { userId: acmeUser });
    const access = await anonymous.oauth.v2.access({
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      code,
      redirect_uri: valid().redirect_uri,
    });
    expect(access.authed_user).toMatchObject({ id: acmeUser, scope: "search:read", token_type: "user" });
    const asUser = new WebClient(access.authed_user?.access_token, { slackApiUrl: fake.apiUrl, ...quiet });
    expect(await asUser.auth.test()).toMatchObject({ user_id: acmeUser, team_id: acme });
    expect(await platformError(asUser.chat.postMessage({ channel: acmeChannel, text: "hi" }))).toBe(
      "not_allowed_token_type",
    );
  });
});
