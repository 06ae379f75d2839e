import type { FakeClock } from "../clock.ts";
import { slackSignature } from "./signing.ts";

/** How to sign a request; the defaults sign it correctly with the fake clock's time. */
export interface SigningOptions {
  /** Sign with this secret instead of the real one (a bad signature). */
  badSignature?: boolean;
  /** Make the timestamp this many seconds older than the fake clock (Bolt refuses > 300). */
  ageSeconds?: number;
}

/** Exactly what was sent to the app, so it can be replayed byte for byte. */
export interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The app's HTTP answer. */
export interface AppAnswer {
  status: number;
  /** The raw body text (Bolt's ack body; empty for a bare `ack()`). */
  body: string;
  delivery: Delivery;
  /** The fake clock when the request was sent and when the app's answer had arrived (for benchmarks). */
  sentAt: number;
  answeredAt: number;
}

/** Signs and POSTs requests to an app's `/slack/events`, as Slack does. */
export interface AppSender {
  send(input: {
    appUrl: string;
    body: string;
    contentType: "application/x-www-form-urlencoded" | "application/json";
    headers?: Record<string, string>;
    signing?: SigningOptions;
  }): Promise<AppAnswer>;
  /** Sends a recorded delivery again, unchanged (a replay attack). */
  replay(delivery: Delivery): Promise<AppAnswer>;
}

/** Bolt's default endpoint for commands, events and actions alike. */
export function eventsUrl(appUrl: string): string {
  return appUrl.endsWith("/slack/events") ? appUrl : `${appUrl.replace(/\/$/, "")}/slack/events`;
}

/** Creates a sender signing with `signingSecret`. */
export function createAppSender(deps: { clock: FakeClock; signingSecret: string }): AppSender {
  const post = async (delivery: Delivery): Promise<AppAnswer> => {
    const sentAt = deps.clock.now();
    // The body goes as a string: a URLSearchParams body would add `;charset=UTF-8`, which Bolt answers with 400.
    const response = await fetch(delivery.url, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
    });
    const body = await response.text();
    return { status: response.status, body, delivery, sentAt, answeredAt: deps.clock.now() };
  };
  return {
    send(input) {
      const timestamp = Math.floor(deps.clock.now() / 1000) - (input.signing?.ageSeconds ?? 0);
      const secret = input.signing?.badSignature ? `${deps.signingSecret}-wrong` : deps.signingSecret;
      return post({
        url: eventsUrl(input.appUrl),
        body: input.body,
        headers: {
          "content-type": input.contentType,
          "x-slack-request-timestamp": String(timestamp),
          "x-slack-signature": slackSignature(secret, timestamp, input.body),
          ...input.headers,
        },
      });
    },
    replay: post,
  };
}
