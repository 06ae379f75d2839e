import { randomBytes } from "node:crypto";
import { withDatabase } from "@replibot/db";
import { afterAll, describe, expect, it } from "vitest";
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
    const app = spawnNpm(["start"], {
      DATABASE_URL: freshDatabaseUrl(),
      REDIS_URL: testEnv.redisUrl,
      PORT: String(port),
      EMULATOR_PORT: String(await freePort()),
      LOG_LEVEL: "info",
    });
    try {
      await app.waitFor(new RegExp(`webhooks listening on http://127\\.0\\.0\\.1:${port}`));
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: true, database: "up", redis: "up" });
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
