import { randomUUID } from "node:crypto";
import type { FakeClock } from "../clock.ts";
import { findOrOpenIm } from "./conversations.ts";
import { createFileShares } from "./file-shares.ts";
import type { IdFactory } from "./ids.ts";
import {
  channelType,
  createMessageContext,
  type EventPlan,
  misuse as fail,
  messageSubscription,
} from "./message-context.ts";
import { richTextBlocks } from "./rich-text.ts";
import { findMessage, type SlackState, storeMessage } from "./state.ts";

export {
  type BotEvent,
  botEventScopes,
  type EventPlan,
  type NotDelivered,
  type PlannedEvent,
} from "./message-context.ts";

/** What the fake's app is subscribed to unless `createFakeSlack({ botEvents })` says otherwise. */
export const defaultBotEvents: readonly string[] = [
  "app_mention",
  "message.channels",
  "message.groups",
  "message.im",
];

/** The bot scopes `defaultBotEvents` need; not in `defaultScopes`, so add them: `[...defaultScopes, ...these]`. */
export const messageEventScopes: readonly string[] = [
  "app_mentions:read",
  "channels:history",
  "groups:history",
  "im:history",
];

/** A person writing in a conversation; `threadTs` makes it a reply in that thread. */
export interface UserSaysFields {
  teamId: string;
  channelId: string;
  userId: string;
  /** Slack's wire format: mentions as `<@U…>`, and `&`, `<`, `>` escaped as `&amp;`, `&lt;`, `&gt;`. */
  text: string;
  /** The `ts` of a top-level message in the same conversation; a thread reply's ts is refused. */
  threadTs?: string;
}

/** A stored message, by conversation and ts. */
export interface MessageRef {
  teamId: string;
  channelId: string;
  ts: string;
}

/** People writing, sharing files, replying and deleting, and the app's own posts, as the events Slack sends. */
export function createUserMessages(deps: {
  state: SlackState;
  ids: IdFactory;
  clock: FakeClock;
  /** The fake's `http://127.0.0.1:PORT`, for file URLs. */
  origin: string;
  botEvents: readonly string[];
}) {
  const { state, ids, clock } = deps;
  const context = createMessageContext(deps);
  const { teamOf, channelOf, personOf, plan, messageFields, messageEvent } = context;

  return {
    ...createFileShares(deps, context),

    /** The person's DM with the bot (`D…`): the one `conversations.open` returns, created on first use. */
    dmChannel(teamId: string, userId: string): string {
      const team = teamOf(teamId);
      personOf(team, userId);
      return findOrOpenIm(deps, team, [userId]).channel.id;
    },

    /** Stores what a person wrote and plans the `message` and `app_mention` events. */
    say(input: UserSaysFields): EventPlan {
      const team = teamOf(input.teamId);
      const channel = channelOf(team, input.channelId);
      const user = personOf(team, input.userId);
      const parent = context.checkWrite({ team, channel, user, text: input.text, threadTs: input.threadTs });
      const ts = ids.ts();
      const message = storeMessage(state, {
        ts,
        channelId: channel.id,
        teamId: team.id,
        text: input.text,
        blocks: richTextBlocks(input.text, ids.secret(3).slice(0, 5)),
        threadTs: parent?.ts,
        userId: user.id,
        botId: undefined,
        visibleTo: undefined,
        files: [],
        history: [],
        deleted: false,
        postedAt: clock.now(),
        clientMsgId: randomUUID(),
      });
      const event = messageEvent(team, channel, message);
      const mention = context.mentionEvents(team, channel, event);
      return plan(team, channel, message, [event, ...mention.events], mention.notDelivered);
    },

    /** Deletes what a person wrote (gone for everyone) and plans the `message_deleted` event. */
    remove(input: MessageRef): EventPlan {
      const team = teamOf(input.teamId);
      const channel = channelOf(team, input.channelId);
      const message = findMessage(state, channel.id, input.ts);
      if (!message || message.visibleTo) return fail(`no message ${input.ts} in ${channel.id}`);
      if (message.botId || message.userId === team.botUserId)
        fail(`${input.ts} is the app's message; the app deletes it with chat.delete`);
      const replies = (state.messages.get(channel.id) ?? []).filter(
        (m) => m.threadTs === message.ts && m.ts !== message.ts && !m.deleted,
      );
      // Slack keeps a parent with replies as a "This message was deleted." tombstone (message_changed), which
      // the fake does not model: refuse rather than send the wrong event.
      if (replies.length > 0)
        fail(`${input.ts} has thread replies; deleting a thread parent is not modelled`);
      message.deleted = true;
      const ts = ids.ts();
      const event = {
        type: "message",
        subtype: "message_deleted",
        hidden: true,
        channel: channel.id,
        ts,
        deleted_ts: message.ts,
        event_ts: ts,
        previous_message: messageFields(team, message),
        channel_type: channelType(channel),
      };
      const subscription = messageSubscription[channelType(channel)];
      return plan(team, channel, message, [{ subscription, event }]);
    },

    /** Plans the `message` event Slack sends an app about its own post (Bolt's `ignoreSelf` drops it). */
    botPost(input: MessageRef): EventPlan {
      const team = teamOf(input.teamId);
      const channel = channelOf(team, input.channelId);
      const message = findMessage(state, channel.id, input.ts);
      if (!message || message.botId !== team.botId)
        return fail(`no post of the app ${input.ts} in ${channel.id}`);
      if (message.visibleTo) fail(`${input.ts} is ephemeral; Slack sends no event for it`);
      return plan(team, channel, message, [messageEvent(team, channel, message)]);
    },
  };
}

/** The message helpers over the shared state. */
export type UserMessages = ReturnType<typeof createUserMessages>;
