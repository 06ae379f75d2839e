import { createHash, randomBytes } from "node:crypto";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { isHttpsRequest } from "../auth/request-checks.ts";

/** The cookie that holds a visitor's playground conversation. */
export const VISITOR_COOKIE = "replibot_playground";
const COOKIE_MAX_AGE_SECS = 7 * 86_400;
const TOKEN = /^[A-Za-z0-9_-]{32,64}$/;

/** Someone using the playground: their conversation, and the user id their jobs are charged to. */
export interface Visitor {
  conversationId: string;
  userId: string;
}

/**
 * The visitor of a request, by the cookie's random token (set now when missing). The conversation
 * id is a hash of the token, so ids in jobs, keys and logs do not open the conversation: only the
 * cookie does. HttpOnly and SameSite=Strict: no script reads it and no other site sends it.
 */
export function visitorOf(c: Context): Visitor {
  let token = getCookie(c, VISITOR_COOKIE);
  if (!token || !TOKEN.test(token)) {
    token = randomBytes(24).toString("base64url");
    setCookie(c, VISITOR_COOKIE, token, {
      path: "/console",
      httpOnly: true,
      sameSite: "Strict",
      secure: isHttpsRequest(c.req.url, c.req.raw.headers),
      maxAge: COOKIE_MAX_AGE_SECS,
    });
  }
  const conversationId = createHash("sha256").update(token).digest("hex").slice(0, 32);
  return { conversationId, userId: `visitor-${conversationId.slice(0, 12)}` };
}

/** How a visitor is named in the playground's messages (`/spend`'s top members). */
export function visitorName(userId: string, self: Visitor): string {
  return userId === self.userId ? "you" : userId;
}
