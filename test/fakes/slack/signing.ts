import { createHmac } from "node:crypto";

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{ts}:{body}` (contract §2.2). */
export function slackSignature(secret: string, timestampSeconds: number, rawBody: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestampSeconds}:${rawBody}`).digest("hex")}`;
}
