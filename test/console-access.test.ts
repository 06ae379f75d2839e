import { request as httpRequest } from "node:http";
import { type ConsoleServer, loadConsoleEnv, startConsole } from "@replibot/console";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CapturedLogs, captureLogs } from "./helpers/log-capture.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/test-database.ts";
import { createTestRedis, type TestRedis } from "./helpers/test-redis.ts";

const PASSWORD = "correct horse battery staple";

/** A raw HTTP request (Node's fetch would not let a test set Host), answered without following redirects. */
function send(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? "GET", headers: { host: url.host, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = "application/x-www-form-urlencoded";

describe("console access", () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let admin: Redis;
  let logs: CapturedLogs;
  let passwordConsole: ConsoleServer;
  let demoConsole: ConsoleServer;
  let origin: string;
  let demoOrigin: string;

  beforeAll(async () => {
    database = await createTestDatabase("console-access");
    redis = createTestRedis("console-access");
    admin = redis.connect("worker");
    logs = captureLogs("console");
    const base = { DATABASE_URL: database.url, REDIS_URL: redis.url, LOG_LEVEL: "silent" };
    const passwordEnv = { ...loadConsoleEnv({ ...base, ADMIN_PASSWORD: PASSWORD }), CONSOLE_PORT: 0 };
    passwordConsole = await startConsole({
      env: passwordEnv,
      access: { mode: "password", password: PASSWORD, host: "127.0.0.1" },
      logger: logs.logger,
      prefix: redis.prefix,
    });
    demoConsole = await startConsole({
      env: { ...loadConsoleEnv(base), CONSOLE_PORT: 0 },
      access: { mode: "demo", host: "127.0.0.1" },
      logger: logs.logger,
      prefix: redis.prefix,
    });
    origin = new URL(passwordConsole.url).origin;
    demoOrigin = new URL(demoConsole.url).origin;
  });

  afterAll(async () => {
    await passwordConsole?.close();
    await demoConsole?.close();
    admin?.disconnect();
    await redis?.cleanup();
    await database?.drop();
  });

  const signIn = async (password = PASSWORD, extra: Record<string, string> = {}) =>
    send(origin, "/console/login", {
      method: "POST",
      headers: { "content-type": FORM, origin, ...extra },
      body: form({ password, next: "/console/dashboard" }),
    });
  const cookieOf = (res: { headers: Record<string, string | string[] | undefined> }) => {
    const set = [res.headers["set-cookie"] ?? []].flat();
    return set.find((c) => c.startsWith("replibot_console="));
  };

  describe("with ADMIN_PASSWORD", () => {
    it("sends a page request without a session to the sign-in page, and answers anything else 401 with a reason", async () => {
      const page = await send(origin, "/console/dashboard", { headers: { accept: "text/html" } });
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe("/console/login?next=%2Fconsole%2Fdashboard");
      for (const path of ["/console/dashboard", "/console/events", "/console/anything", "/console"]) {
        const api = await send(origin, path, { headers: { accept: "application/json" } });
        expect(api.status, path).toBe(401);
        expect(JSON.parse(api.body)).toMatchObject({
          error: "unauthorized",
          reason: expect.stringMatching(/sign in/i),
        });
      }
      const htmx = await send(origin, "/console/dashboard", {
        headers: { "hx-request": "true", accept: "text/html" },
      });
      expect(htmx.status).toBe(401);
      expect(htmx.headers["hx-redirect"]).toBe("/console/login");
      const login = await send(origin, "/console/login", { headers: { accept: "text/html" } });
      expect(login.status).toBe(200);
      expect(login.body).toContain('type="password"');
    });

    it("refuses a wrong password, and signs in with the right one: HttpOnly, SameSite=Strict, Path=/console", async () => {
      const wrong = await signIn("not the password");
      expect(wrong.status).toBe(401);
      expect(wrong.body).toContain("Wrong password.");
      expect(cookieOf(wrong)).toBeUndefined();

      const right = await signIn();
      expect(right.status).toBe(303);
      expect(right.headers.location).toBe("/console/dashboard");
      const cookie = cookieOf(right);
      expect(cookie).toMatch(/^replibot_console=[A-Za-z0-9_-]{43};/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      expect(cookie).toMatch(/; Path=\/console/);
      expect(cookie).not.toMatch(/Secure/);
      const session = cookie!.split(";")[0]!;
      const dashboard = await send(origin, "/console/dashboard", { headers: { cookie: session } });
      expect(dashboard.status).toBe(200);
      expect(dashboard.body).toContain("<h1>Dashboard</h1>");
      expect(dashboard.headers["cache-control"]).toBe("no-store");
      expect(dashboard.headers["content-security-policy"]).toMatch(
        /default-src 'none'.*frame-ancestors 'none'/,
      );
      expect(dashboard.headers["x-frame-options"]).toBe("DENY");

      // Redis keeps a hash of the session id, never the id itself.
      const keys = await admin.keys(`${redis.prefix}:console:session:*`);
      expect(keys.length).toBeGreaterThan(0);
      const id = session.split("=")[1]!;
      expect(keys.some((k) => k.includes(id))).toBe(false);
      for (const key of keys) expect(await admin.get(key)).not.toContain(id);
      expect(await admin.ttl(keys[0]!)).toBeGreaterThan(11 * 3600);

      // Signing out ends the session: the old cookie opens nothing.
      const out = await send(origin, "/console/logout", {
        method: "POST",
        headers: { cookie: session, origin },
      });
      expect(out.status).toBe(303);
      expect(out.headers.location).toBe("/console/login?signed-out");
      expect(cookieOf(out)).toMatch(/Max-Age=0/);
      const after = await send(origin, "/console/dashboard", {
        headers: { cookie: session, accept: "application/json" },
      });
      expect(after.status).toBe(401);
    });

    it("marks the cookie Secure when the browser came over https", async () => {
      const res = await signIn(PASSWORD, { "x-forwarded-proto": "https" });
      expect(cookieOf(res)).toMatch(/; Secure/);
    });

    it("never follows a sign-in's next to another site", async () => {
      for (const next of ["//evil.example/x", "https://evil.example/", "/console\\@evil", "/elsewhere"]) {
        const res = await send(origin, "/console/login", {
          method: "POST",
          headers: { "content-type": FORM, origin },
          body: form({ password: PASSWORD, next }),
        });
        expect(res.headers.location, next).toBe("/console");
      }
    });

    it("refuses a cross-site POST: another Origin, Sec-Fetch-Site cross-site, or no Origin at all", async () => {
      const session = cookieOf(await signIn())!.split(";")[0]!;
      const tenant = await database.sql<{ id: string }[]>`
        insert into tenants (platform, external_id, name) values ('discord', 'g-csrf', 'Csrf') returning id`;
      const path = `/console/dashboard/tenants/${tenant[0]!.id}/limit`;
      const attempts: Record<string, string>[] = [
        { origin: "http://evil.example" },
        { origin: "null" },
        { "sec-fetch-site": "cross-site", origin },
        { "sec-fetch-site": "same-site" },
        {},
      ];
      for (const headers of attempts) {
        const res = await send(origin, path, {
          method: "POST",
          headers: { cookie: session, "content-type": FORM, accept: "application/json", ...headers },
          body: form({ amount: "1", action: "set" }),
        });
        expect(res.status, JSON.stringify(headers)).toBe(403);
        expect(JSON.parse(res.body).reason).toMatch(/cross-site|Origin/);
      }
      const login = await send(origin, "/console/login", {
        method: "POST",
        headers: { "content-type": FORM, origin: "http://evil.example" },
        body: form({ password: PASSWORD }),
      });
      expect(login.status).toBe(403);
      const [row] = await database.sql<{ limit: string | null }[]>`
        select monthly_limit_nanos::text as limit from tenants where id = ${tenant[0]!.id}`;
      expect(row?.limit).toBeNull();
      // The same change from the console's own page goes through.
      const ok = await send(origin, path, {
        method: "POST",
        headers: { cookie: session, "content-type": FORM, "sec-fetch-site": "same-origin" },
        body: form({ amount: "1", action: "set" }),
      });
      expect(ok.status).toBe(303);
    });

    it("locks an address out after 5 failed sign-ins (429, Retry-After), even for the right password", async () => {
      // Start from a clean window (the tests above failed once already).
      await admin.del(`${redis.prefix}:console:login-failures:addr:127.0.0.1`);
      for (let i = 0; i < 5; i++) expect((await signIn(`wrong-${i}`)).status).toBe(401);
      const locked = await signIn();
      expect(locked.status).toBe(429);
      expect(Number(locked.headers["retry-after"])).toBeGreaterThan(800);
      expect(locked.body).toContain("Too many failed sign-ins. Try again in 15 minutes.");
      expect(cookieOf(locked)).toBeUndefined();
    });

    it("logs neither the password nor a session id", () => {
      const text = logs.lines.join("\n");
      expect(text).toContain("console sign-in refused");
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toMatch(/replibot_console=/);
    });
  });

  describe("in demo mode (no ADMIN_PASSWORD)", () => {
    it("answers a direct request to a loopback name without a sign-in", async () => {
      for (const host of [new URL(demoOrigin).host, `localhost:${new URL(demoOrigin).port}`]) {
        const res = await send(demoOrigin, "/console/dashboard", { headers: { host } });
        expect(res.status, host).toBe(200);
      }
      const login = await send(demoOrigin, "/console/login");
      expect(login.status).toBe(303);
    });

    it("refuses anything a proxy relayed, whatever address it claims", async () => {
      for (const header of ["x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host", "via"]) {
        const value = header === "forwarded" ? "for=127.0.0.1" : header === "via" ? "1.1 proxy" : "127.0.0.1";
        const res = await send(demoOrigin, "/console/dashboard", { headers: { [header]: value } });
        expect(res.status, header).toBe(403);
        expect(JSON.parse(res.body).reason).toMatch(/came through a proxy.*ADMIN_PASSWORD/);
      }
      const page = await send(demoOrigin, "/console/dashboard", {
        headers: { "x-forwarded-for": "203.0.113.9", accept: "text/html" },
      });
      expect(page.status).toBe(403);
      expect(page.body).toContain("came through a proxy");
    });

    it("refuses a Host that is not a loopback name (DNS rebinding)", async () => {
      const port = new URL(demoOrigin).port;
      for (const host of [`evil.example:${port}`, `192.168.1.5:${port}`, `localhost.evil.example:${port}`]) {
        const res = await send(demoOrigin, "/console/dashboard", { headers: { host } });
        expect(res.status, host).toBe(403);
        expect(JSON.parse(res.body).reason).toMatch(/localhost or 127\.0\.0\.1/);
      }
    });

    it("refuses a cross-site POST here too", async () => {
      const res = await send(demoOrigin, "/console/logout", {
        method: "POST",
        headers: { origin: "http://evil.example", accept: "application/json" },
      });
      expect(res.status).toBe(403);
    });
  });
});
