import { jobs, settingsAudit, tenants, userLimits } from "@replibot/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./helpers/discord-stack.ts";
import { type SlackRequest, type SlackStack, startSlackStack } from "./helpers/slack-stack.ts";

let stack: SlackStack;
beforeAll(async () => {
  stack = await startSlackStack({ label: "slack-admin", emulator: { tokensPerSecond: 100 } });
});
afterAll(async () => {
  await stack?.close();
});

/** What the app told the member privately through the request's response_url. */
async function told(request: SlackRequest): Promise<string> {
  const post = await eventually(() =>
    stack.fake.responseUrlPosts(request.responseUrlId).find((p) => p.accepted),
  );
  const body = post.body as { text: string; response_type: string };
  expect(body.response_type).toBe("ephemeral");
  return body.text;
}

const tenantId = async () =>
  (
    await stack.database.db
      .select()
      .from(tenants)
      .where(and(eq(tenants.platform, "slack"), eq(tenants.externalId, stack.teamId)))
  )[0]!.id;

describe("Slack admin commands", () => {
  it("refuses members who are not workspace admins or owners, and changes nothing", async () => {
    const spend = await stack.command("bob", "/spend", "");
    expect(spend.status).toBe(200);
    expect(await told(spend)).toBe("Only workspace admins and owners can use this.");
    const limit = await stack.command("bob", "/spend-limit", "set 50");
    expect(await told(limit)).toBe("Only workspace admins and owners can use this.");
    const rows = await stack.database.db.select().from(tenants).where(eq(tenants.externalId, stack.teamId));
    expect(rows.every((t) => t.monthlyLimitNanos === null)).toBe(true);
  });

  it("explains the usage of a malformed /spend-limit, and refuses amounts above the operator's maximum", async () => {
    const nonsense = await stack.command("admin-ann", "/spend-limit", "raise a lot");
    expect(await told(nonsense)).toContain("Use `/spend-limit set 20`");
    const tooMuch = await stack.command("admin-ann", "/spend-limit", "set 1000");
    expect(await told(tooMuch)).toBe(
      "The most this workspace can set is $100.00 a month (the operator's maximum).",
    );
    const notMoney = await stack.command("admin-ann", "/spend-limit", "set ten");
    expect(await told(notMoney)).toBe("That is not a dollar amount: use a number such as 12.50.");
  });

  it("a limit set by an admin holds: the next /ask is refused with the workspace's limit", async () => {
    const set = await stack.command("admin-ann", "/spend-limit", "set 0.000001");
    expect(await told(set)).toBe("This workspace's monthly spend limit is now $0.000001.");
    const ask = await stack.command("carol", "/ask", "Tell me a long story");
    const job = await stack.finished(ask.jobId);
    expect(job.status).toBe("refused");
    expect(job.predictionId).toBeNull();
    expect((await stack.replyOf(ask.jobId)).text).toContain(
      "This workspace has reached its monthly spend limit of $0.000001",
    );
    const clear = await stack.command("admin-ann", "/spend-limit", "clear");
    expect(await told(clear)).toBe("This workspace's monthly spend limit is back to the default, $5.00.");
  });

  it("sets a member's daily limit by their @mention, and the alerts channel by its #mention", async () => {
    const carol = stack.member("carol");
    const user = await stack.command("admin-ann", "/spend-limit", `user <@${carol}|carol> 2.50`);
    expect(await told(user)).toBe(`<@${carol}> may now spend up to $2.50 a day here.`);
    const [limit] = await stack.database.db
      .select()
      .from(userLimits)
      .where(and(eq(userLimits.tenantId, await tenantId()), eq(userLimits.userId, carol)));
    expect(limit!.dailyLimitNanos).toBe(2_500_000_000n);
    const nobody = await stack.command("admin-ann", "/spend-limit", "user <@U0NOBODY1|ghost> 1");
    expect(await told(nobody)).toBe("That member is not in this workspace.");
    const alerts = await stack.command(
      "admin-ann",
      "/spend-limit",
      `alerts <#${stack.channelIds[2]}|random>`,
    );
    expect(await told(alerts)).toBe(
      `Spend alerts (at 80% and 100% of the monthly limit) will be posted in <#${stack.channelIds[2]}>.`,
    );
    const [tenant] = await stack.database.db
      .select()
      .from(tenants)
      .where(eq(tenants.id, await tenantId()));
    expect(tenant!.alertsChannelId).toBe(stack.channelIds[2]);
  });

  it("/spend shows this month's figures, and /spend export sends every charge as a CSV by direct message", async () => {
    const ask = await stack.command("dave", "/ask", "Repeat exactly 3 times:\nPaid for. ");
    const job = await stack.finished(ask.jobId);
    expect(job.status).toBe("succeeded");
    const show = await stack.command("admin-ann", "/spend", "show");
    const summary = await told(show);
    expect(summary).toMatch(/^\*Spend this month \(\d{4}-\d{2}\)\*: \$0\.\d+ of \$5\.00/);
    expect(summary).toContain(`<@${stack.member("dave")}> $0.`);
    expect(summary).toContain("not Replicate's invoice");

    const exported = await stack.command("admin-ann", "/spend", "export");
    expect(await told(exported)).toBe("I sent you the CSV in a direct message.");
    const upload = stack.fake.requests().find((r) => r.method === "files.completeUploadExternal");
    const dm = String(upload?.params.channel_id);
    expect(dm).toMatch(/^D/);
    const [message] = stack.fake.messages(dm).filter((m) => m.files.length > 0);
    const csv = Buffer.from(message!.files[0]!.bytes).toString("utf8");
    expect(csv.split("\n")[0]).toBe(
      "created_at,user_id,model,prediction_id,status,billing,cost_usd,price_list_date",
    );
    expect(csv).toContain(job.predictionId!);
    expect(message!.files[0]!.name).toMatch(/^replibot-spend-\d{4}-\d{2}\.csv$/);
  });

  it("lets only the asker cancel; others are told so privately", async () => {
    const ask = await stack.command("erin", "/ask", "Repeat exactly 300 times:\nStill talking. ");
    const reply = await eventually(async () => {
      const message = await stack.replyOf(ask.jobId).catch(() => undefined);
      return message && JSON.stringify(message.blocks).includes(`cancel:${ask.jobId}`) ? message : undefined;
    });
    const other = await stack.press("frank", `cancel:${ask.jobId}`, reply.ts);
    expect(await told(other)).toBe("Only the member who asked can cancel this.");
    await stack.press("erin", `cancel:${ask.jobId}`, reply.ts);
    const job = await stack.finished(ask.jobId);
    expect(job.status).toBe("canceled");
    expect((await stack.replyOf(ask.jobId)).text).toMatch(/\*Cancelled\*: (charged \$0\.\d+|not charged)\.$/);
  });

  it("/replibot settings retention sets how long members' words are kept, audited, with clear reasons for bad days", async () => {
    const settings = async (text: string, user = "admin-ann") =>
      told(await stack.command(user, "/replibot", `settings ${text}`));
    expect(await settings("show")).toContain("Members' words kept: 30 days (the default)");
    expect(await settings("retention 14")).toBe(
      "Members' words in this workspace (prompts, conversation turns, the questions shown above answers) are now kept 14 days, then deleted within the hour. Charges stay in the ledger (amounts only, no words).",
    );
    expect(await settings("show")).toContain("Members' words kept: 14 days");
    const range = "Retention is a whole number of days from 1 to 365.";
    for (const days of ["0", "400", "2.5"]) expect(await settings(`retention ${days}`)).toContain(range);
    for (const text of ["retention", "retention forever"]) {
      expect(await settings(text)).toBe(
        "Use `/replibot settings retention 30` (days members' words are kept, 1 to 365) or `/replibot settings retention default`.",
      );
    }
    expect(await settings("retention 1", "bob")).toBe("Only workspace admins and owners can use this.");
    const row = async () =>
      (
        await stack.database.db
          .select()
          .from(tenants)
          .where(eq(tenants.id, await tenantId()))
      )[0]!;
    expect((await row()).retentionDays).toBe(14);
    expect(await settings("retention default")).toContain("are kept for the default again: 30 days");
    expect((await row()).retentionDays).toBeNull();
    const audit = await stack.database.db
      .select()
      .from(settingsAudit)
      .where(and(eq(settingsAudit.tenantId, await tenantId()), eq(settingsAudit.setting, "retention")))
      .orderBy(settingsAudit.id);
    expect(audit.map((r) => [r.actorId, r.before, r.after])).toEqual([
      [stack.member("admin-ann"), null, 14],
      [stack.member("admin-ann"), 14, null],
    ]);
  });
});

