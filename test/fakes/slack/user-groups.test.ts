import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BoltTestApp, startBoltApp } from "./bolt-test-app.ts";
import {
  createFakeSlack,
  defaultScopes,
  type FakeSlack,
  messageEventScopes,
  userGroupScope,
} from "./index.ts";
import { platformError } from "./platform-error.ts";
import { quietLogger } from "./quiet-logger.ts";

const quiet = { retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 }, logger: quietLogger() };

/** The `data` of a rejected Web API call (`error`, `needed`, `provided`, …). */
async function errorData(call: Promise<unknown>): Promise<Record<string, unknown> | undefined> {
  const error = await call.then(
    () => undefined,
    (e: { data?: Record<string, unknown> }) => e,
  );
  return error?.data;
}

describe("fake Slack: user groups with the real WebClient", () => {
  let fake: FakeSlack;
  let client: WebClient;
  let bolt: BoltTestApp;
  let general: string;
  let alice: string;
  let bob: string;
  let carol: string;
  let admins: string;

  beforeAll(async () => {
    fake = await createFakeSlack({ scopes: [...defaultScopes, ...messageEventScopes, userGroupScope] });
    general = fake.addChannel(fake.teamId, { name: "general" });
    alice = fake.addUser(fake.teamId, { name: "alice" });
    bob = fake.addUser(fake.teamId, { name: "bob" });
    carol = fake.addUser(fake.teamId, { name: "carol" });
    admins = fake.addUserGroup(fake.teamId, {
      handle: "replibot-admins",
      name: "Replibot admins",
      userIds: [alice, bob],
    });
    client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, ...quiet });
    bolt = await startBoltApp(fake, () => {});
  });

  afterAll(async () => {
    await bolt?.stop();
    await fake?.close();
  });

  it("lists the workspace's groups, with their users only when asked", async () => {
    expect(admins).toMatch(/^S[A-Z0-9]+$/);
    const other = fake.addTeam();
    fake.addUserGroup(other, { handle: "replibot-admins", userIds: [fake.addUser(other, { name: "zed" })] });

    const plain = await client.usergroups.list();
    expect(plain.usergroups).toEqual([
      expect.objectContaining({
        id: admins,
        team_id: fake.teamId,
        is_usergroup: true,
        name: "Replibot admins",
        handle: "replibot-admins",
        description: "",
        date_delete: 0,
        user_count: "2",
      }),
    ]);
    expect(plain.usergroups?.[0]).not.toHaveProperty("users");
    // Listener clients send team_id on every call; for a workspace token Slack ignores it.
    const withUsers = await client.usergroups.list({ include_users: true, team_id: fake.teamId });
    expect(withUsers.usergroups?.map((g) => g.users)).toEqual([[alice, bob]]);
  });

  it("lists a group's members, follows changes, and answers no_such_subteam for other ids", async () => {
    expect((await client.usergroups.users.list({ usergroup: admins })).users).toEqual([alice, bob]);
    fake.setUserGroupMembers(admins, [carol, alice, carol]);
    expect((await client.usergroups.users.list({ usergroup: admins })).users).toEqual([carol, alice]);
    const listed = await client.usergroups.list({ include_users: true });
    expect(listed.usergroups?.[0]).toMatchObject({ users: [carol, alice], user_count: "2" });

    const other = fake.addTeam();
    const theirs = fake.addUserGroup(other, { handle: "theirs", userIds: [] });
    expect(await platformError(client.usergroups.users.list({ usergroup: "S0NOPE" }))).toBe(
      "no_such_subteam",
    );
    expect(await platformError(client.usergroups.users.list({ usergroup: theirs }))).toBe("no_such_subteam");
    expect(() => fake.setUserGroupMembers(admins, [fake.addUser(other, { name: "x" })])).toThrow(/no user/);
    expect(() => fake.addUserGroup(fake.teamId, { handle: "replibot-admins", userIds: [] })).toThrow(
      /exists/,
    );
    expect(() => fake.addUserGroup(fake.teamId, { handle: "@Admins", userIds: [] })).toThrow(/handle/);
    fake.setUserGroupMembers(admins, [alice, bob]);
  });

  it("leaves disabled groups out unless include_disabled", async () => {
    const old = fake.addUserGroup(fake.teamId, { handle: "old-crew", userIds: [bob] });
    fake.setUserGroupDisabled(old, true);
    expect((await client.usergroups.list()).usergroups?.map((g) => g.id)).toEqual([admins]);
    const all = await client.usergroups.list({ include_disabled: true });
    expect(all.usergroups?.find((g) => g.id === old)?.date_delete).toBeGreaterThan(0);
    expect(await platformError(client.usergroups.users.list({ usergroup: old }))).toBe("no_such_subteam");
    expect((await client.usergroups.users.list({ usergroup: old, include_disabled: true })).users).toEqual([
      bob,
    ]);
    fake.setUserGroupDisabled(old, false);
    expect((await client.usergroups.list()).usergroups?.map((g) => [g.id, g.date_delete])).toEqual([
      [admins, 0],
      [old, 0],
    ]);
  });

  it("needs the usergroups:read scope, which is not a default one", async () => {
    const bare = await createFakeSlack();
    try {
      const bareClient = new WebClient(bare.botToken, { slackApiUrl: bare.apiUrl, ...quiet });
      const group = bare.addUserGroup(bare.teamId, { handle: "admins", userIds: [] });
      const expected = {
        error: "missing_scope",
        needed: "usergroups:read",
        provided: defaultScopes.join(","),
      };
      expect(await errorData(bareClient.usergroups.list())).toMatchObject(expected);
      expect(await errorData(bareClient.usergroups.users.list({ usergroup: group }))).toMatchObject(expected);
    } finally {
      await bare.close();
    }
  });

  it("limits both methods at Tier 2 per workspace", async () => {
    expect(fake.rateLimits.methodTiers["usergroups.list"]).toBe(2);
    expect(fake.rateLimits.methodTiers["usergroups.users.list"]).toBe(2);
    // A fresh fake, so the calls above do not count; Tier 2 cut to one call a minute.
    const tight = await createFakeSlack({ scopes: [...defaultScopes, userGroupScope] });
    try {
      tight.rateLimits.tiers[2] = { limit: 1, windowMs: 60_000 };
      const impatient = new WebClient(tight.botToken, {
        slackApiUrl: tight.apiUrl,
        rejectRateLimitedCalls: true,
        ...quiet,
      });
      for (const call of [
        () => impatient.usergroups.list(),
        () => impatient.usergroups.users.list({ usergroup: "S1" }),
      ]) {
        await call().catch(() => undefined); // the first counts, whatever it answers
        await expect(call()).rejects.toMatchObject({ code: "slack_webapi_rate_limited_error" });
      }
      expect(tight.rateLimitLog().map((h) => [h.method, h.rule])).toEqual([
        ["usergroups.list", "tier2"],
        ["usergroups.users.list", "tier2"],
      ]);
    } finally {
      await tight.close();
    }
  });

  it("turns <!subteam^S…|@handle> in what people write into a usergroup rich-text element", async () => {
    const base = { appUrl: bolt.url, teamId: fake.teamId, channelId: general, userId: carol };
    const said = await fake.userSays({ ...base, text: `<!subteam^${admins}|@replibot-admins> help?` });
    expect(said.deliveries.map((d) => d.status)).toEqual([200]);
    expect(said.message.blocks).toEqual([
      expect.objectContaining({
        elements: [
          {
            type: "rich_text_section",
            elements: [
              { type: "usergroup", usergroup_id: admins },
              { type: "text", text: " help?" },
            ],
          },
        ],
      }),
    ]);
    await expect(fake.userSays({ ...base, text: "<!subteam^S0NOPE|@nope> hi" })).rejects.toThrow(
      "no enabled user group S0NOPE",
    );
    const broadcast = await fake.userSays({ ...base, text: "<!here> still a broadcast" });
    expect(JSON.stringify(broadcast.message.blocks)).toContain('{"type":"broadcast","range":"here"}');
  });
});
