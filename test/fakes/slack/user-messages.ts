import { randomUUID } from "node:crypto";
import type { FakeClock } from "../clock.ts";
import { maxTextLength } from "./chat-methods.ts";
import { findOrOpenIm } from "./conversations.ts";
import type { IdFactory } from "./ids.ts";
import { mentionedUsers, richTextBlocks, wireFormatProblem } from "./rich-text.ts";
import {
  type Channel,
  findMessage,
  liveTokens,
  type SlackState,
  type StoredMessage,
  storeMessage,
  type Team,
  type User,
} from "./state.ts";

/** The bot events (Events API subscriptions) these helpers can produce. */
export type BotEvent = "app_mention" | "message.channels" | "message.groups" | "message.im" | "message.mpim";

/** The scope each subscription needs (Slack's event reference pages, "Required Scopes"). */
export const botEventScopes: Readonly<Record<BotEvent, string>> = {
  app_mention: "app_mentions:read",
  "message.channels": "channels:history",
  "message.groups": "groups:history",
  "message.im": "im:history",
  "message.mpim": "mpim:history",
};

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

/** An inner event Slack would send, and the subscription it comes through. */
export interface PlannedEvent {
  subscription: BotEvent;
  event: { type: string } & Record<string, unknown>;
}

/** An event Slack would not send, and why (so a test that expected it can see the reason). */
export interface NotDelivered {
  subscription: BotEvent;
  reason: string;
}

/** A change people see, and the events Slack sends the app for it. */
export interface EventPlan {
  message: StoredMessage;
  events: PlannedEvent[];
  notDelivered: NotDelivered[];
}

/** Slack's `channel_type` of a conversation. */
function channelType(channel: Channel): "channel" | "group" | "im" | "mpim" {
  if (channel.imUsers) return channel.imUsers.length === 1 ? "im" : "mpim";
  return channel.isPrivate ? "group" : "channel";
}

const messageSubscription = {
  channel: "message.channels",
  group: "message.groups",
  im: "message.im",
  mpim: "message.mpim",
} as const;

/** A misuse of the helpers: the test asked for something Slack would not let a person do. */
function fail(why: string): never {
  throw new Error(`fake slack: ${why}`);
}

