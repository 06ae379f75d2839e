import type { FakeClock } from "../clock.ts";
import { maxTextLength } from "./chat-methods.ts";
import type { IdFactory } from "./ids.ts";
import { mentionedUserGroups, mentionedUsers, wireFormatProblem } from "./rich-text.ts";
import {
  type Channel,
  findMessage,
  liveTokens,
  type SlackState,
  type StoredMessage,
  type Team,
  type User,
} from "./state.ts";

/** The bot events (Events API subscriptions) the test-side helpers can produce. */
export type BotEvent =
  | "app_mention"
  | "message.channels"
  | "message.groups"
  | "message.im"
  | "message.mpim"
  | "file_shared";

/** The scope each subscription needs (Slack's event reference pages, "Required Scopes"). */
export const botEventScopes: Readonly<Record<BotEvent, string>> = {
  app_mention: "app_mentions:read",
  "message.channels": "channels:history",
  "message.groups": "groups:history",
  "message.im": "im:history",
  "message.mpim": "mpim:history",
  file_shared: "files:read",
};

/** An inner event Slack would send, and the subscription it comes through. */
export interface PlannedEvent {
  subscription: BotEvent;
  event: { type: string } & Record<string, unknown>;
  /** Sets the envelope's `is_ext_shared_channel` (a Slack Connect channel). */
  extShared?: boolean;
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
export function channelType(channel: Channel): "channel" | "group" | "im" | "mpim" {
  if (channel.imUsers) return channel.imUsers.length === 1 ? "im" : "mpim";
  return channel.isPrivate ? "group" : "channel";
}

/** The `message.*` subscription a conversation's messages come through. */
export const messageSubscription = {
  channel: "message.channels",
  group: "message.groups",
  im: "message.im",
  mpim: "message.mpim",
} as const;

/** A misuse of the helpers: the test asked for something Slack would not let a person do. */
export function misuse(why: string): never {
  throw new Error(`fake slack: ${why}`);
}

/** What a person writes, to check before it is stored. */
export interface WriteCheck {
  team: Team;
  channel: Channel;
  user: User;
  text: string;
  threadTs: string | undefined;
  /** A file share may come without a comment; a plain message may not. */
  allowEmpty?: boolean;
}

/** The rules shared by everything a person posts: who may write where, and which events Slack sends for it. */
export function createMessageContext(deps: {
  state: SlackState;
  ids: IdFactory;
  clock: FakeClock;
  botEvents: readonly string[];
}) {
  const { state } = deps;
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
  return {
    teamOf: (teamId: string): Team => state.teams.get(teamId) ?? misuse(`no team ${teamId}`),
    channelOf(team: Team, channelId: string): Channel {
      const channel = state.channels.get(channelId);
      if (!channel || channel.teamId !== team.id) return misuse(`no channel ${channelId} in ${team.id}`);
      return channel;
    },
    personOf(team: Team, userId: string): User {
      const user = state.users.get(userId);
      if (!user || user.teamId !== team.id) return misuse(`no user ${userId} in ${team.id}`);
      if (user.isBot) return misuse(`${userId} is the bot; the app posts through the Web API`);
      return user;
    },
    /** Throws unless the person may post this here (see the README's rules); returns the thread parent. */
    checkWrite(input: WriteCheck): StoredMessage | undefined {
      const { team, channel, user, text } = input;
      if (channel.imUsers && !channel.imUsers.includes(user.id))
        misuse(`${user.id} is not in the DM ${channel.id}`);
      // Public channels: anyone in the workspace may write (joining is not modelled); private ones need membership.
      if (channel.isPrivate && !channel.imUsers && !channel.members.has(user.id))
        misuse(`${user.id} is not a member of the private channel ${channel.id}`);
      if (text.trim() === "" && !(input.allowEmpty && text === "")) misuse("a message needs text");
      if (text.length > maxTextLength) misuse(`text over ${maxTextLength} characters`);
      const problem = wireFormatProblem(text);
      if (problem) misuse(`text is not in Slack's wire format: ${problem}`);
      // Slack's clients only offer the workspace's enabled groups, so another subteam token is a test's typo.
      for (const id of mentionedUserGroups(text)) {
        const group = state.userGroups.get(id);
        if (group?.teamId !== team.id || group.disabledAt !== 0)
          misuse(`no enabled user group ${id} to mention`);
      }
      let parent: StoredMessage | undefined;
      if (input.threadTs !== undefined) {
        parent = findMessage(state, channel.id, input.threadTs);
        if (!parent || parent.visibleTo) misuse(`no message ${input.threadTs} in ${channel.id} to reply to`);
        if (parent.threadTs && parent.threadTs !== parent.ts)
          misuse(`${input.threadTs} is itself a reply; reply in its thread ${parent.threadTs}`);
      }
      if (mentionedUsers(text).includes(team.botUserId) && channelType(channel) === "mpim")
        misuse("a mention in a group DM is not modelled (Slack's docs do not say whether app_mention comes)");
      return parent;
    },
    /**
     * The `app_mention` a message event brings when its text mentions the bot: the same fields without
     * `subtype`/`channel_type`; in a DM none (app_mention docs: DMs are "not dispatched via app_mention …").
     */
    mentionEvents(team: Team, channel: Channel, message: PlannedEvent): Omit<EventPlan, "message"> {
      const text = String(message.event.text ?? "");
      if (!mentionedUsers(text).includes(team.botUserId)) return { events: [], notDelivered: [] };
      if (channelType(channel) === "im") {
        const reason = "Slack sends no app_mention in a DM";
        return { events: [], notDelivered: [{ subscription: "app_mention", reason }] };
      }
      const { channel_type: _type, subtype: _subtype, ...fields } = message.event;
      const event = { ...fields, type: "app_mention" };
      return {
        events: [{ subscription: "app_mention", event, extShared: message.extShared }],
        notDelivered: [],
      };
    },
    /** Keeps the events Slack would send and lists the others with the reason. */
    plan(
      team: Team,
      channel: Channel,
      message: StoredMessage,
      wanted: PlannedEvent[],
      notDelivered: NotDelivered[] = [],
    ): EventPlan {
      const events: PlannedEvent[] = [];
      for (const planned of wanted) {
        const reason = refusal(team, channel, planned.subscription);
        if (reason) notDelivered.push({ subscription: planned.subscription, reason });
        else events.push(planned);
      }
      return { message, events, notDelivered };
    },
    messageFields,
    /** The `message` event (no subtype) about a stored message. */
    messageEvent: (team: Team, channel: Channel, m: StoredMessage): PlannedEvent => ({
      subscription: messageSubscription[channelType(channel)],
      event: {
        ...messageFields(team, m),
        type: "message",
        channel: channel.id,
        event_ts: m.ts,
        channel_type: channelType(channel),
      },
    }),
  };
}

/** The shared message rules over the state. */
export type MessageContext = ReturnType<typeof createMessageContext>;
