import type { FakeClock } from "../clock.ts";
import {
  type AppAnswer,
  type AppSender,
  type Delivery,
  eventsUrl,
  type SigningOptions,
} from "./app-sender.ts";
import type { IdFactory } from "./ids.ts";
import { messageJson } from "./params.ts";
import type { ResponseUrls } from "./response-urls.ts";
import { findMessage, type SlackState } from "./state.ts";

/** A user running a slash command. */
export interface SlashCommandInput {
  appUrl: string;
  teamId: string;
  channelId: string;
  userId: string;
  /** With the slash, e.g. `/ask`. */
  command: string;
  text?: string;
  signing?: SigningOptions;
}

/** A user clicking a button on a message. */
export interface BlockActionInput {
  appUrl: string;
  teamId: string;
  channelId: string;
  userId: string;
  actionId: string;
  value?: string;
  blockId?: string;
  messageTs: string;
  signing?: SigningOptions;
}

/** Slack delivering an Events API event. */
export interface EventInput {
  appUrl: string;
  teamId: string;
  /** The inner event; `event_ts` is filled in when missing. */
  event: { type: string } & Record<string, unknown>;
  /** Sets `x-slack-retry-num` (1–3) and `x-slack-retry-reason`, as Slack's redeliveries do. */
  retryNum?: number;
  retryReason?: string;
  /** Reuse an event id (a redelivery carries the same one). */
  eventId?: string;
  signing?: SigningOptions;
}

/** What the app answered, plus the ids the fake handed out with the request. */
export interface InteractionAnswer extends AppAnswer {
  triggerId: string;
  responseUrl: string;
  /** The id `fake.responseUrlPosts(id)` takes. */
  responseUrlId: string;
}

/** The test acting as Slack toward the app. */
export interface UserActions {
  slashCommand(input: SlashCommandInput): Promise<InteractionAnswer>;
  blockAction(input: BlockActionInput): Promise<InteractionAnswer>;
  event(input: EventInput): Promise<AppAnswer & { eventId: string }>;
  /** Sends a delivery again unchanged; Bolt only refuses it once its timestamp is > 5 min old. */
  replay(delivery: Delivery): Promise<AppAnswer>;
}

/** Creates the user-side actions. */
export function createUserActions(deps: {
  state: SlackState;
  ids: IdFactory;
  clock: FakeClock;
  responseUrls: ResponseUrls;
  sender: AppSender;
}): UserActions {
  const { state, ids, clock } = deps;
  const lookup = (teamId: string, channelId: string, userId: string) => {
    const team = state.teams.get(teamId);
    const channel = state.channels.get(channelId);
    const user = state.users.get(userId);
    if (!team || !channel || !user)
      throw new Error(`fake slack: unknown team, channel or user ${teamId}/${channelId}/${userId}`);
    return { team, channel, user };
  };
  const trigger = () => {
    const id = `${Math.floor(clock.now() / 1000)}.${ids.id("").slice(1)}.${ids.secret(8)}`;
    state.triggers.set(id, { issuedAt: clock.now(), used: false });
    return id;
  };
  return {
    async slashCommand(input) {
      const { team, channel, user } = lookup(input.teamId, input.channelId, input.userId);
      const triggerId = trigger();
      const url = deps.responseUrls.issue({ teamId: team.id, channelId: channel.id, userId: user.id });
      const body = new URLSearchParams({
        token: "deprecated-verification-token",
        team_id: team.id,
        team_domain: team.domain,
        channel_id: channel.id,
        channel_name: channel.isPrivate ? "privategroup" : channel.name,
        user_id: user.id,
        user_name: user.name,
        command: input.command,
        text: input.text ?? "",
        api_app_id: state.appId,
        is_enterprise_install: "false",
        response_url: url.url,
        trigger_id: triggerId,
      }).toString();
      const answer = await deps.sender.send({
        appUrl: input.appUrl,
        body,
        contentType: "application/x-www-form-urlencoded",
        signing: input.signing,
      });
      return { ...answer, triggerId, responseUrl: url.url, responseUrlId: url.id };
    },
    async blockAction(input) {
      const { team, channel, user } = lookup(input.teamId, input.channelId, input.userId);
      const message = findMessage(state, channel.id, input.messageTs);
      if (!message) throw new Error(`fake slack: no message ${input.messageTs} in ${channel.id}`);
      const triggerId = trigger();
      const url = deps.responseUrls.issue({
        teamId: team.id,
        channelId: channel.id,
        userId: user.id,
        originalTs: message.ts,
      });
      const payload = {
        type: "block_actions",
        user: { id: user.id, username: user.name, name: user.name, team_id: team.id },
        api_app_id: state.appId,
        token: "deprecated-verification-token",
        container: { type: "message", message_ts: message.ts, channel_id: channel.id, is_ephemeral: false },
        trigger_id: triggerId,
        team: { id: team.id, domain: team.domain },
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: channel.id, name: channel.name },
        message: messageJson(state, message),
        state: { values: {} },
        response_url: url.url,
        actions: [
          {
            type: "button",
            action_id: input.actionId,
            block_id: input.blockId ?? "block",
            text: { type: "plain_text", text: input.actionId },
            value: input.value ?? "",
            action_ts: `${clock.now() / 1000}`,
          },
        ],
      };
      const answer = await deps.sender.send({
        appUrl: input.appUrl,
        body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        contentType: "application/x-www-form-urlencoded",
        signing: input.signing,
      });
      return { ...answer, triggerId, responseUrl: url.url, responseUrlId: url.id };
    },
    async event(input) {
      const team = state.teams.get(input.teamId);
      if (!team) throw new Error(`fake slack: no team ${input.teamId}`);
      const eventId = input.eventId ?? ids.id("Ev");
      const eventTs = ids.ts();
      const envelope = {
        token: "deprecated-verification-token",
        team_id: team.id,
        api_app_id: state.appId,
        type: "event_callback",
        event_id: eventId,
        event_time: Math.floor(clock.now() / 1000),
        authorizations: [
          {
            enterprise_id: null,
            team_id: team.id,
            user_id: team.botUserId,
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
        is_ext_shared_channel: false,
        event: { event_ts: eventTs, ...input.event },
      };
      const headers: Record<string, string> = {};
      if (input.retryNum !== undefined) {
        headers["x-slack-retry-num"] = String(input.retryNum);
        headers["x-slack-retry-reason"] = input.retryReason ?? "http_timeout";
      }
      const answer = await deps.sender.send({
        appUrl: input.appUrl,
        body: JSON.stringify(envelope),
        contentType: "application/json",
        headers,
        signing: input.signing,
      });
      return { ...answer, eventId };
    },
    replay: (delivery) => deps.sender.replay({ ...delivery, url: eventsUrl(delivery.url) }),
  };
}
