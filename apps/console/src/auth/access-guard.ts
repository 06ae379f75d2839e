import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ConsoleDeps } from "../deps.ts";
import { clientAddress } from "./client-address.ts";
import { refusalPage } from "./login-page.ts";
import {
  crossSiteReason,
  isLoopbackAddress,
  isLoopbackHost,
  isSafeMethod,
  proxyHeadersOf,
  safeNextPath,
  wantsPage,
} from "./request-checks.ts";
import { createSessionStore, SESSION_COOKIE } from "./sessions.ts";

/** Paths anyone may reach in password mode: the sign-in page itself and the health check. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(["/console/login", "/healthz"]);

/**
 * Guards every request before any route runs:
 * - demo mode answers only direct requests to a loopback name: anything a proxy relayed (Forwarded,
 *   X-Forwarded-*, X-Real-IP, Via, …) or addressed to another Host (DNS rebinding) gets 403;
 * - every POST (or other change) must come from the console's own pages (Sec-Fetch-Site or Origin), else 403;
 * - password mode needs a session for everything but {@link PUBLIC_PATHS}: pages are sent to the
 *   sign-in page, everything else (fetch, htmx, event streams, files) gets 401 with a reason.
 *   Coming from loopback earns nothing.
 */
export function accessGuard(deps: ConsoleDeps): MiddlewareHandler {
  const sessions = createSessionStore(deps.redis, deps.prefix);
  return async (c, next) => {
    const headers = c.req.raw.headers;
    c.header("X-Frame-Options", "DENY");
    c.header("Content-Security-Policy", "frame-ancestors 'none'");
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "same-origin");
    if (deps.access.mode === "demo") {
      const proxied = proxyHeadersOf(headers);
      if (proxied.length > 0)
        return refuse(
          c,
          403,
          `The console runs in demo mode, which answers only direct requests from this machine, and this request came through a proxy (${proxied.join(", ")}). Set ADMIN_PASSWORD to serve the console through a proxy.`,
        );
      if (!isLoopbackHost(headers.get("host")))
        return refuse(
          c,
          403,
          "The console runs in demo mode, which answers only requests addressed to localhost or 127.0.0.1; this one names another host.",
        );
      const address = clientAddress(c);
      if (address !== undefined && !isLoopbackAddress(address))
        return refuse(c, 403, "The console runs in demo mode, which answers only this machine.");
    }
    if (!isSafeMethod(c.req.method)) {
      const reason = crossSiteReason(headers);
      if (reason) {
        deps.logger.warn({ method: c.req.method, path: c.req.path }, "console: cross-site request refused");
        return refuse(c, 403, reason);
      }
    }
    if (deps.access.mode === "password" && !PUBLIC_PATHS.has(c.req.path)) {
      let signedIn: boolean;
      try {
        signedIn = await sessions.valid(getCookie(c, SESSION_COOKIE));
      } catch {
        return refuse(c, 503, "The console cannot check your session: Redis is not answering.");
      }
      if (!signedIn) {
        if (wantsPage(c.req.method, headers)) {
          const url = new URL(c.req.url);
          const back = safeNextPath(url.pathname + url.search);
          return c.redirect(`/console/login?next=${encodeURIComponent(back)}`, 303);
        }
        // A form sent after the session ended: nothing is done, and the browser goes to the sign-in page.
        if (headers.get("sec-fetch-mode") === "navigate") return c.redirect("/console/login", 303);
        if (headers.get("hx-request") !== null) c.header("HX-Redirect", "/console/login");
        return c.json({ error: "unauthorized", reason: "Sign in first: this needs a console session." }, 401);
      }
      c.header("Cache-Control", "no-store");
    }
    await next();
  };
}

/** A refusal in the form the client reads: a page for a browser, JSON with the reason for anything else. */
function refuse(c: Context, status: ContentfulStatusCode, reason: string) {
  const accept = c.req.header("accept") ?? "";
  if (accept.includes("text/html") && c.req.header("hx-request") === undefined)
    return c.html(refusalPage(status === 503 ? "Unavailable" : "Refused", reason), status);
  return c.json({ error: status === 503 ? "unavailable" : "forbidden", reason }, status);
}
