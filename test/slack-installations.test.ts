import {
  createSecretsBox,
  deleteSlackInstallation,
  getJob,
  getSlackInstallation,
  insertJob,
  placeHold,
  saveSlackInstallation,
  stopTenantJobs,
  transitionJob,
  upsertTenant,
} from "@replibot/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/test-database.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("slack_install");
});
afterAll(async () => {
  await t.drop();
});

const SECRETS_KEY = "test-secrets-key-0123456789-abcdefghij";
const OTHER_SECRETS_KEY = "another-secrets-key-9876543210-zyxwvut";
const box = createSecretsBox(SECRETS_KEY);

function installationOf(teamId: string, botToken: string) {
  return {
    team: { id: teamId, name: "Acme" },
    enterprise: undefined,
    bot: { token: botToken, userId: "U0BOT", id: "B0BOT", scopes: ["chat:write", "commands"] },
    user: { id: "U0ADMIN", token: `xoxp-user-${teamId}-secret` },
    tokenType: "bot",
    isEnterpriseInstall: false,
    appId: "A0APP",
  };
}

describe("Slack installations", () => {
  it("stores the bot token and the installation object sealed, never in the clear", async () => {
    const botToken = "xoxb-111-222-sealedTokenValue";
    const installation = installationOf("T0SEALED", botToken);
    await saveSlackInstallation(t.db, box, {
      teamId: "T0SEALED",
      botUserId: "U0BOT",
      botToken,
      installation,
    });

    const [row] = await t.sql`select * from slack_installations where team_id = 'T0SEALED'`;
    expect(row).toBeDefined();
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(botToken);
    expect(raw).not.toContain("sealedTokenValue");
    expect(raw).not.toContain(installation.user.token);
    // No other part of the installation is readable either (only the team and bot user ids, which look rows up).
    for (const part of ["U0ADMIN", "A0APP", "B0BOT", "Acme", "chat:write", "tokenType"]) {
      expect(raw).not.toContain(part);
    }
    expect(row!.bot_token_encrypted).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(row!.installation_encrypted).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(row!.enterprise_id).toBeNull();
    expect(row!.bot_user_id).toBe("U0BOT");
  });

  it("reads back what it saved, and a reinstall replaces it", async () => {
    const first = installationOf("T0ROUND", "xoxb-first");
    await saveSlackInstallation(t.db, box, {
      teamId: "T0ROUND",
      enterpriseId: "E0ORG",
      botUserId: "U0BOT",
      botToken: "xoxb-first",
      installation: first,
    });
    expect(await getSlackInstallation(t.db, box, "T0ROUND")).toEqual({
      teamId: "T0ROUND",
      enterpriseId: "E0ORG",
      botUserId: "U0BOT",
      botToken: "xoxb-first",
      // JSON drops the undefined enterprise, as Bolt's own stores do.
      installation: JSON.parse(JSON.stringify(first)),
    });

    const second = installationOf("T0ROUND", "xoxb-second");
    await saveSlackInstallation(t.db, box, {
      teamId: "T0ROUND",
      botUserId: "U0BOT2",
      botToken: "xoxb-second",
      installation: second,
    });
    const reread = await getSlackInstallation(t.db, createSecretsBox(SECRETS_KEY), "T0ROUND");
    expect(reread).toMatchObject({ enterpriseId: null, botUserId: "U0BOT2", botToken: "xoxb-second" });
    expect(reread!.installation).toEqual(JSON.parse(JSON.stringify(second)));
    const [count] = await t.sql`select count(*)::int as n from slack_installations where team_id = 'T0ROUND'`;
    expect(count!.n).toBe(1);

    expect(await getSlackInstallation(t.db, box, "T0NEVER")).toBeUndefined();
  });

  it("fails with a clear config_invalid error under another SECRETS_KEY, naming no secret", async () => {
    const botToken = "xoxb-333-444-wrongKeyToken";
    await saveSlackInstallation(t.db, box, {
      teamId: "T0WRONGKEY",
      botUserId: "U0BOT",
      botToken,
      installation: installationOf("T0WRONGKEY", botToken),
    });
    const error = await getSlackInstallation(t.db, createSecretsBox(OTHER_SECRETS_KEY), "T0WRONGKEY").then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      name: "AppError",
      code: "config_invalid",
      message: expect.stringMatching(/cannot be decrypted with this SECRETS_KEY/),
    });
    const message = (error as Error).message;
    for (const secret of [botToken, SECRETS_KEY, OTHER_SECRETS_KEY]) expect(message).not.toContain(secret);
  });

  it("deletes an installation once", async () => {
    await saveSlackInstallation(t.db, box, {
      teamId: "T0GONE",
      botUserId: "U0BOT",
      botToken: "xoxb-gone",
      installation: installationOf("T0GONE", "xoxb-gone"),
    });
    expect(await deleteSlackInstallation(t.db, "T0GONE")).toBe(true);
    expect(await getSlackInstallation(t.db, box, "T0GONE")).toBeUndefined();
    expect(await deleteSlackInstallation(t.db, "T0GONE")).toBe(false);
  });
});

