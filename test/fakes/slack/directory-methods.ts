import type { FakeClock } from "../clock.ts";
import { conversationJson, openConversation } from "./conversations.ts";
import type { IdFactory } from "./ids.ts";
import { authed, fail, json, type MethodHandler, str } from "./params.ts";
import type { SlackState } from "./state.ts";

/** trigger_ids live 3 s on Slack. */
const triggerTtlMs = 3_000;

/** auth.test, conversations.*, users.info and views.open. */
export function directoryMethods(deps: {
  state: SlackState;
  ids: IdFactory;
  clock: FakeClock;
  origin: string;
}) {
  const { state, ids, clock } = deps;
  const handlers: Record<string, MethodHandler> = {
    "auth.test": (call) => {
      const { grant, team } = authed(call);
      const asUser = grant.kind === "user" && grant.userId ? state.users.get(grant.userId) : undefined;
      return {
        ok: true,
        url: `${deps.origin}/`,
        team: team.name,
        user: asUser?.name ?? "testbot",
        team_id: team.id,
        user_id: asUser?.id ?? team.botUserId,
        ...(!asUser && { bot_id: team.botId, app_id: state.appId }),
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
      return { ok: true, channel: conversationJson(channel, team.botUserId) };
    },
    "conversations.open": (call) => openConversation(deps, call),
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
