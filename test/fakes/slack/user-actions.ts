import {
  type AppAnswer,
  type AppSender,
  type Delivery,
  eventsUrl,
  type SigningOptions,
} from "./app-sender.ts";
import type { BlockActionFields, EventFields, Issued, Payloads, SlashCommandFields } from "./payloads.ts";

/** A user running a slash command, delivered over HTTP. */
export interface SlashCommandInput extends SlashCommandFields {
  appUrl: string;
  signing?: SigningOptions;
}

/** A user clicking a button on a message, delivered over HTTP. */
export interface BlockActionInput extends BlockActionFields {
  appUrl: string;
  signing?: SigningOptions;
}

/** Slack delivering an Events API event over HTTP. */
export interface EventInput extends EventFields {
  appUrl: string;
  /** Sets `x-slack-retry-num` (1–3) and `x-slack-retry-reason`, as Slack's redeliveries do. */
  retryNum?: number;
  retryReason?: string;
  signing?: SigningOptions;
}

/** What the app answered, plus the ids the fake handed out with the request. */
export interface InteractionAnswer extends AppAnswer, Issued {}

/** The test acting as Slack toward the app over HTTP. */
export interface UserActions {
  slashCommand(input: SlashCommandInput): Promise<InteractionAnswer>;
  blockAction(input: BlockActionInput): Promise<InteractionAnswer>;
  event(input: EventInput): Promise<AppAnswer & { eventId: string }>;
  /** Sends a delivery again unchanged; Bolt only refuses it once its timestamp is > 5 min old. */
  replay(delivery: Delivery): Promise<AppAnswer>;
}

const form = "application/x-www-form-urlencoded";

/** Creates the user-side actions. */
export function createUserActions(deps: { payloads: Payloads; sender: AppSender }): UserActions {
  const { payloads, sender } = deps;
  return {
    async slashCommand(input) {
      const { fields, issued } = payloads.slashCommand(input);
      const body = new URLSearchParams(fields).toString();
      const answer = await sender.send({
        appUrl: input.appUrl,
        body,
        contentType: form,
        signing: input.signing,
      });
      return { ...answer, ...issued };
    },
    async blockAction(input) {
      const { payload, issued } = payloads.blockAction(input);
      const answer = await sender.send({
        appUrl: input.appUrl,
        body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        contentType: form,
        signing: input.signing,
      });
      return { ...answer, ...issued };
    },
    async event(input) {
      const { envelope, eventId } = payloads.event(input);
      const headers: Record<string, string> = {};
      if (input.retryNum !== undefined) {
        headers["x-slack-retry-num"] = String(input.retryNum);
        headers["x-slack-retry-reason"] = input.retryReason ?? "http_timeout";
      }
      const answer = await sender.send({
        appUrl: input.appUrl,
        body: JSON.stringify(envelope),
        contentType: "application/json",
        headers,
        signing: input.signing,
      });
      return { ...answer, eventId };
    },
    replay: (delivery) => sender.replay({ ...delivery, url: eventsUrl(delivery.url) }),
  };
}
