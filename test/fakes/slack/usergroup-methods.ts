import { authed, fail, flag, type MethodHandler, missingScope, str } from "./params.ts";
import type { SlackState, UserGroup } from "./state.ts";

/** The bot scope `usergroups.list` and `usergroups.users.list` need (their method pages); not a default scope. */
export const userGroupScope = "usergroups:read";

/** A usergroup object as `usergroups.list` returns it; `users` only when asked for (`include_users`). */
export function userGroupJson(group: UserGroup, withUsers: boolean): Record<string, unknown> {
  return {
    id: group.id,
    team_id: group.teamId,
    is_usergroup: true,
    name: group.name,
    description: group.description,
    handle: group.handle,
    is_external: false,
    date_create: group.createdAt,
    date_update: group.updatedAt,
    date_delete: group.disabledAt,
    auto_type: null,
    prefs: { channels: [], groups: [] },
    ...(withUsers && { users: [...group.userIds] }),
    // A string in Slack's examples and the usergroup object reference.
    user_count: String(group.userIds.length),
  };
}

/** `usergroups.list` and `usergroups.users.list`, for the bot token of one workspace. */
export function userGroupMethods(deps: { state: SlackState }): Record<string, MethodHandler> {
  const { state } = deps;
  return {
    "usergroups.list": (call) => {
      const { grant, team } = authed(call);
      const refused = missingScope(grant, userGroupScope);
      if (refused) return refused;
      const includeDisabled = flag(call.params, "include_disabled");
      const includeUsers = flag(call.params, "include_users");
      // `team_id` is ignored: the method page says it only matters for org-level tokens, which the fake has not.
      const usergroups = [...state.userGroups.values()]
        .filter((g) => g.teamId === team.id && (includeDisabled || g.disabledAt === 0))
        .map((g) => userGroupJson(g, includeUsers));
      return { ok: true, usergroups };
    },
    "usergroups.users.list": (call) => {
      const { grant, team } = authed(call);
      const refused = missingScope(grant, userGroupScope);
      if (refused) return refused;
      const id = str(call.params, "usergroup");
      if (!id) {
        return fail("invalid_arguments", {
          response_metadata: { messages: ["[ERROR] missing required field: usergroup"] },
        });
      }
      const group = state.userGroups.get(id);
      if (!group || group.teamId !== team.id) return fail("no_such_subteam");
      // "Allow results that involve disabled User Groups" (the include_disabled argument): without it the fake
      // treats a disabled group as absent; Slack's exact answer is not documented.
      if (group.disabledAt !== 0 && !flag(call.params, "include_disabled")) return fail("no_such_subteam");
      return { ok: true, users: [...group.userIds] };
    },
  };
}
