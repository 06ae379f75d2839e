import { randomBytes } from "node:crypto";
import { withDatabase } from "@replibot/db";
import { SLACK_BOT_SCOPES } from "@replibot/slack";
import { afterAll, describe, expect, it } from "vitest";
import { createFakeSlack } from "./fakes/slack/index.ts";
import { eventually } from "./helpers/pipeline.ts";
import { freePort, spawnNpm } from "./helpers/spawn-app.ts";
import { dropDatabase } from "./helpers/test-database.ts";
import { testEnv } from "./helpers/test-env.ts";

const created: { url: string; name: string }[] = [];
afterAll(async () => {
  for (const db of created) await dropDatabase(db.url, db.name);
});

function freshDatabaseUrl() {
  const name = `replibot_test_start_${randomBytes(4).toString("hex")}`;
  const url = withDatabase(testEnv.postgresUrl, name);
  created.push({ url, name });
  return url;
}

describe("npm start", () => {
  it("creates the database, answers GET /healthz with 200, and exits within 10 s of SIGTERM", async () => {
    const port = await freePort();
    // Its own console port: suites that run npm start side by side must not fight over 8090.
    const consolePort = await freePort();
    const app = spawnNpm(["start"], {
      DATABASE_URL: freshDatabaseUrl(),
      REDIS_URL: testEnv.redisUrl,
      PORT: String(port),
      EMULATOR_PORT: String(await freePort()),
      CONSOLE_PORT: String(consolePort),
      LOG_LEVEL: "info",
      // Its own keys on the shared Redis: /healthz sums up only this deployment's processes.
      QUEUE_PREFIX: `{start-${process.pid}-${Date.now()}}`,
    });
    try {
      await app.waitFor(new RegExp(`webhooks listening on http://127\\.0\\.0\\.1:${port}`));
      // Green once every process of the deployment is up (the worker starts after webhooks).
      const health = await eventually(async () => {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        return response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
      }, 20_000);
      expect(health).toMatchObject({ ok: true, database: "up", redis: "up", problems: [] });
      // A fresh clone has no platform token: the console runs in demo mode and says where.
      await app.waitFor(
        new RegExp(
          `console listening on http://127\\.0\\.0\\.1:${consolePort}/console \\(demo mode, no login\\)`,
        ),
      );
      const page = await fetch(`http://127.0.0.1:${consolePort}/console`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<h1>Playground</h1>");
    } finally {
      app.signal("SIGTERM");
    }
    const exit = await app.exited();
    // npm re-raises the signal it received; the app itself logs a clean stop before exiting 0.
    expect(exit.code === 0 || exit.signal === "SIGTERM").toBe(true);
    expect(exit.afterMs).toBeLessThan(10_000);
    expect(app.output()).toMatch(/"msg":"stopped"/);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

describe("npm start with Slack configured", () => {
  it("starts the Slack app on SLACK_PORT, which answers a signed slash command", async () => {
    const fake = await createFakeSlack({ scopes: SLACK_BOT_SCOPES });
    const channelId = fake.addChannel(fake.teamId, { name: "general" });
    const slackPort = await freePort();
    const app = spawnNpm(["start"], {
      DATABASE_URL: freshDatabaseUrl(),
      REDIS_URL: testEnv.redisUrl,
      PORT: String(await freePort()),
      EMULATOR_PORT: String(await freePort()),
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: fake.signingSecret,
      SLACK_API_URL: fake.apiUrl,
      SLACK_PORT: String(slackPort),
      CONSOLE_PORT: String(await freePort()),
      LOG_LEVEL: "info",
    });
    try {
      await app.waitFor(new RegExp(`slack listening on http://127\\.0\\.0\\.1:${slackPort}/slack/events`));
      const answer = await fake.slashCommand({
        appUrl: `http://127.0.0.1:${slackPort}`,
        teamId: fake.teamId,
        channelId,
        userId: fake.addUser(fake.teamId, { name: "ada" }),
        command: "/ask",
        text: "Repeat exactly 2 times:\nStarted. ",
      });
      expect(answer.status).toBe(200);
      const reply = await fake.waitFor(
        () => fake.messages(channelId).find((m) => m.text.includes("Started.Started.")),
        { timeoutMs: 20_000 },
      );
      expect(reply.text).toContain("asked: Repeat exactly 2 times:");
    } finally {
      app.signal("SIGTERM");
      await app.exited();
      await fake.close();
    }
    expect(app.output()).not.toContain(fake.botToken);
  });

  it("fails at once with one line when Slack refuses the bot token", async () => {
    const fake = await createFakeSlack();
    const app = spawnNpm(["start"], {
      DATABASE_URL: freshDatabaseUrl(),
      REDIS_URL: testEnv.redisUrl,
      PORT: String(await freePort()),
      EMULATOR_PORT: String(await freePort()),
      SLACK_BOT_TOKEN: "xoxb-s3cr3t-pw-not-a-real-token",
      SLACK_SIGNING_SECRET: fake.signingSecret,
      SLACK_API_URL: fake.apiUrl,
      SLACK_PORT: String(await freePort()),
      CONSOLE_PORT: String(await freePort()),
    });
    const exit = await app.exited();
    await fake.close();
    expect(exit.code).not.toBe(0);
    expect(app.stderr()).toMatch(/^replibot: SLACK_BOT_TOKEN: Slack refused it \(invalid_auth\)$/m);
    expect(app.output()).not.toContain("s3cr3t-pw");
  });
});

describe("npm start with bad configuration fails at once with one line naming the variable", () => {
  const cases: { name: string; env: Record<string, string>; line: RegExp }[] = [
    {
      name: "a malformed DATABASE_URL",
      env: { DATABASE_URL: "mysql://admin:s3cr3t-pw@db/replibot" },
      line: /^replibot: DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/m,
    },
    {
      name: "an unreachable Postgres",
      env: { DATABASE_URL: "postgres://postgres:s3cr3t-pw@127.0.0.1:1/replibot" },
      line: /^replibot: DATABASE_URL: cannot use Postgres at 127\.0\.0\.1:1\/replibot \(.*ECONNREFUSED.*\)$/m,
    },
    {
      name: "an unreachable Redis",
      env: { REDIS_URL: "redis://:s3cr3t-pw@127.0.0.1:1" },
      line: /^replibot: REDIS_URL: cannot connect to Redis at 127\.0\.0\.1:1 \(.*\)$/m,
    },
    {
      name: "DISCORD_TOKEN without DISCORD_APPLICATION_ID",
      env: { DISCORD_TOKEN: "MTIzNDU2Nzg5MDEyMzQ1Njc4.s3cr3t.pwpwpwpwpwpwpwpwpwpwpwpwpwpw" },
      line: /^replibot: DISCORD_APPLICATION_ID: is required when DISCORD_TOKEN is set$/m,
    },
    {
      name: "SLACK_SIGNING_SECRET without a bot token or OAuth",
      env: { SLACK_SIGNING_SECRET: "s3cr3t-pw" },
      line: /^replibot: SLACK_BOT_TOKEN: is required when SLACK_SIGNING_SECRET is set/m,
    },
    {
      name: "production without a Replicate token",
      env: { NODE_ENV: "production" },
      line: /^replibot: REPLICATE_API_TOKEN: is required when NODE_ENV=production/m,
    },
  ];

  it.each(cases)("$name", async ({ env, line }) => {
    const app = spawnNpm(["start"], {
      DATABASE_URL: freshDatabaseUrl(),
      REDIS_URL: testEnv.redisUrl,
      PORT: String(await freePort()),
      EMULATOR_PORT: String(await freePort()),
      CONSOLE_PORT: String(await freePort()),
      ...env,
    });
    const exit = await app.exited();
    expect(exit.code).not.toBe(0);
    expect(exit.afterMs).toBeLessThan(10_000);
    const problems = app
      .stderr()
      .split("\n")
      .filter((l) => l.startsWith("replibot: "));
    expect(problems).toHaveLength(1);
    expect(app.stderr()).toMatch(line);
    expect(app.output()).not.toContain("s3cr3t-pw");
  });
});
