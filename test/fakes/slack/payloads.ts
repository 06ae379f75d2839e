import type { FakeClock } from "../clock.ts";
import type { IdFactory } from "./ids.ts";
import { messageJson } from "./params.ts";
import type { ResponseUrls } from "./response-urls.ts";
import { type Channel, findMessage, liveTokens, type SlackState } from "./state.ts";

/** A user running a slash command (the transport fields, `appUrl`/`signing`, are added per transport). */
export interface SlashCommandFields {
  teamId: string;
  channelId: string;
  userId: string;
  /** With the slash, e.g. `/ask`. */
  command: string;
  text?: string;
}

/** A user clicking a button on a message. */
export interface BlockActionFields {
  teamId: string;
  channelId: string;
  userId: string;
  actionId: string;
  value?: string;
  blockId?: string;
  messageTs: string;
}

/** Slack delivering an Events API event. */
export interface EventFields {
  teamId: string;
  /** The inner event; `event_ts` is filled in when missing. */
  event: { type: string } & Record<string, unknown>;
  /** Reuse an event id (a redelivery carries the same one). */
  eventId?: string;
  /** The envelope's `is_ext_shared_channel`: true for an event from a Slack Connect channel. */
  isExtSharedChannel?: boolean;
}

/** What a command or action carries besides its payload: the ids the fake handed out with it. */
export interface Issued {
  triggerId: string;
  responseUrl: string;
  /** The id `fake.responseUrlPosts(id)` takes. */
  responseUrlId: string;
}

/** Dependencies of the payload builders. */
export interface PayloadDeps {
  state: SlackState;
  ids: IdFactory;
  clock: FakeClock;
  responseUrls: ResponseUrls;
}

/** Slack's `channel_name` for a conversation. */
function channelName(channel: Channel): string {
  if (channel.imUsers?.length === 1) return "directmessage";
  return channel.isPrivate && !channel.imUsers ? "privategroup" : channel.name;
}

/** The same payloads Slack sends over HTTP and Socket Mode, with fresh trigger ids and response_urls. */
export function createPayloads(deps: PayloadDeps) {
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
    /** A slash command's fields (all strings: the form body over HTTP, the payload object over Socket Mode). */
    slashCommand(input: SlashCommandFields): { fields: Record<string, string>; issued: Issued } {
      const { team, channel, user } = lookup(input.teamId, input.channelId, input.userId);
      const triggerId = trigger();
      const url = deps.responseUrls.issue({ teamId: team.id, channelId: channel.id, userId: user.id });
      const fields = {
        token: "deprecated-verification-token",
        team_id: team.id,
        team_domain: team.domain,
        channel_id: channel.id,
        channel_name: channelName(channel),
        user_id: user.id,
        user_name: user.name,
        command: input.command,
        text: input.text ?? "",
        api_app_id: state.appId,
        is_enterprise_install: "false",
        response_url: url.url,
        trigger_id: triggerId,
      };
      return { fields, issued: { triggerId, responseUrl: url.url, responseUrlId: url.id } };
    },
    /** A `block_actions` payload for a click on a stored message. */
    blockAction(input: BlockActionFields): { payload: Record<string, unknown>; issued: Issued } {
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
        channel: { id: channel.id, name: channelName(channel) },
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
      return { payload, issued: { triggerId, responseUrl: url.url, responseUrlId: url.id } };
    },
    /**
     * An `event_callback` envelope. `authorizations` names the bot's installation; once the app is uninstalled
     * there is none, so the field is left out, as in Slack's `app_uninstalled`/`tokens_revoked` examples.
     */
    event(input: EventFields): { envelope: Record<string, unknown>; eventId: string } {
      const team = state.teams.get(input.teamId);
      if (!team) throw new Error(`fake slack: no team ${input.teamId}`);
      const eventId = input.eventId ?? ids.id("Ev");
      const installed = liveTokens(state, team.id).some((g) => (g.kind ?? "bot") === "bot");
      const envelope = {
        token: "deprecated-verification-token",
        team_id: team.id,
        api_app_id: state.appId,
        type: "event_callback",
        event_id: eventId,
        event_time: Math.floor(clock.now() / 1000),
        ...(installed && {
          authorizations: [
            {
              enterprise_id: null,
              team_id: team.id,
              user_id: team.botUserId,
              is_bot: true,
              is_enterprise_install: false,
            },
          ],
        }),
        is_ext_shared_channel: input.isExtSharedChannel ?? false,
        event: { event_ts: ids.ts(), ...input.event },
      };
      return { envelope, eventId };
    },
  };
}

/** The payload builders. */
export type Payloads = ReturnType<typeof createPayloads>;
