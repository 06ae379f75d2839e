import type { FakeClock } from "../clock.ts";
import type { IdFactory } from "./ids.ts";
import type { SlackState, UserGroup } from "./state.ts";

/** What `addUserGroup` accepts. */
export interface UserGroupInput {
  /** What people type after `@`; the fake takes lowercase letters, digits, `.`, `_` and `-`, unique per workspace. */
  handle: string;
  /** The display name; default the handle. */
  name?: string;
  description?: string;
  /** Members: people of the same workspace (duplicates are dropped, as `usergroups.users.update` does). */
  userIds: string[];
}

/** Test-side setup of user groups (an admin's doing on Slack; the app only reads them). */
export interface UserGroupControls {
  /** Adds an enabled user group to a workspace; returns its id (`S…`). */
  addUserGroup(teamId: string, input: UserGroupInput): string;
  /** Replaces a group's members, as an admin editing it. */
  setUserGroupMembers(groupId: string, userIds: string[]): void;
  /** Disables (Slack's `date_delete` ≠ 0) or re-enables a group; disabled groups need `include_disabled`. */
  setUserGroupDisabled(groupId: string, disabled: boolean): void;
}

/** How a test may spell a handle; Slack's own rules are not quoted anywhere the fake follows. */
const handlePattern = /^[a-z0-9][a-z0-9._-]*$/;

/** Creates the controls over the shared state; every refusal throws, as a misuse of the fake. */
export function createUserGroups(deps: {
  state: SlackState;
  ids: IdFactory;
  clock: FakeClock;
}): UserGroupControls {
  const { state, ids, clock } = deps;
  const seconds = () => Math.floor(clock.now() / 1000);
  const groupOf = (groupId: string): UserGroup => {
    const group = state.userGroups.get(groupId);
    if (!group) throw new Error(`fake slack: no user group ${groupId}`);
    return group;
  };
  const members = (teamId: string, userIds: string[]): string[] => {
    for (const id of userIds) {
      const user = state.users.get(id);
      if (!user || user.teamId !== teamId) throw new Error(`fake slack: no user ${id} in ${teamId}`);
    }
    return [...new Set(userIds)];
  };

  return {
    addUserGroup(teamId, input) {
      if (!state.teams.has(teamId)) throw new Error(`fake slack: no team ${teamId}; call addTeam first`);
      if (!handlePattern.test(input.handle)) {
        throw new Error(
          `fake slack: handle "${input.handle}" is not lowercase letters, digits, ".", "_" or "-"`,
        );
      }
      const taken = [...state.userGroups.values()].some(
        (g) => g.teamId === teamId && g.handle === input.handle,
      );
      if (taken) throw new Error(`fake slack: a user group @${input.handle} exists in ${teamId}`);
      const id = ids.id("S");
      const now = seconds();
      state.userGroups.set(id, {
        id,
        teamId,
        handle: input.handle,
        name: input.name ?? input.handle,
        description: input.description ?? "",
        userIds: members(teamId, input.userIds),
        createdAt: now,
        updatedAt: now,
        disabledAt: 0,
      });
      return id;
    },
    setUserGroupMembers(groupId, userIds) {
      const group = groupOf(groupId);
      group.userIds = members(group.teamId, userIds);
      group.updatedAt = seconds();
    },
    setUserGroupDisabled(groupId, disabled) {
      const group = groupOf(groupId);
      group.disabledAt = disabled ? seconds() : 0;
      group.updatedAt = seconds();
    },
  };
}