/** People writing, replying and deleting, and the app's own posts, turned into the events Slack sends. */
export function createUserMessages(deps: {
  state: SlackState;
  ids: IdFactory;
  clock: FakeClock;
  botEvents: readonly string[];
}) {
  const { state, ids, clock } = deps;
  const teamOf = (teamId: string): Team => state.teams.get(teamId) ?? fail(`no team ${teamId}`);
  const channelOf = (team: Team, channelId: string): Channel => {
    const channel = state.channels.get(channelId);
    if (!channel || channel.teamId !== team.id) return fail(`no channel ${channelId} in ${team.id}`);
    return channel;
  };
  const personOf = (team: Team, userId: string): User => {
    const user = state.users.get(userId);
    if (!user || user.teamId !== team.id) return fail(`no user ${userId} in ${team.id}`);
    if (user.isBot) return fail(`${userId} is the bot; the app posts through the Web API`);
    return user;
  };
  /** Why Slack would not send this event to the app, or null when it would. */
  const refusal = (team: Team, channel: Channel, subscription: BotEvent): string | null => {
    const grant = liveTokens(state, team.id).find((g) => (g.kind ?? "bot") === "bot");
    if (!grant) return `the app is not installed in ${team.id}`;
    if (!channel.members.has(team.botUserId)) return `the bot is not a member of ${channel.id}`;
    if (!deps.botEvents.includes(subscription)) return `the app is not subscribed to ${subscription}`;
    const scope = botEventScopes[subscription];
    if (!grant.scopes.has(scope)) return `the bot token lacks ${scope}, which ${subscription} needs`;
    return null;
  };
  const plan = (
    team: Team,
    channel: Channel,
    message: StoredMessage,
    wanted: PlannedEvent[],
    notDelivered: NotDelivered[] = [],
  ): EventPlan => {
    const events: PlannedEvent[] = [];
    for (const planned of wanted) {
      const reason = refusal(team, channel, planned.subscription);
      if (reason) notDelivered.push({ subscription: planned.subscription, reason });
      else events.push(planned);
    }
    return { message, events, notDelivered };
  };
  /** The message fields every event about it repeats (also `previous_message` of a deletion). */
  const messageFields = (team: Team, m: StoredMessage): Record<string, unknown> => {
    const parent = m.threadTs ? state.messages.get(m.channelId)?.find((p) => p.ts === m.threadTs) : undefined;
    const thread = m.threadTs ? { thread_ts: m.threadTs, parent_user_id: parent?.userId } : {};
    if (m.botId) {
      return {
        user: m.userId,
        type: "message",
        ts: m.ts,
        bot_id: m.botId,
        app_id: state.appId,
        text: m.text,
        team: m.teamId,
        bot_profile: {
          id: m.botId,
          deleted: false,
          name: state.users.get(team.botUserId)?.name ?? "bot",
          updated: Math.floor(m.postedAt / 1000),
          app_id: state.appId,
          team_id: team.id,
        },
        ...thread,
        ...(m.blocks && { blocks: m.blocks }),
      };
    }
    return {
      user: m.userId,
      type: "message",
      ts: m.ts,
      ...(m.clientMsgId && { client_msg_id: m.clientMsgId }),
      text: m.text,
      team: m.teamId,
      ...thread,
      ...(m.blocks && { blocks: m.blocks }),
    };
  };
  const messageEvent = (team: Team, channel: Channel, m: StoredMessage): PlannedEvent => ({
    subscription: messageSubscription[channelType(channel)],
    event: {
      ...messageFields(team, m),
      type: "message",
      channel: channel.id,
      event_ts: m.ts,
      channel_type: channelType(channel),
    },
  });

  return {
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
      const kind = channelType(channel);
      if (channel.imUsers && !channel.imUsers.includes(user.id))
        fail(`${user.id} is not in the DM ${channel.id}`);
      // Public channels: anyone in the workspace may write (joining is not modelled); private ones need membership.
      if (channel.isPrivate && !channel.imUsers && !channel.members.has(user.id))
        fail(`${user.id} is not a member of the private channel ${channel.id}`);
      if (input.text.trim() === "") fail("a message needs text");
      if (input.text.length > maxTextLength) fail(`text over ${maxTextLength} characters`);
      const problem = wireFormatProblem(input.text);
      if (problem) fail(`text is not in Slack's wire format: ${problem}`);
      let parent: StoredMessage | undefined;
      if (input.threadTs !== undefined) {
        parent = findMessage(state, channel.id, input.threadTs);
        if (!parent || parent.visibleTo) fail(`no message ${input.threadTs} in ${channel.id} to reply to`);
        if (parent.threadTs && parent.threadTs !== parent.ts)
          fail(`${input.threadTs} is itself a reply; reply in its thread ${parent.threadTs}`);
      }
      const mentionsBot = mentionedUsers(input.text).includes(team.botUserId);
      if (mentionsBot && kind === "mpim")
        fail("a mention in a group DM is not modelled (Slack's docs do not say whether app_mention comes)");
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
      const wanted = [messageEvent(team, channel, message)];
      const notDelivered: NotDelivered[] = [];
      if (mentionsBot && kind === "im") {
        // app_mention docs: DMs are "not dispatched via app_mention … regardless of whether your app is
        // explicitly mentioned"; message.im carries them.
        notDelivered.push({ subscription: "app_mention", reason: "Slack sends no app_mention in a DM" });
      } else if (mentionsBot) {
        const { channel_type: _type, ...fields } = messageEvent(team, channel, message).event;
        wanted.push({ subscription: "app_mention", event: { ...fields, type: "app_mention" } });
      }
      return plan(team, channel, message, wanted, notDelivered);
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
