import { REST } from "@discordjs/rest";
import {
  conversationTurnsTable,
  getJob,
  type JobRow,
  ledgerEntries,
  settingsAudit,
  tenants,
} from "@replibot/db";
import { registerCommands } from "@replibot/discord";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

let stack: DiscordStack;
let other: { guildId: string; channelIds: string[] };
let bossId: string;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "retention", emulator: { tokensPerSecond: 400 } });
  other = stack.fake.addGuild({ name: "Other server", channels: [{ name: "general" }] });
  await registerCommands({
    rest: new REST({ api: stack.fake.apiUrl }).setToken(stack.fake.botToken),
    applicationId: stack.fake.applicationId,
    guildId: other.guildId,
    catalog: stack.catalog,
  });
  bossId = stack.fake.addMember(stack.guildId, { username: "boss", permissions: ["ManageGuild"] });
});
afterAll(async () => {
  await stack?.close();
});

const db = () => stack.database.db;

/** `/replibot-settings retention` (or `show`) as `userId`; the private answer. */
async function settings(subcommand: string, options: Record<string, number> = {}, userId = bossId) {
  const { interactionId } = stack.fake.slashCommand({
    guildId: stack.guildId,
    channelId: stack.channelId,
    userId,
    name: "replibot-settings",
    subcommand,
    options,
  });
  const answer = await eventually(() => stack.fake.interactionResponse(interactionId)?.original ?? undefined);
  expect(answer.ephemeral).toBe(true);
  return answer.content;
}

const tenantOf = async (guildId: string) =>
  (
    await db()
      .select()
      .from(tenants)
      .where(and(eq(tenants.platform, "discord"), eq(tenants.externalId, guildId)))
  )[0]!;

/** An answered `/ask` in the main server, or in `guild`. */
async function ask(user: string, prompt: string, guild?: { guildId: string; channelIds: string[] }) {
  if (!guild) return stack.finished(stack.ask(user, prompt).interactionId);
  const userId = stack.fake.addMember(guild.guildId, { username: user });
  const { interactionId } = stack.fake.slashCommand({
    guildId: guild.guildId,
    channelId: guild.channelIds[0]!,
    userId,
    name: "ask",
    options: { prompt },
  });
  return stack.finished(interactionId);
}

/** Moves a job and its conversation turn `hours` into the past. */
async function age(job: JobRow, hours: number) {
  await db().execute(
    sql`update jobs set created_at = now() - make_interval(hours => ${hours}) where id = ${job.id}`,
  );
  await db().execute(
    sql`update conversation_turns set created_at = now() - make_interval(hours => ${hours}) where job_id = ${job.id}`,
  );
}

const promptOf = async (job: JobRow) =>
  ((await getJob(db(), job.id))?.input as { prompt?: string } | undefined)?.prompt;
const turnOf = async (job: JobRow) =>
  (await db().select().from(conversationTurnsTable).where(eq(conversationTurnsTable.jobId, job.id))).length;

describe("per-server retention", () => {
  it("admins set it with /replibot-settings retention, see it in show, and get clear reasons for bad days", async () => {
    expect(await settings("show")).toContain("Members' words kept: 30 days (the default)");
    expect(await settings("retention", { days: 7 })).toBe(
      "Members' words in this server (prompts, conversation turns, the questions shown above answers) are now kept 7 days, then deleted within the hour. Charges stay in the ledger (amounts only, no words).",
    );
    expect(await settings("show")).toContain("Members' words kept: 7 days");
    expect((await tenantOf(stack.guildId)).retentionDays).toBe(7);

    // Discord's client keeps days within 1–365; a crafted interaction is answered, and changes nothing.
    for (const days of [0, 366, -5]) {
      expect(await settings("retention", { days })).toBe(
        "Retention is a whole number of days from 1 to 365.",
      );
    }
    const member = stack.member("nosy");
    expect(await settings("retention", { days: 1 }, member)).toContain("Manage Server");
    expect((await tenantOf(stack.guildId)).retentionDays).toBe(7);

    expect(await settings("retention")).toContain("are kept for the default again: 30 days");
    expect((await tenantOf(stack.guildId)).retentionDays).toBeNull();
    expect(await settings("retention", { days: 1 })).toContain("are now kept 1 day,");

    const audit = await db()
      .select()
      .from(settingsAudit)
      .where(
        and(
          eq(settingsAudit.tenantId, (await tenantOf(stack.guildId)).id),
          eq(settingsAudit.setting, "retention"),
        ),
      )
      .orderBy(settingsAudit.id);
    expect(audit.map((row) => [row.actorId, row.before, row.after])).toEqual([
      [bossId, null, 7],
      [bossId, 7, null],
      [bossId, null, 1],
    ]);
  });

  it("the sweep keeps each server's words for that server's retention, and every cent", async () => {
    await settings("retention", { days: 1 });
    const short = {
      old: await ask("ann", "Repeat exactly:\nTwo days old, one-day server."),
      halfDay: await ask("ann", "Repeat exactly:\nTwelve hours old, one-day server."),
      fresh: await ask("ann", "Repeat exactly:\nFresh, one-day server."),
    };
    const long = {
      old: await ask("ben", "Repeat exactly:\nTwo days old, default server.", other),
      older: await ask("ben", "Repeat exactly:\nForty days old, default server.", other),
    };
    await age(short.old, 48);
    await age(short.halfDay, 12);
    await age(long.old, 48);
    await age(long.older, 40 * 24);
    for (const job of [short.old, short.halfDay, short.fresh, long.old, long.older])
      expect(await turnOf(job)).toBe(1);
    const charges = await db().select().from(ledgerEntries).orderBy(ledgerEntries.id);

    // The sweep runs retention once an hour per deployment: let the next sweep be that one.
    const redis = stack.redis.connect("producer");
    await redis.connect();
    await redis.del(`${stack.redis.prefix}:retention`);
    redis.disconnect();
    await eventually(
      async () =>
        ((await getJob(db(), long.older.id))?.input as { scrubbed?: boolean } | undefined)?.scrubbed,
    );

    // The one-day server lost its two-day-old words; the default server keeps its for 30 days.
    expect((await getJob(db(), short.old.id))?.input).toEqual({ scrubbed: true });
    expect(await turnOf(short.old)).toBe(0);
    expect(await promptOf(long.old)).toBe("Repeat exactly:\nTwo days old, default server.");
    expect(await turnOf(long.old)).toBe(1);
    expect(await turnOf(long.older)).toBe(0);
    // Nothing newer than a server's retention is touched.
    expect(await promptOf(short.halfDay)).toBe("Repeat exactly:\nTwelve hours old, one-day server.");
    expect(await turnOf(short.halfDay)).toBe(1);
    expect(await promptOf(short.fresh)).toBe("Repeat exactly:\nFresh, one-day server.");
    expect(await turnOf(short.fresh)).toBe(1);
    // Ids, statuses and money stay.
    expect((await getJob(db(), short.old.id))?.status).toBe("succeeded");
    expect(await db().select().from(ledgerEntries).orderBy(ledgerEntries.id)).toEqual(charges);
  });
});
