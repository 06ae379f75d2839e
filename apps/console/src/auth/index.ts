import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { ConsoleDeps } from "../deps.ts";
import { PAGE_CSP } from "../page-csp.ts";
import { clientAddress } from "./client-address.ts";
import { createLoginLimiter } from "./login-limiter.ts";
import { loginPage } from "./login-page.ts";
import { passwordMatches } from "./password.ts";
import { isHttpsRequest, safeNextPath } from "./request-checks.ts";
import { createSessionStore, SESSION_COOKIE, SESSION_TTL_SECONDS } from "./sessions.ts";

export { accessGuard, PUBLIC_PATHS } from "./access-guard.ts";

/** The sign-in page, sign-in and sign-out, under /console (password mode; demo mode has no sign-in). */
export function authRoutes(deps: ConsoleDeps): Hono {
  const app = new Hono();
  const sessions = createSessionStore(deps.redis, deps.prefix);
  const limiter = createLoginLimiter(deps.redis, deps.prefix);
  app.use("/login", async (c, next) => {
    await next();
    c.header("Content-Security-Policy", PAGE_CSP);
  });

  app.get("/login", async (c) => {
    const next = safeNextPath(c.req.query("next"));
    if (deps.access.mode !== "password") return c.redirect(next, 303);
    if (await sessions.valid(getCookie(c, SESSION_COOKIE))) return c.redirect(next, 303);
    const note = c.req.query("signed-out") !== undefined ? "You are signed out." : undefined;
    return c.html(loginPage({ next, ...(note ? { note } : {}) }));
  });

  app.post("/login", bodyLimit({ maxSize: 16 * 1024 }), async (c) => {
    const access = deps.access;
    if (access.mode !== "password") return c.redirect("/console", 303);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const next = safeNextPath(typeof form.next === "string" ? form.next : undefined);
    const typed = typeof form.password === "string" ? form.password : "";
    const address = clientAddress(c) ?? "unknown";
    const attempt = await limiter.attempt(address);
    if (!attempt.ok) {
      deps.logger.warn({ address }, "console sign-in refused: too many failed attempts");
      const minutes = Math.ceil(attempt.retryAfterSeconds / 60);
      c.header("Retry-After", String(attempt.retryAfterSeconds));
      return c.html(
        loginPage({
          next,
          error: `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
        }),
        429,
      );
    }
    if (!passwordMatches(typed, access.password)) {
      deps.logger.info({ address }, "console sign-in refused: wrong password");
      return c.html(loginPage({ next, error: "Wrong password." }), 401);
    }
    await attempt.succeeded();
    const id = await sessions.create();
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/console",
      secure: isHttpsRequest(c.req.url, c.req.raw.headers),
      maxAge: SESSION_TTL_SECONDS,
    });
    deps.logger.info({ address }, "console sign-in");
    return c.redirect(next, 303);
  });

  app.post("/logout", async (c) => {
    await sessions.end(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, {
      path: "/console",
      httpOnly: true,
      sameSite: "Strict",
      secure: isHttpsRequest(c.req.url, c.req.raw.headers),
    });
    return c.redirect(deps.access.mode === "password" ? "/console/login?signed-out" : "/console", 303);
  });

  return app;
}

/** The sign-out button for the nav bar of console pages (empty in demo mode, which has no sign-in). */
export function signOutForm(deps: Pick<ConsoleDeps, "access">): string {
  return deps.access.mode === "password"
    ? '<form method="post" action="/console/logout" class="sign-out"><button type="submit">Sign out</button></form>'
    : "";
}
