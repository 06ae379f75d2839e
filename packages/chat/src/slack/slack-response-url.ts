import { AppError } from "@replibot/core";
import type { OutgoingMessage } from "../chat-platform.ts";
import { slackMessageBody } from "./slack-message-body.ts";

/** How long one POST to a response_url may take. */
export const RESPONSE_URL_TIMEOUT_MS = 10_000;

/**
 * POSTs a message to a command's response_url, visible to the whole channel: replacing the message
 * the URL last posted, or as a new one. The URL is a credential: no error message ever contains it.
 */
export async function postToResponseUrl(
  responseUrl: string,
  message: OutgoingMessage,
  replaceOriginal: boolean,
  options: { timeoutMs?: number; headingLine?: string } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? RESPONSE_URL_TIMEOUT_MS;
  const { text, blocks } = slackMessageBody(message, options.headingLine);
  let response: Response;
  try {
    response = await fetch(responseUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ response_type: "in_channel", replace_original: replaceOriginal, text, blocks }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // Neither the error nor its cause goes along: fetch's messages may carry the URL.
    const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "failed";
    throw new AppError("upstream_error", `the POST to Slack's response_url ${reason}`);
  }
  // Slack answers "ok", or an error name such as expired_url; anything else is not repeated.
  const answer = (await response.text().catch(() => "")).trim();
  if (!response.ok) {
    const name = /^[a-z_]{1,40}$/.test(answer) ? ` ${answer}` : "";
    throw new AppError(
      "upstream_error",
      `Slack refused the response_url write: HTTP ${response.status}${name}`,
    );
  }
}
