import {
  type AppAnswer,
  type AppSender,
  type Delivery,
  eventsUrl,
  type SigningOptions,
} from "./app-sender.ts";
import { fileUrls } from "./file-json.ts";
import type { FileSharePlan, UserSharesFileFields } from "./file-shares.ts";
import type { BlockActionFields, EventFields, Issued, Payloads, SlashCommandFields } from "./payloads.ts";
import type { EventPlan, MessageRef, NotDelivered, UserMessages, UserSaysFields } from "./user-messages.ts";
import { type MessageView, messageView } from "./views.ts";

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

/** A person writing (`threadTs`: replying in a thread), delivered over HTTP. */
export interface UserSaysInput extends UserSaysFields {
  appUrl: string;
  signing?: SigningOptions;
}

/** A stored message to act on, with the app to tell over HTTP. */
export interface MessageRefInput extends MessageRef {
  appUrl: string;
  signing?: SigningOptions;
}

/** One event sent to the app: its own envelope and `event_id`, the inner event, and the app's answer. */
export type EventDelivery<Answer> = Answer & { eventId: string; event: Record<string, unknown> };

/** What people now see, and the events Slack sent the app about it (one envelope each), in sending order. */
export interface MessageDeliveries<Answer> {
  /** The message as people see it (for a deletion: as it was before). */
  message: MessageView;
  deliveries: EventDelivery<Answer>[];
  /** Events an app subscribed to everything would get but this one does not, with the reason. */
  notDelivered: NotDelivered[];
}

/** A person sharing a file or clip, delivered over HTTP. */
export interface UserSharesFileInput extends UserSharesFileFields {
  appUrl: string;
  signing?: SigningOptions;
}

/** A file share's deliveries, and where the app finds the file. */
export interface FileShareDeliveries<Answer> extends MessageDeliveries<Answer> {
  fileId: string;
  urlPrivate: string;
  /** What the app downloads with `Authorization: Bearer <bot token>` (needs `files:read`). */
  urlPrivateDownload: string;
}

/** Sends a plan's events one after another, each in its own envelope. */
export async function deliverPlan<Answer>(
  plan: EventPlan,
  teamId: string,
  payloads: Payloads,
  send: (envelope: Record<string, unknown>) => Promise<Answer>,
): Promise<MessageDeliveries<Answer>> {
  const deliveries: EventDelivery<Answer>[] = [];
  for (const { event, extShared } of plan.events) {
    const { envelope, eventId } = payloads.event({ teamId, event, isExtSharedChannel: extShared });
    deliveries.push({ ...(await send(envelope)), eventId, event });
  }
  return { message: messageView(plan.message), deliveries, notDelivered: plan.notDelivered };
}

/** `deliverPlan` for a file share, adding the file's id and URLs. */
export async function deliverFileShare<Answer>(
  plan: FileSharePlan,
  origin: string,
  deliver: (plan: EventPlan) => Promise<MessageDeliveries<Answer>>,
): Promise<FileShareDeliveries<Answer>> {
  const urls = fileUrls(origin, plan.file);
  return { ...(await deliver(plan)), fileId: plan.file.id, ...urls };
}

/** The test acting as Slack toward the app over HTTP. */
export interface UserActions {
  slashCommand(input: SlashCommandInput): Promise<InteractionAnswer>;
  blockAction(input: BlockActionInput): Promise<InteractionAnswer>;
  event(input: EventInput): Promise<AppAnswer & { eventId: string }>;
  /** Sends a delivery again unchanged; Bolt only refuses it once its timestamp is > 5 min old. */
  replay(delivery: Delivery): Promise<AppAnswer>;
  /**
   * A person writes in a channel, private channel or DM (in a thread with `threadTs`): stores the message and
   * sends the `message` event, and `app_mention` too when the text mentions the bot (see the README's rules).
   */
  userSays(input: UserSaysInput): Promise<MessageDeliveries<AppAnswer>>;
  /**
   * A person shares an audio clip (`file.subtype: "slack_audio"`) or a file: stores both, sends `message` with
   * `subtype: "file_share"` and `files`, plus `app_mention`/`file_shared` where they apply (see the README).
   */
  userSharesFile(input: UserSharesFileInput): Promise<FileShareDeliveries<AppAnswer>>;
  /** A person deletes their message: it is gone from `fake.messages`, and `message_deleted` is sent. */
  userDeletes(input: MessageRefInput): Promise<MessageDeliveries<AppAnswer>>;
  /** Sends the `message` event Slack sends an app about its own post (stored by chat.postMessage). */
  echoBotPost(input: MessageRefInput): Promise<MessageDeliveries<AppAnswer>>;
}

const form = "application/x-www-form-urlencoded";

/** Creates the user-side actions. */
export function createUserActions(deps: {
  payloads: Payloads;
  sender: AppSender;
  messages: UserMessages;
  /** The fake's origin, for the shared files' URLs. */
  origin: string;
}): UserActions {
  const { payloads, sender, messages } = deps;
  const deliver = (plan: EventPlan, input: { teamId: string; appUrl: string; signing?: SigningOptions }) =>
    deliverPlan(plan, input.teamId, payloads, (envelope) =>
      sender.send({
        appUrl: input.appUrl,
        body: JSON.stringify(envelope),
        contentType: "application/json",
        signing: input.signing,
      }),
    );
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
    userSays: async (input) => deliver(messages.say(input), input),
    userSharesFile: async (input) =>
      deliverFileShare(messages.share(input), deps.origin, (plan) => deliver(plan, input)),
    userDeletes: async (input) => deliver(messages.remove(input), input),
    echoBotPost: async (input) => deliver(messages.botPost(input), input),
  };
}
