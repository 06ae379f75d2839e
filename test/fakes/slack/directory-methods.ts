import type { FakeClock } from "../clock.ts";
import type { IdFactory } from "./ids.ts";
import { authed, fail, json, type MethodHandler, str } from "./params.ts";
import type { SlackState } from "./state.ts";

/** trigger_ids live 3 s on Slack. */
const triggerTtlMs = 3_000;

/** auth.test, conversations.*, users.info, oauth.v2.access and views.open. */
export function directoryMethods(deps: {
  state: SlackState;
  ids: IdFactory;
  clock: FakeClock;
  origin: string;
  clientId: string;
  clientSecret: string;
  defaultScopes: readonly string[];
}) {
  const { state, ids, clock } = deps;
  const handlers: Record<string, MethodHandler> = {
    "auth.test": (call) => {
      const { team } = authed(call);
      return {
        ok: true,
        url: `${deps.origin}/`,
        team: team.name,
        user: "testbot",
        team_id: team.id,
        user_id: team.botUserId,
        bot_id: team.botId,
        app_id: state.appId,
        is_enterprise_install: false,
      };
    },
    "conversations.info": (call) => {
      const { team } = authed(call);
      const channel = state.channels.get(str(call.params, "channel") ?? "");
      // A private channel the bot is not in is invisible to it, as on Slack.
      if (
        !channel ||
        channel.teamId !== team.id ||
        (channel.isPrivate && !channel.members.has(team.botUserId))
      )
        return fail("channel_not_found");
      return {
        ok: true,
        channel: {
          id: channel.id,
          name: channel.name,
          is_channel: !channel.isPrivate,
          is_group: false,
          is_private: channel.isPrivate,
          is_member: channel.members.has(team.botUserId),
          is_archived: false,
          context_team_id: team.id,
        },
      };
    },
    "conversations.join": (call) => {
      const { team } = authed(call);
      const channel = state.channels.get(str(call.params, "channel") ?? "");
      if (!channel || channel.teamId !== team.id) return fail("channel_not_found");
      if (channel.isPrivate)
        return channel.members.has(team.botUserId)
          ? { ok: true, channel: { id: channel.id, name: channel.name } }
          : fail("channel_not_found");
      channel.members.add(team.botUserId);
      return { ok: true, channel: { id: channel.id, name: channel.name, is_member: true } };
    },
    "users.info": (call) => {
      const { team } = authed(call);
      const user = state.users.get(str(call.params, "user") ?? "");
      if (!user || user.teamId !== team.id) return fail("user_not_found");
      return {
        ok: true,
        user: {
          id: user.id,
          team_id: user.teamId,
          name: user.name,
          real_name: user.name,
          deleted: false,
          is_bot: user.isBot,
          is_admin: user.isAdmin,
          is_owner: user.isOwner,
          is_primary_owner: false,
          is_restricted: false,
          profile: { real_name: user.name, display_name: user.name },
        },
      };
    },
    "oauth.v2.access": (call) => {
      const clientId = str(call.params, "client_id");
      const clientSecret = str(call.params, "client_secret");
      if (clientId !== deps.clientId) return fail("invalid_client_id");
      if (clientSecret !== deps.clientSecret) return fail("bad_client_secret");
      const code = str(call.params, "code") ?? "";
      const teamId = state.oauthCodes.get(code);
      const team = teamId ? state.teams.get(teamId) : undefined;
      if (!team) return fail("invalid_code");
      state.oauthCodes.delete(code);
      const token = `xoxb-${team.id}-${ids.secret()}`;
      state.tokens.set(token, { token, teamId: team.id, scopes: new Set(deps.defaultScopes) });
      return {
        ok: true,
        access_token: token,
        token_type: "bot",
        scope: deps.defaultScopes.join(","),
        bot_user_id: team.botUserId,
        app_id: state.appId,
        team: { id: team.id, name: team.name },
        enterprise: null,
        is_enterprise_install: false,
        authed_user: { id: "" },
      };
    },
    "views.open": (call) => {
      authed(call);
      const triggerId = str(call.params, "trigger_id") ?? "";
      const trigger = state.triggers.get(triggerId);
      if (!trigger) return fail("invalid_trigger_id");
      if (trigger.used || clock.now() - trigger.issuedAt > triggerTtlMs) return fail("expired_trigger_id");
      const view = json(call.params, "view");
      if (typeof view !== "object" || view === null) return fail("invalid_arguments");
      trigger.used = true;
      const opened = { id: ids.id("V"), ...(view as Record<string, unknown>) };
      state.views.push(opened);
      return { ok: true, view: opened };
    },
  };
  return handlers;
}
