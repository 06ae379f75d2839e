import { formatUsd } from "@replibot/core";
import { periodOf, upsertTenant } from "@replibot/db";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "./helpers/browser.ts";
import { type ConsoleStack, startConsoleStack } from "./helpers/console-stack.ts";

const PASSWORD = "console-test-password";

let stack: ConsoleStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The playground's tenant (its jobs run through the whole pipeline) and a Discord server's, without jobs. */
let demoId: string;
let discordId: string;

beforeAll(async () => {
  stack = await startConsoleStack({
    label: "console-dash",
    adminPassword: PASSWORD,
    emulator: { tokensPerSecond: 500, imageStepMs: 10 },
  });
  discordId = (await upsertTenant(stack.database.db, "discord", "guild-dashboard", "Dashboard guild")).id;
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** A tenant's ledger rows of this month, straight from Postgres. */
async function ledger(tenantId: string) {
  const rows = await stack.database.sql<{ user_id: string; model: string; cost: string; day: string }[]>`
    select user_id, model, cost_nanos::text as cost, to_char(created_at at time zone 'utc', 'YYYY-MM-DD') as day
      from ledger_entries where tenant_id = ${tenantId} and period = ${periodOf(new Date())}`;
  return rows.map((r) => ({ user: r.user_id, model: r.model, day: r.day, cost: BigInt(r.cost) }));
}

type LedgerRow = Awaited<ReturnType<typeof ledger>>[number];

const total = (rows: LedgerRow[]) => rows.reduce((sum, r) => sum + r.cost, 0n);

/** The ledger summed by one column: what a top-members, top-models or per-day table must show. */
function sumBy(rows: LedgerRow[], key: "user" | "model" | "day") {
  const totals = new Map<string, { cost: bigint; n: number }>();
  for (const row of rows) {
    const t = totals.get(row[key]) ?? { cost: 0n, n: 0 };
    totals.set(row[key], { cost: t.cost + row.cost, n: t.n + 1 });
  }
  return totals;
}

/** Types a command into the playground's command bar and returns the job it queued. */
async function command(on: Page, line: string): Promise<string> {
  const answered = on.waitForResponse((r) => r.url().endsWith("/console/playground/commands"));
  await on.fill("#line", line);
  await on.press("#line", "Enter");
  const posted = (await (await answered).json()) as { ok: boolean; jobId?: string; reason?: string };
  expect(posted, line).toMatchObject({ ok: true });
  return posted.jobId ?? "";
}

/** Signs a page in through the form, starting from `path`. */
async function signIn(on: Page, path: string, password = PASSWORD) {
  await on.goto(`${stack.origin}${path}`);
  expect(new URL(on.url()).pathname).toBe("/console/login");
  await on.fill("#password", password);
  const [response] = await Promise.all([
    on.waitForResponse((r) => r.url().endsWith("/console/login") && r.request().method() === "POST"),
    on.click("button[type=submit]"),
  ]);
  return response;
}

/** Submits the tenant page's limit form with `typed`, and waits for the page that answers. */
async function submitLimit(typed: string, button: "set" | "default" = "set") {
  await page.fill("#limit-amount", typed);
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/limit") && r.request().method() === "POST"),
    page.click(`button[value="${button}"]`),
  ]);
  await page.waitForLoadState("load");
}

async function limitOf(tenantId: string): Promise<bigint | null> {
  const [row] = await stack.database.sql<{ limit: string | null }[]>`
    select monthly_limit_nanos::text as limit from tenants where id = ${tenantId}`;
  return row?.limit == null ? null : BigInt(row.limit);
}