describe("stopTenantJobs", () => {
  const target = { platform: "console", conversationId: "c", messageId: "m" } as const;
  const period = "2026-09";
  const day = "2026-09-15";
  const limitNanos = 1_000_000n;
  const operatorCapNanos = 100_000_000n;

  /** Inserts a job, optionally holds `amount` for it, then walks it to `status`. */
  async function job(
    tenantId: string,
    id: string,
    userId: string,
    status: "queued" | "creating" | "running" | "succeeded",
    amount?: bigint,
  ) {
    await insertJob(t.db, {
      id,
      tenantId,
      userId,
      kind: "ask",
      input: { prompt: "hi" },
      replyTarget: target,
    });
    if (amount !== undefined) {
      const hold = await placeHold(t.db, {
        jobId: id,
        tenantId,
        userId,
        period,
        day,
        amountNanos: amount,
        limitNanos,
        operatorCapNanos,
      });
      expect(hold.ok).toBe(true);
    }
    if (status === "queued") return;
    expect(await transitionJob(t.db, id, ["queued"], "creating")).toBe(true);
    if (status === "creating") return;
    expect(await transitionJob(t.db, id, ["creating"], "running", { predictionId: `pred-${id}` })).toBe(true);
    if (status === "running") return;
    expect(await transitionJob(t.db, id, ["running"], "succeeded", { completedAt: new Date() })).toBe(true);
  }

  /** Everything stopTenantJobs could touch, for before/after comparisons. */
  async function snapshot() {
    return {
      jobs: await t.sql`select id, status, error, completed_at, final_written_at, updated_at
                          from jobs order by id`,
      holds: await t.sql`select job_id, status, amount_nanos::text, closed_at from holds order by job_id`,
      budgets: await t.sql`select tenant_id, period, spent_nanos::text, held_nanos::text from budgets
                            order by tenant_id, period`,
      operator: await t.sql`select period, spent_nanos::text, held_nanos::text from operator_budgets
                             order by period`,
      members: await t.sql`select tenant_id, user_id, day, held_nanos::text from user_spend
                            order by tenant_id, user_id, day`,
    };
  }

  async function tenantHeld(tenantId: string): Promise<bigint> {
    const [row] =
      await t.sql`select held_nanos from budgets where tenant_id = ${tenantId} and period = ${period}`;
    return row!.held_nanos as bigint;
  }

  async function memberHeld(tenantId: string, userId: string): Promise<bigint> {
    const [row] = await t.sql`
      select held_nanos from user_spend where tenant_id = ${tenantId} and user_id = ${userId} and day = ${day}`;
    return row!.held_nanos as bigint;
  }

  async function operatorHeld(): Promise<bigint> {
    const [row] = await t.sql`select held_nanos from operator_budgets where period = ${period}`;
    return row!.held_nanos as bigint;
  }

  it("cancels one tenant's queued jobs, releases their holds, lists its running ones and leaves others alone; a second call changes nothing", async () => {
    const leaving = await upsertTenant(t.db, "slack", "T0LEAVING", "Leaving");
    const staying = await upsertTenant(t.db, "slack", "T0STAYING", "Staying");
    // Same external id on another platform: a different tenant.
    const namesake = await upsertTenant(t.db, "discord", "T0LEAVING", "Namesake");

    await job(leaving.id, "slack-leave-q1", "ua", "queued", 100n);
    await job(leaving.id, "slack-leave-q2", "ub", "queued", 200n);
    await job(leaving.id, "slack-leave-q3", "ua", "queued");
    await job(leaving.id, "slack-leave-c", "ua", "creating", 400n);
    await job(leaving.id, "slack-leave-r", "ub", "running", 800n);
    await job(leaving.id, "slack-leave-s", "ub", "succeeded");
    await job(staying.id, "slack-stay-q", "ua", "queued", 1_000n);
    await job(staying.id, "slack-stay-r", "ua", "running", 2_000n);
    await job(namesake.id, "discord-namesake-q", "ua", "queued", 5_000n);

    expect(await tenantHeld(leaving.id)).toBe(1_500n);
    expect(await tenantHeld(staying.id)).toBe(3_000n);
    expect(await operatorHeld()).toBe(9_500n);
    const stayingBefore = await t.sql`
      select j.id, j.status, j.updated_at, h.status as hold_status, h.closed_at
        from jobs j left join holds h on h.job_id = j.id
       where j.tenant_id in (${staying.id}, ${namesake.id}) order by j.id`;

    const stopped = await stopTenantJobs(t.db, {
      platform: "slack",
      externalId: "T0LEAVING",
      reason: "app uninstalled",
    });
    expect(stopped.canceledQueued).toEqual(["slack-leave-q1", "slack-leave-q2", "slack-leave-q3"]);
    expect([...stopped.running].sort()).toEqual(["slack-leave-c", "slack-leave-r"]);

    const leavingJobs = await t.sql`
      select id, status from jobs
       where tenant_id = ${leaving.id} order by id`;
    expect(leavingJobs.map((row) => [row.id, row.status])).toEqual([
      ["slack-leave-c", "creating"],
      ["slack-leave-q1", "canceled"],
      ["slack-leave-q2", "canceled"],
      ["slack-leave-q3", "canceled"],
      ["slack-leave-r", "running"],
      ["slack-leave-s", "succeeded"],
    ]);
    for (const id of stopped.canceledQueued) {
      const canceled = await getJob(t.db, id);
      expect(canceled).toMatchObject({ status: "canceled", error: "app uninstalled" });
      expect(canceled!.completedAt).toBeInstanceOf(Date);
      expect(canceled!.finalWrittenAt).toBeInstanceOf(Date);
    }

    const leavingHolds = await t.sql`
      select job_id, status, closed_at from holds where tenant_id = ${leaving.id} order by job_id`;
    expect(leavingHolds.map((row) => [row.job_id, row.status])).toEqual([
      ["slack-leave-c", "held"],
      ["slack-leave-q1", "released"],
      ["slack-leave-q2", "released"],
      ["slack-leave-r", "held"],
    ]);
    expect(leavingHolds.filter((row) => row.status === "released").every((row) => row.closed_at)).toBe(true);

    // Only the canceled jobs' holds left `held`, at every level.
    expect(await tenantHeld(leaving.id)).toBe(1_200n);
    expect(await memberHeld(leaving.id, "ua")).toBe(400n);
    expect(await memberHeld(leaving.id, "ub")).toBe(800n);
    expect(await tenantHeld(staying.id)).toBe(3_000n);
    expect(await memberHeld(staying.id, "ua")).toBe(3_000n);
    expect(await tenantHeld(namesake.id)).toBe(5_000n);
    expect(await operatorHeld()).toBe(9_200n);
    const stayingAfter = await t.sql`
      select j.id, j.status, j.updated_at, h.status as hold_status, h.closed_at
        from jobs j left join holds h on h.job_id = j.id
       where j.tenant_id in (${staying.id}, ${namesake.id}) order by j.id`;
    expect(stayingAfter).toEqual(stayingBefore);

    const before = await snapshot();
    const again = await stopTenantJobs(t.db, {
      platform: "slack",
      externalId: "T0LEAVING",
      reason: "app uninstalled again",
    });
    expect(again.canceledQueued).toEqual([]);
    expect([...again.running].sort()).toEqual(["slack-leave-c", "slack-leave-r"]);
    expect(await snapshot()).toEqual(before);
  });

  it("does nothing for a tenant it does not know", async () => {
    const before = await snapshot();
    expect(
      await stopTenantJobs(t.db, { platform: "slack", externalId: "T0UNKNOWN", reason: "app uninstalled" }),
    ).toEqual({ canceledQueued: [], running: [] });
    expect(await snapshot()).toEqual(before);
  });
});
