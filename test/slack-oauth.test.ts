import { holds, jobs, slackInstallations, tenants } from "@replibot/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./helpers/discord-stack.ts";
import { type SlackStack, startSlackStack } from "./helpers/slack-stack.ts";

let stack: SlackStack;
beforeAll(async () => {
  // OAuth mode: no SLACK_BOT_TOKEN; every workspace's token comes from its stored installation.
  stack = await startSlackStack({ label: "slack-oauth", mode: "oauth", emulator: { tokensPerSecond: 20 } });
});
afterAll(async () => {
  await stack?.close();
});

/** A workspace admin installing Replibot through /slack/install, as a browser would. */
async function install(teamId: string) {
  stack.fake.redirectUrls = [`${stack.appUrl}/slack/oauth_redirect`];
  const start = await fetch(`${stack.appUrl}/slack/install`, { redirect: "manual" });
  expect(start.status).toBe(302);
  const authorizeUrl = start.headers.get("location") ?? "";
  expect(new URL(authorizeUrl).searchParams.get("scope")).toContain("chat:write.public");
  const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const { location } = stack.fake.approveInstall(authorizeUrl, teamId);
  return fetch(location, { headers: { cookie }, redirect: "manual" });
}

describe("Slack OAuth installs", () => {
  it("ignores a workspace that has not installed the app, then serves it once an admin installs it", async () => {
    const teamId = stack.fake.addTeam({ name: "Acme" });
    const channel = stack.fake.addChannel(teamId, { name: "general" });
    const before = await stack.command("ann", "/ask", "hello", channel, teamId);
    // Bolt 5.1 acks a request it cannot authorize (no installation) and runs no listener: no job.
    expect(before.status).toBe(200);
    expect(await stack.database.db.select().from(jobs).where(eq(jobs.id, before.jobId))).toEqual([]);

    const done = await install(teamId);
    expect(done.status).toBe(200);
    const [row] = await stack.database.db
      .select()
      .from(slackInstallations)
      .where(eq(slackInstallations.teamId, teamId));
    expect(row).toBeDefined();
    // The bot token is stored sealed with SECRETS_KEY, never in the clear.
    expect(JSON.stringify(row)).not.toMatch(/xoxb-/);

    const request = await stack.command(
      "ann",
      "/ask",
      "Repeat exactly 3 times:\nInstalled. ",
      channel,
      teamId,
    );
    expect(request.status).toBe(200);
    const job = await stack.finished(request.jobId);
    expect(job.status).toBe("succeeded");
    const reply = await stack.replyOf(request.jobId);
    expect(reply.text).toContain("Installed.Installed.Installed.");
  });

  it("refuses an install whose state cookie is missing, storing nothing", async () => {
    const teamId = stack.fake.addTeam({ name: "Cookieless" });
    stack.fake.redirectUrls = [`${stack.appUrl}/slack/oauth_redirect`];
    const start = await fetch(`${stack.appUrl}/slack/install`, { redirect: "manual" });
    const { location } = stack.fake.approveInstall(start.headers.get("location") ?? "", teamId);
    const done = await fetch(location, { redirect: "manual" });
    expect(done.status).toBeGreaterThanOrEqual(400);
    const rows = await stack.database.db
      .select()
      .from(slackInstallations)
      .where(eq(slackInstallations.teamId, teamId));
    expect(rows).toEqual([]);
  });

  it("on uninstall, cancels the workspace's jobs, releases their holds and deletes its tokens", async () => {
    const teamId = stack.fake.addTeam({ name: "Leaving" });
    const channel = stack.fake.addChannel(teamId, { name: "general" });
    expect((await install(teamId)).status).toBe(200);
    const running = await stack.command(
      "lou",
      "/ask",
      "Repeat exactly 200 times:\nStill going. ",
      channel,
      teamId,
    );
    await eventually(async () => {
      const [row] = await stack.database.db.select().from(jobs).where(eq(jobs.id, running.jobId));
      return row?.status === "running" ? row : undefined;
    });

    const events = stack.fake.uninstall(teamId);
    const revoked = await stack.fake.event({ appUrl: stack.appUrl, teamId, event: events.tokensRevoked });
    const uninstalled = await stack.fake.event({
      appUrl: stack.appUrl,
      teamId,
      event: events.appUninstalled,
    });
    // Slack retries an event it thinks failed; the same event again changes nothing.
    const retried = await stack.fake.event({
      appUrl: stack.appUrl,
      teamId,
      event: events.appUninstalled,
      eventId: uninstalled.eventId,
      retryNum: 1,
    });
    expect([revoked.status, uninstalled.status, retried.status]).toEqual([200, 200, 200]);

    const job = await eventually(async () => {
      const [row] = await stack.database.db.select().from(jobs).where(eq(jobs.id, running.jobId));
      return row && row.status !== "running" ? row : undefined;
    });
    expect(job.status).toBe("canceled");
    expect(stack.emulator.control.prediction(job.predictionId!)!.prediction.status).toBe("canceled");
    // Its message can no longer be written (the token is revoked): the job still ends, once.
    await stack.finished(running.jobId);
    const [tenant] = await stack.database.db
      .select()
      .from(tenants)
      .where(and(eq(tenants.platform, "slack"), eq(tenants.externalId, teamId)));
    await eventually(async () => {
      const open = await stack.database.db
        .select()
        .from(holds)
        .where(and(eq(holds.tenantId, tenant!.id), eq(holds.status, "held")));
      return open.length === 0 ? true : undefined;
    });
    const rows = await stack.database.db
      .select()
      .from(slackInstallations)
      .where(eq(slackInstallations.teamId, teamId));
    expect(rows).toEqual([]);
  });
});
