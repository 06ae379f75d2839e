import type { Logger } from "@replibot/core";
import type { WebClient } from "@slack/web-api";

/** How long a user group's members are trusted before they are listed again. */
const GROUP_CACHE_MS = 60_000;

/** Which of `groupIds` a member belongs to (Slack's `usergroups.users.list`), briefly cached. */
export type GroupCheck = (
  client: WebClient,
  teamId: string,
  groupIds: readonly string[],
  userId: string,
) => Promise<string[]>;

/** A {@link GroupCheck} over `usergroups.users.list`; a group Slack will not list counts as one the member is not in. */
export function createGroupCheck(logger: Logger, now: () => number = Date.now): GroupCheck {
  const cache = new Map<string, { members: Set<string>; until: number }>();
  const membersOf = async (client: WebClient, teamId: string, groupId: string) => {
    const key = `${teamId}/${groupId}`;
    const known = cache.get(key);
    if (known && known.until > now()) return known.members;
    try {
      const listed = await client.usergroups.users.list({ usergroup: groupId });
      const members = new Set(listed.users ?? []);
      cache.set(key, { members, until: now() + GROUP_CACHE_MS });
      return members;
    } catch (error) {
      logger.warn(
        { err: error, teamId, groupId },
        "usergroups.users.list failed; treating the group as empty",
      );
      return new Set<string>();
    }
  };
  return async (client, teamId, groupIds, userId) => {
    const found: string[] = [];
    for (const groupId of groupIds)
      if ((await membersOf(client, teamId, groupId)).has(userId)) found.push(groupId);
    return found;
  };
}