describe("the console's sign-in and dashboard, in Chromium", () => {
  it("sends a visitor to the sign-in page, and refuses a wrong password saying so", async () => {
    const response = await signIn(page, "/console/dashboard", "not-the-password");
    expect(response.status()).toBe(401);
    expect(await page.textContent("#login-error")).toBe("Wrong password.");
    expect(await context.cookies()).toEqual([]);
    await screenshot(page, "console-dashboard-wrong-password");
  });

  it("signs in with ADMIN_PASSWORD: an HttpOnly, SameSite=Strict session cookie, and back to the page asked for", async () => {
    await page.fill("#password", PASSWORD);
    await Promise.all([page.waitForURL("**/console/dashboard"), page.click("button[type=submit]")]);
    const cookies = await context.cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({
      name: "replibot_console",
      httpOnly: true,
      sameSite: "Strict",
      path: "/console",
    });
    expect(await page.textContent("h1")).toBe("Dashboard");
  });

  it("runs real jobs from the playground, as two visitors", async () => {
    await page.goto(`${stack.origin}/console`);
    await page.waitForSelector("html[data-stream=open]");
    const jobs = [
      await command(page, "/ask What is a ledger?"),
      await command(page, "/imagine a lighthouse at dusk"),
      await command(page, "/ask Name three rivers."),
    ];
    // A second visitor (another browser, signed in on its own) spends too.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    expect((await signIn(otherPage, "/console")).status()).toBe(303);
    await otherPage.waitForSelector("html[data-stream=open]");
    jobs.push(await command(otherPage, "/ask And three mountains?"));
    for (const id of jobs) expect((await stack.finished(id)).status).toBe("succeeded");
    await other.close();
    demoId = (await upsertTenant(stack.database.db, "console", "demo")).id;
    const rows = await ledger(demoId);
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.user)).size).toBe(2);
    expect(new Set(rows.map((r) => r.model)).size).toBe(2);
  });

  it("lists every tenant with this month's spend from the ledger, its limit and its jobs", async () => {
    await page.goto(`${stack.origin}/console/dashboard`);
    const demo = page.locator(`#tenants tr[data-tenant="${demoId}"]`);
    expect(await demo.locator('[data-figure="spent"]').textContent()).toBe(
      formatUsd(total(await ledger(demoId))),
    );
    expect(await demo.locator('[data-figure="limit"]').textContent()).toBe(
      formatUsd(stack.env.CONSOLE_DEMO_LIMIT_USD),
    );
    expect(await demo.locator('[data-figure="queued"]').textContent()).toBe("0");
    const discord = page.locator(`#tenants tr[data-tenant="${discordId}"]`);
    expect(await discord.locator('[data-figure="spent"]').textContent()).toBe("$0.00");
    expect(await discord.locator('[data-figure="limit"]').textContent()).toBe("$5.00 (default)");
    expect(await page.textContent("#queue-health")).toMatch(/worker/);
    await screenshot(page, "console-dashboard-overview");
  });

  it("shows exactly the figures the ledger holds: the month, per day, top members and top models", async () => {
    await page.click(`#tenants tr[data-tenant="${demoId}"] a`);
    await page.waitForURL(`**/console/dashboard/tenants/${demoId}`);
    const rows = await ledger(demoId);
    expect(await page.textContent('#month [data-figure="spent"]')).toBe(formatUsd(total(rows)));
    expect(await page.textContent('#month [data-figure="limit"]')).toBe(
      formatUsd(stack.env.CONSOLE_DEMO_LIMIT_USD),
    );
    for (const [table, key] of [
      ["#top-users", "user"],
      ["#top-models", "model"],
      ["#daily-spend", "day"],
    ] as const) {
      const expected = sumBy(rows, key);
      const shown = await page.$$eval(`${table} tbody tr`, (trs) =>
        trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")),
      );
      expect(shown.length, table).toBe(expected.size);
      for (const [name, figure, count] of shown) {
        const want = expected.get(name ?? "");
        expect(want, `${table} ${name}`).toBeDefined();
        expect(figure, `${table} ${name}`).toBe(formatUsd(want?.cost ?? -1n));
        expect(Number(count), `${table} ${name}`).toBe(want?.n);
      }
    }
    expect(await page.textContent('#job-counts [data-count="succeeded"]')).toBe("4");
    expect(await page.locator(".spend-chart rect").count()).toBeGreaterThanOrEqual(28);
    await screenshot(page, "console-dashboard-tenant");
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(page.url());
    await screenshot(phone, "console-dashboard-tenant-phone");
    await phone.close();
  });

  it("refuses on the page a limit above MAX_TENANT_LIMIT_USD (and the demo's above CONSOLE_DEMO_LIMIT_USD), or not a number", async () => {
    await page.goto(`${stack.origin}/console/dashboard/tenants/${discordId}`);
    await submitLimit("100.01");
    expect(await page.textContent("#limit-error")).toBe(
      "The most a tenant can be given is $100.00 a month (the operator's MAX_TENANT_LIMIT_USD).",
    );
    expect(await page.inputValue("#limit-amount")).toBe("100.01");
    await screenshot(page, "console-dashboard-limit-above-max");
    for (const [typed, reason] of [
      ["twelve", "That is not a dollar amount: use a number such as 12.50."],
      ["-3", "The amount cannot be negative."],
    ] as const) {
      await submitLimit(typed);
      expect(await page.textContent("#limit-error")).toBe(reason);
    }
    expect(await limitOf(discordId)).toBeNull();

    await page.goto(`${stack.origin}/console/dashboard/tenants/${demoId}`);
    await submitLimit("0.51");
    expect(await page.textContent("#limit-error")).toBe(
      "The most the demo can be given is $0.50 a month (the operator's CONSOLE_DEMO_LIMIT_USD).",
    );
    expect(await limitOf(demoId)).toBe(stack.env.CONSOLE_DEMO_LIMIT_USD);
  });

  it("sets a limit below the month's spend there, and the next job is refused with the limit message", async () => {
    const limit = total(await ledger(demoId)) / 2n;
    await page.goto(`${stack.origin}/console/dashboard/tenants/${demoId}`);
    await submitLimit(formatUsd(limit).slice(1));
    expect(new URL(page.url()).search).toBe("?saved=set");
    expect(await page.textContent("#limit-note")).toBe(`The monthly limit is now ${formatUsd(limit)}.`);
    expect(await page.textContent('#month [data-figure="limit"]')).toBe(formatUsd(limit));
    expect(await limitOf(demoId)).toBe(limit);
    const audit = await stack.database.sql<{ actor_id: string; before: unknown; after: unknown }[]>`
      select actor_id, before, after from settings_audit where tenant_id = ${demoId} and setting = 'monthly-limit'`;
    expect(audit).toEqual([
      {
        actor_id: "console-admin",
        before: { limitNanos: stack.env.CONSOLE_DEMO_LIMIT_USD.toString() },
        after: { limitNanos: limit.toString() },
      },
    ]);
    expect(await page.textContent("#limit-changes")).toContain(
      `${formatUsd(stack.env.CONSOLE_DEMO_LIMIT_USD)} → ${formatUsd(limit)} by console-admin`,
    );

    const playground = await context.newPage();
    await playground.goto(`${stack.origin}/console`);
    await playground.waitForSelector("html[data-stream=open]");
    const refused = await stack.finished(await command(playground, "/ask One more, please."));
    expect(refused.status).toBe("refused");
    expect(refused.error).toBe("tenant_limit");
    await expect
      .poll(() => playground.locator("#log > article.msg.bot").last().textContent())
      .toContain(`has reached its monthly spend limit of ${formatUsd(limit)}`);
    await screenshot(playground, "console-dashboard-limit-refused-in-playground");
    await playground.close();
    expect(await ledger(demoId)).toHaveLength(4);

    await page.reload();
    const row = page.locator(`#failed-jobs tr[data-job="${refused.id}"]`);
    expect(await row.locator('[data-field="status"]').textContent()).toBe("refused");
    expect(await row.locator('[data-field="error"]').textContent()).toBe("tenant_limit");
    expect(await row.locator('[data-field="cost"]').textContent()).toBe("none");
    await screenshot(page, "console-dashboard-limit-refuses");
  });

  it("locks an address out after 5 failed sign-ins (429 with Retry-After), even for the right password", async () => {
    // A clean window for this address (the wrong password at the start counted once).
    const redis = stack.redis.connect("worker");
    const keys = await redis.keys(`${stack.redis.prefix}:console:login-failures:*`);
    if (keys.length > 0) await redis.del(...keys);
    const fresh = await browser.newContext();
    const login = await fresh.newPage();
    await login.goto(`${stack.origin}/console/login`);
    const statuses: number[] = [];
    for (const password of ["guess-1", "guess-2", "guess-3", "guess-4", "guess-5", PASSWORD]) {
      await login.fill("#password", password);
      const [response] = await Promise.all([
        login.waitForResponse((r) => r.url().endsWith("/console/login") && r.request().method() === "POST"),
        login.click("button[type=submit]"),
      ]);
      statuses.push(response.status());
      if (response.status() === 429)
        expect(Number(await response.headerValue("retry-after"))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await login.textContent("#login-error")).toMatch(
      /^Too many failed sign-ins\. Try again in \d+ minutes?\.$/,
    );
    expect(await fresh.cookies()).toEqual([]);
    await screenshot(login, "console-dashboard-rate-limited");
    await fresh.close();
  });
});
