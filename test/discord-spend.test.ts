import { createDiscordRest } from "@replibot/chat";
import { getTenant, LIMIT_SETTING, ledgerEntries, settingsChanges, tenants, userLimits } from "@replibot/db";
import { registerCommands } from "@replibot/discord";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

let stack: DiscordStack;
let admin: string;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "spend", emulator: { tokensPerSecond: 500 } });
  admin = stack.fake.addMember(stack.guildId, { username: "boss", permissions: ["ManageGuild"] });
});
afterAll(async () => {
  await stack?.close();
});

function command(
  userId: string,
  name: string,
  subcommand: string,
  options: Record<string, string | number> = {},
  guildId = stack.guildId,
  channelId = stack.channelId,
) {
  const { interactionId } = stack.fake.slashCommand({
    guildId,
    channelId,
    userId,
    name,
    subcommand,
    options,
  });
  return eventually(() => stack.fake.interactionResponse(interactionId)?.original ?? undefined);
}

async function tenantRow() {
  const [row] = await stack.database.db.select().from(tenants).where(eq(tenants.externalId, stack.guildId));
  return row;
}

describe("spend commands on Discord", () => {
  it("refuses a member without Manage Server, privately, and changes nothing", async () => {
    const reply = await command(stack.member("nosy"), "spend-limit", "set", { amount: 50 });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe("Only members with the Manage Server permission can use this.");
    expect((await tenantRow())?.monthlyLimitNanos ?? null).toBeNull();
  });

  it("lets an admin set, refuse above the maximum, and clear the monthly limit", async () => {
    expect((await command(admin, "spend-limit", "set", { amount: 12.5 })).content).toBe(
      "This server's monthly spend limit is now $12.50.",
    );
    expect((await tenantRow())!.monthlyLimitNanos).toBe(12_500_000_000n);
    expect((await command(admin, "spend-limit", "set", { amount: 1000 })).content).toBe(
      "The most this server can set is $100.00 a month (the operator's maximum).",
    );
    expect((await tenantRow())!.monthlyLimitNanos).toBe(12_500_000_000n);
    expect((await command(admin, "spend-limit", "clear")).content).toBe(
      "This server's monthly spend limit is back to the default, $5.00.",
    );
    expect((await tenantRow())!.monthlyLimitNanos).toBeNull();
    // Each change is in the settings audit, by whom, from what to what; the refused one is not.
    const audit = (await settingsChanges(stack.database.db, (await tenantRow())!.id))
      .filter((change) => change.setting === LIMIT_SETTING)
      .reverse();
    expect(audit.map((change) => [change.actorId, change.before, change.after])).toEqual([
      [admin, null, { limitNanos: "12500000000" }],
      [admin, { limitNanos: "12500000000" }, null],
    ]);
  });

  it("sets a member's daily limit, and refuses a member who is not in the server", async () => {
    const member = stack.member("daily");
    expect((await command(admin, "spend-limit", "user", { member, amount: 0.25 })).content).toBe(
      `<@${member}> may now spend up to $0.25 a day here.`,
    );
    const tenant = await tenantRow();
    const [limit] = await stack.database.db
      .select()
      .from(userLimits)
      .where(and(eq(userLimits.tenantId, tenant!.id), eq(userLimits.userId, member)));
    expect(limit!.dailyLimitNanos).toBe(250_000_000n);
    const stranger = stack.fake.addUser({ username: "stranger" });
    expect((await command(admin, "spend-limit", "user", { member: stranger, amount: 1 })).content).toBe(
      "That member is not in this server.",
    );
  });

  it("/spend show and /spend export give the figures the ledger holds, for this server only", async () => {
    const asked = stack.ask("spender", "How much is this?");
    const job = await stack.finished(asked.interactionId);
    const [charge] = await stack.database.db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.jobId, job.id));
    const show = await command(admin, "spend", "show");
    expect(show.ephemeral).toBe(true);
    const cost = charge!.costNanos;
    const usd = `$0.${cost.toString().padStart(9, "0").replace(/0+$/, "").padEnd(2, "0")}`;
    expect(show.content).toContain(`${usd} of $5.00`);
    expect(show.content).toContain(`<@${stack.member("spender")}> ${usd} (1)`);
    expect(show.content).toContain("Figures are Replibot's computation from Replicate's list prices");

    const exported = await command(admin, "spend", "export");
    expect(exported.attachments).toHaveLength(1);
    const csv = Buffer.from(exported.attachments[0]!.bytes).toString("utf8").trim().split("\n");
    expect(csv[0]).toBe("created_at,user_id,model,prediction_id,status,billing,cost_usd,price_list_date");
    const rows = await stack.database.db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.tenantId, (await tenantRow())!.id));
    expect(csv).toHaveLength(rows.length + 1);
    expect(
      csv.some(
        (line) =>
          line.includes(charge!.predictionId) && line.includes(`,0.${cost.toString().padStart(9, "0")},`),
      ),
    ).toBe(true);

    // Another server's admin sees that server's figures, none of these.
    const other = stack.fake.addGuild({ name: "Other server", channels: [{ name: "general" }] });
    const otherAdmin = stack.fake.addMember(other.guildId, {
      username: "other-boss",
      permissions: ["ManageGuild"],
    });
    await registerCommands({
      rest: createDiscordRest({ api: stack.fake.apiUrl, token: stack.fake.botToken }),
      applicationId: stack.fake.applicationId,
      guildId: other.guildId,
      catalog: stack.catalog,
    });
    const elsewhere = await command(otherAdmin, "spend", "show", {}, other.guildId, other.channelIds[0]);
    expect(elsewhere.content).toContain("$0.00 of $5.00");
    expect(elsewhere.content).not.toContain(stack.member("spender"));
    expect(await getTenant(stack.database.db, (await tenantRow())!.id)).toBeDefined();
  });

  it("posts one alert at 80% and one at 100% of the monthly limit, never twice", async () => {
    const alerts = stack.channelIds[2]!;
    const artist = stack.member("artist");
    await command(admin, "spend-limit", "alerts", { channel: alerts });
    // $0.0036: one $0.003 image passes 80%.
    await command(admin, "spend-limit", "set", { amount: 0.0036 });
    await stack.finished(stack.imagine("artist", { prompt: "first" }).interactionId);
    const posted = () => stack.fake.messages(alerts).filter((m) => m.author.bot);
    await eventually(() => (posted().length === 1 ? true : undefined));
    expect(posted()[0]!.content).toMatch(/^This server has used 80% of its monthly spend limit of \$0\.0036/);
    // Raised to exactly what is spent plus one more image: the second image reaches 100%; 80% is not repeated.
    const [budget] = await stack.database.sql`select spent_nanos::text as spent from budgets b
      join tenants t on t.id = b.tenant_id where t.external_id = ${stack.guildId}`;
    const limitNanos = BigInt(budget!.spent) + 3_000_000n;
    await command(admin, "spend-limit", "set", { amount: Number(limitNanos) / 1e9 });
    await stack.finished(stack.imagine("artist", { prompt: "second" }).interactionId);
    await eventually(() => (posted().length === 2 ? true : undefined));
    expect(posted()[1]!.content).toMatch(
      /^This server has used all of its monthly spend limit of \$0\.00\d+:/,
    );
    // A third is refused at admission: no charge, no further alert.
    const third = await stack.finished(stack.imagine("artist", { prompt: "third" }).interactionId);
    expect(third.status).toBe("refused");
    expect(third.userId).toBe(artist);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(posted()).toHaveLength(2);
    await command(admin, "spend-limit", "clear");
  });
});
