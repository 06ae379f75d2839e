import type { FakeClock } from "../clock.ts";
import type { IdFactory } from "./ids.ts";
import { type SlackState, type StoredMessage, storeMessage, type Team } from "./state.ts";

/** What `addTeam` accepts. */
export interface TeamInput {
  id?: string;
  name?: string;
}

/** What `addUser` accepts. */
export interface UserInput {
  name: string;
  isAdmin?: boolean;
  isOwner?: boolean;
}

/** What `addChannel` accepts. `botIsMember` defaults to true, so opt out to test `not_in_channel`. */
export interface ChannelInput {
  name: string;
  isPrivate?: boolean;
  botIsMember?: boolean;
  /** User ids to add as members. */
  members?: string[];
}

/** A message a user wrote (stored only; `fake.userSays` stores one and sends Slack's events for it). */
export interface UserMessageInput {
  channelId: string;
  userId: string;
  text: string;
  threadTs?: string;
}

/** Test-side setup of workspaces, people and channels. */
export interface Directory {
  /** Adds a workspace with its bot user; returns its id. */
  addTeam(input?: TeamInput): string;
  /** Adds a member to a workspace; returns the user id. */
  addUser(teamId: string, input: UserInput): string;
  /** Adds a channel; returns the channel id. */
  addChannel(teamId: string, input: ChannelInput): string;
  /** Stores a message written by a user; returns it. */
  addUserMessage(input: UserMessageInput): StoredMessage;
}

/** Creates the directory over the shared state. */
export function createDirectory(deps: { state: SlackState; ids: IdFactory; clock: FakeClock }): Directory {
  const { state, ids, clock } = deps;
  const team = (teamId: string): Team => {
    const found = state.teams.get(teamId);
    if (!found) throw new Error(`fake slack: no team ${teamId}; call addTeam first`);
    return found;
  };
  return {
    addTeam(input = {}) {
      const id = input.id ?? ids.id("T");
      if (state.teams.has(id)) throw new Error(`fake slack: team ${id} exists`);
      const name = input.name ?? `Team ${id}`;
      const botUserId = ids.id("U");
      state.teams.set(id, {
        id,
        name,
        domain: name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
        botUserId,
        botId: ids.id("B"),
      });
      state.users.set(botUserId, {
        id: botUserId,
        teamId: id,
        name: "testbot",
        isAdmin: false,
        isOwner: false,
        isBot: true,
      });
      return id;
    },
    addUser(teamId, input) {
      team(teamId);
      const id = ids.id("U");
      state.users.set(id, {
        id,
        teamId,
        name: input.name,
        isAdmin: input.isAdmin ?? false,
        isOwner: input.isOwner ?? false,
        isBot: false,
      });
      return id;
    },
    addChannel(teamId, input) {
      const { botUserId } = team(teamId);
      const isPrivate = input.isPrivate ?? false;
      const id = ids.id(isPrivate ? "G" : "C");
      const members = new Set(input.members ?? []);
      if (input.botIsMember ?? true) members.add(botUserId);
      state.channels.set(id, { id, teamId, name: input.name, isPrivate, members });
      state.messages.set(id, []);
      return id;
    },
    addUserMessage(input) {
      const channel = state.channels.get(input.channelId);
      if (!channel) throw new Error(`fake slack: no channel ${input.channelId}`);
      return storeMessage(state, {
        ts: ids.ts(),
        channelId: channel.id,
        teamId: channel.teamId,
        text: input.text,
        blocks: undefined,
        threadTs: input.threadTs,
        userId: input.userId,
        botId: undefined,
        visibleTo: undefined,
        files: [],
        history: [],
        deleted: false,
        postedAt: clock.now(),
      });
    },
  };
}
