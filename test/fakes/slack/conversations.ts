import type { IdFactory } from "./ids.ts";
import { authed, fail, flag, type MethodCall, type MethodResult, missingScope, str } from "./params.ts";
import type { Channel, SlackState, Team } from "./state.ts";

/** A conversation as `conversations.info`/`conversations.open` return it, seen by the bot. */
export function conversationJson(channel: Channel, botUserId: string): Record<string, unknown> {
  const im = channel.imUsers?.length === 1;
  const mpim = (channel.imUsers?.length ?? 0) > 1;
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.isPrivate,
    is_group: false,
    is_im: im,
    is_mpim: mpim,
    is_private: channel.isPrivate,
    is_member: channel.members.has(botUserId),
    is_archived: false,
    context_team_id: channel.teamId,
    ...(im && { user: channel.imUsers?.[0] }),
  };
}

/** Slack's limit on people in a group DM besides the caller. */
const maxGroupDmUsers = 8;

/**
 * `conversations.open`: `users=U1` opens (once, then reuses) the bot's DM `D…` with that person and needs `im:write`;
 * several users open a group DM and need `mpim:write`; `channel=D…` resumes one. Without the scope: `missing_scope`.
 */
export function openConversation(
  deps: { state: SlackState; ids: IdFactory },
  call: MethodCall,
): MethodResult {
  const { state } = deps;
  const { grant, team } = authed(call);
  const answer = (channel: Channel, existed: boolean): MethodResult => ({
    ok: true,
    ...(existed && { no_op: true, already_open: true }),
    channel: flag(call.params, "return_im") ? conversationJson(channel, team.botUserId) : { id: channel.id },
  });
  const resume = str(call.params, "channel");
  if (resume) {
    const channel = state.channels.get(resume);
    if (!channel?.imUsers || channel.teamId !== team.id) return fail("channel_not_found");
    return (
      missingScope(grant, channel.imUsers.length === 1 ? "im:write" : "mpim:write") ?? answer(channel, true)
    );
  }
  const users = [
    ...new Set(
      (str(call.params, "users") ?? "")
        .split(",")
        .map((u) => u.trim())
        .filter(Boolean),
    ),
  ];
  if (users.length === 0) return fail("users_list_not_supplied");
  const refused = missingScope(grant, users.length === 1 ? "im:write" : "mpim:write");
  if (refused) return refused;
  if (users.length > maxGroupDmUsers) return fail("too_many_users");
  for (const id of users) {
    const user = state.users.get(id);
    if (!user || user.teamId !== team.id) return fail("user_not_found");
    if (user.isBot) return fail("cannot_dm_bot");
  }
  const { channel, existed } = findOrOpenIm(deps, team, users);
  return answer(channel, existed);
}

/**
 * The bot's DM (one user) or group DM (several) with these people: the existing one, or a new one. Shared by
 * `conversations.open` and `fake.dmChannel`, so both name the same `D…`. The caller checks the users.
 */
export function findOrOpenIm(
  deps: { state: SlackState; ids: IdFactory },
  team: Team,
  users: string[],
): { channel: Channel; existed: boolean } {
  const { state, ids } = deps;
  const key = [...users].sort().join(",");
  const existing = [...state.channels.values()].find(
    (c) => c.teamId === team.id && c.imUsers && [...c.imUsers].sort().join(",") === key,
  );
  if (existing) return { channel: existing, existed: true };
  const id = ids.id(users.length === 1 ? "D" : "G");
  const names = users.map((u) => state.users.get(u)?.name ?? u);
  const channel: Channel = {
    id,
    teamId: team.id,
    // Slack reports `channel_name=directmessage` for DMs in slash commands.
    name: users.length === 1 ? "directmessage" : `mpdm-${names.join("--")}-1`,
    isPrivate: true,
    members: new Set([team.botUserId, ...users]),
    imUsers: users,
  };
  state.channels.set(id, channel);
  state.messages.set(id, []);
  return { channel, existed: false };
}
