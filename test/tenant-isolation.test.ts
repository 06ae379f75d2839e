import { createDiscordRest } from "@replibot/chat";
import { formatUsd } from "@replibot/core";
import { getJob, type JobRow, jobs } from "@replibot/db";
import { registerCommands } from "@replibot/discord";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";
import { type SlackRequest, type SlackStack, startSlackStack } from "./helpers/slack-stack.ts";
import { addSlackWorkspace, replyTs, type SlackWorkspace } from "./helpers/slack-workspace.ts";
import { tenantRows } from "./helpers/tenant-rows.ts";

let discord: DiscordStack;
let slack: SlackStack;
beforeAll(async () => {
  discord = await startDiscordStack({ label: "tenants-d", emulator: { tokensPerSecond: 40 } });
  slack = await startSlackStack({ label: "tenants-s", mode: "oauth", emulator: { tokensPerSecond: 40 } });
});
afterAll(async () => {
  await slack?.close();
  await discord?.close();
});

const secretPrompt = "B's confidential launch poster";
const longPrompt = "Repeat exactly 200 times:\nB keeps going ";

/** The spend a tenant's budget shows this month, as `/spend` writes it. */
async function spentUsd(stack: DiscordStack | SlackStack, externalId: string): Promise<string> {
  const [row] = await stack.database.sql`select b.spent_nanos from budgets b
    join tenants t on t.id = b.tenant_id where t.external_id = ${externalId}`;
  return formatUsd(BigInt(row?.spent_nanos ?? 0));
}

const isRunning = async (db: DiscordStack["database"]["db"], jobId: string) =>
  (await getJob(db, jobId))?.status === "running" ? true : undefined;