describe("messages to the bot without DM_TENANT", () => {
  it("a direct message gets a private, polite refusal and no job", async () => {
    const user = stack.member("dora");
    const dm = stack.fake.dmChannel(stack.teamId, user);
    const said = await stack.fake.userSays({
      appUrl: stack.appUrl,
      teamId: stack.teamId,
      channelId: dm,
      userId: user,
      text: "hello",
    });
    expect(said.deliveries.map((d) => d.status)).toEqual([200]);
    const refusal = await eventually(() =>
      stack.fake.messages(dm, { as: user }).find((m) => m.ephemeralTo === user),
    );
    expect(refusal.text).toBe(
      "I don't answer direct messages here. Ask me with `/ask` in a channel instead.",
    );
    const rows = await stack.database.db
      .select()
      .from(jobs)
      .where(eq(jobs.id, `slack-${dm}-${said.message.ts}`));
    expect(rows).toEqual([]);
  });
});

describe("/replibot forget-me", () => {
  it("is every member's: their turns and prompts are deleted, privately, and the charge stays", async () => {
    const ask = await stack.command("fiona", "/ask", "Repeat exactly:\nPlease forget.");
    await stack.finished(ask.jobId);
    const forget = await stack.command("fiona", "/replibot", "forget-me");
    expect(await told(forget)).toMatch(
      /^Done: Replibot deleted 1 conversation turn and the words of 1 request/,
    );
    const [row] = await stack.database.db.select().from(jobs).where(eq(jobs.id, ask.jobId));
    expect(row?.input).toEqual({ scrubbed: true });
    expect(row?.status).toBe("succeeded");
  });
});