describe("two Discord servers", () => {
  /** A server: its channel, an admin, and commands delivered as Discord would. */
  function server(guildId: string, channelId: string) {
    const admin = discord.fake.addMember(guildId, { username: "boss", permissions: ["ManageGuild"] });
    const run = async (userId: string, name: string, subcommand?: string, options = {}) => {
      const sent = { guildId, channelId, userId, name, options, ...(subcommand ? { subcommand } : {}) };
      const { interactionId } = discord.fake.slashCommand(sent);
      const answer = await eventually(
        () => discord.fake.interactionResponse(interactionId)?.original ?? undefined,
      );
      return { interactionId, answer };
    };
    const said = async (...args: Parameters<typeof run>) => (await run(...args)).answer;
    return { guildId, channelId, admin, run, said };
  }
  let a: ReturnType<typeof server>;
  let b: ReturnType<typeof server>;
  let alice: string;
  let bob: string;
  let aImage: { interactionId: string; answer: { id: string } };
  let bImage: JobRow;

  beforeAll(async () => {
    a = server(discord.guildId, discord.channelId);
    const other = discord.fake.addGuild({ name: "Other server", channels: [{ name: "general" }] });
    await registerCommands({
      rest: createDiscordRest({ api: discord.fake.apiUrl, token: discord.fake.botToken }),
      applicationId: discord.fake.applicationId,
      guildId: other.guildId,
      catalog: discord.catalog,
    });
    b = server(other.guildId, other.channelIds[0]!);
    alice = discord.member("alice");
    bob = discord.fake.addMember(b.guildId, { username: "bob" });
    // Both spend: A an answer and an image; B more, with an image whose prompt is B's business.
    await discord.finished(
      (await a.run(alice, "ask", undefined, { prompt: "Repeat exactly:\nA" })).interactionId,
    );
    aImage = await a.run(alice, "imagine", undefined, { prompt: "a red fox" });
    await discord.finished(aImage.interactionId);
    await discord.finished(
      (await b.run(bob, "ask", undefined, { prompt: "Repeat exactly 9 times:\nB " })).interactionId,
    );
    bImage = await discord.finished(
      (await b.run(bob, "imagine", undefined, { prompt: secretPrompt })).interactionId,
    );
  });

  it("an admin's /spend, /spend-limit, /transcribe and /replibot-settings read and change only their server", async () => {
    const bBefore = await tenantRows(discord.database, "discord", b.guildId);
    const bShowBefore = (await b.said(b.admin, "spend", "show")).content;
    const aSpent = await spentUsd(discord, a.guildId);
    expect(aSpent).not.toBe(await spentUsd(discord, b.guildId));

    const show = (await a.said(a.admin, "spend", "show")).content;
    expect(show).toContain(`${aSpent} of $5.00`);
    expect(show).toContain(`<@${alice}>`);
    expect(show).not.toContain(bob);
    const exported = await a.said(a.admin, "spend", "export");
    const csv = Buffer.from(exported.attachments[0]!.bytes).toString("utf8");
    expect(csv).toContain(alice);
    expect(csv).not.toContain(bob);
    expect(csv).not.toContain(bImage.predictionId!);
    expect((await a.said(a.admin, "spend-limit", "set", { amount: 12.5 })).content).toContain("$12.50");
    expect((await a.said(a.admin, "transcribe", "on")).content).toContain("transcribed automatically");
    const blocklist = { action: "add", entry: "pineapple" };
    expect((await a.said(a.admin, "replibot-settings", "blocklist", blocklist)).content).toContain(
      "pineapple",
    );
    const aAfter = await tenantRows(discord.database, "discord", a.guildId);
    expect(aAfter.tenant.monthly_limit_nanos).toBe(12_500_000_000n);
    expect(aAfter.channelSettings.map((row) => row.channel_id)).toEqual([a.channelId]);
    expect(aAfter.settingsAudit.length).toBeGreaterThanOrEqual(2);

    expect(await tenantRows(discord.database, "discord", b.guildId)).toEqual(bBefore);
    const bShow = (await b.said(b.admin, "spend", "show")).content;
    expect(bShow).toBe(bShowBefore);
    expect(bShow).not.toContain(alice);
    expect(bShow).not.toContain(aSpent);
  });

  it("buttons naming another server's jobs (a tampered client) do nothing there, and say so", async () => {
    const running = await b.run(bob, "ask", undefined, { prompt: longPrompt });
    const bJobId = `discord-${running.interactionId}`;
    await eventually(() => isRunning(discord.database.db, bJobId));
    // Even B's asker, also a member of A, cannot reach B's job from A.
    discord.fake.addMember(a.guildId, { userId: bob, username: "bob" });
    const pressed = { messageId: aImage.answer.id, customId: `regenerate:discord-${aImage.interactionId}` };
    const forged = [
      { userId: alice, forgedCustomId: `cancel:${bJobId}` },
      { userId: bob, forgedCustomId: `cancel:${bJobId}` },
      { userId: alice, forgedCustomId: `regenerate:${bImage.id}` },
    ];
    for (const press of forged) {
      const { interactionId } = discord.fake.pressButton({ ...pressed, ...press });
      const refusal = await eventually(
        () => discord.fake.interactionResponse(interactionId)?.original ?? undefined,
      );
      expect(refusal.ephemeral).toBe(true);
      expect(refusal.content).toBe(
        "That button belongs to a request from another server, so nothing was changed.",
      );
    }
    expect((await getJob(discord.database.db, bJobId))?.status).toBe("running");
    expect(await discord.database.db.select().from(jobs).where(eq(jobs.parentJobId, bImage.id))).toEqual([]);
    const seenInA = discord.fake.messages(a.channelId).flatMap((m) => m.contentHistory);
    expect(seenInA.join("\n")).not.toContain(secretPrompt);

    // In its own server the asker still can.
    const shown = discord.fake.interactionResponse(running.interactionId)!.original!;
    discord.fake.pressButton({ messageId: shown.id, customId: `cancel:${bJobId}`, userId: bob });
    expect((await discord.finished(bJobId)).status).toBe("canceled");
  });
});

describe("two Slack workspaces", () => {
  /** What the app told the member privately through the request's response_url. */
  async function told(request: SlackRequest | Promise<SlackRequest>): Promise<string> {
    const { responseUrlId } = await request;
    const post = await eventually(() => slack.fake.responseUrlPosts(responseUrlId).find((p) => p.accepted));
    return (post.body as { text: string }).text;
  }
  let a: SlackWorkspace;
  let b: SlackWorkspace;
  let aImage: JobRow;
  let bImage: JobRow;

  beforeAll(async () => {
    a = await addSlackWorkspace(slack, "Acme");
    b = await addSlackWorkspace(slack, "Beta");
    await slack.finished((await a.command("ann", "/ask", "Repeat exactly:\nA")).jobId);
    aImage = await slack.finished((await a.command("ann", "/imagine", "a red fox")).jobId);
    await slack.finished((await b.command("bo", "/ask", "Repeat exactly 9 times:\nB ")).jobId);
    bImage = await slack.finished((await b.command("bo", "/imagine", secretPrompt)).jobId);
  });

  it("an admin's /spend, /spend-limit, /transcribe and /replibot settings read and change only their workspace", async () => {
    const bBefore = await tenantRows(slack.database, "slack", b.teamId);
    const bShowBefore = await told(b.command("admin-bea", "/spend", "show"));
    const aSpent = await spentUsd(slack, a.teamId);
    expect(aSpent).not.toBe(await spentUsd(slack, b.teamId));

    const show = await told(a.command("admin-al", "/spend", "show"));
    expect(show).toContain(`${aSpent} of $5.00`);
    expect(show).toContain(a.member("ann"));
    expect(show).not.toContain(b.member("bo"));
    expect(await told(a.command("admin-al", "/spend", "export"))).toBe(
      "I sent you the CSV in a direct message.",
    );
    const dm = slack.fake.messages(slack.fake.dmChannel(a.teamId, a.member("admin-al")));
    const csv = Buffer.from(dm.at(-1)!.files[0]!.bytes).toString("utf8");
    expect(csv).toContain(a.member("ann"));
    expect(csv).not.toContain(b.member("bo"));
    expect(csv).not.toContain(bImage.predictionId!);
    expect(await told(a.command("admin-al", "/spend-limit", "set 12.5"))).toContain("$12.50");
    expect(await told(a.command("admin-al", "/transcribe", "on"))).toContain("transcribed automatically");
    expect(await told(a.command("admin-al", "/replibot", "settings blocklist add pineapple"))).toContain(
      "pineapple",
    );
    const aAfter = await tenantRows(slack.database, "slack", a.teamId);
    expect(aAfter.tenant.monthly_limit_nanos).toBe(12_500_000_000n);
    expect(aAfter.channelSettings.map((row) => row.channel_id)).toEqual([a.channelId]);
    expect(aAfter.settingsAudit.length).toBeGreaterThanOrEqual(2);

    expect(await tenantRows(slack.database, "slack", b.teamId)).toEqual(bBefore);
    const bShow = await told(b.command("admin-bea", "/spend", "show"));
    expect(bShow).toBe(bShowBefore);
    expect(bShow).not.toContain(a.member("ann"));
    expect(bShow).not.toContain(aSpent);
  });

  it("buttons naming another workspace's jobs (a tampered request) do nothing there, and say so", async () => {
    const running = await b.command("bo", "/ask", longPrompt);
    await eventually(() => isRunning(slack.database.db, running.jobId));
    const underA = await replyTs(slack, aImage.id);
    for (const actionId of [`cancel:${running.jobId}`, `regenerate:${bImage.id}`]) {
      expect(await told(a.press("ann", actionId, underA))).toBe(
        "That button belongs to a request from another workspace, so nothing was changed.",
      );
    }
    expect((await getJob(slack.database.db, running.jobId))?.status).toBe("running");
    expect(await slack.database.db.select().from(jobs).where(eq(jobs.parentJobId, bImage.id))).toEqual([]);
    const seenInA = slack.fake.messages(a.channelId).flatMap((m) => [...m.edits, m].map((v) => v.text));
    expect(seenInA.join("\n")).not.toContain("confidential");

    await b.press("bo", `cancel:${running.jobId}`, await replyTs(slack, running.jobId));
    expect((await slack.finished(running.jobId)).status).toBe("canceled");
  });
});
