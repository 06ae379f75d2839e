import { type Json, memberJson, userJson } from "./shapes.ts";
import type { FakeState, StoredGuild } from "./state.ts";

/** The guilds the bot is a member of. */
export function botGuilds(state: FakeState): StoredGuild[] {
  return [...state.guilds.values()].filter((g) => g.members.has(state.applicationId));
}

/** READY: `user`, `guilds` (all unavailable until their GUILD_CREATE), `session_id`, `resume_gateway_url`, `application`. */
export function readyJson(state: FakeState, sessionId: string, resumeGatewayUrl: string): Json {
  return {
    v: 10,
    user: { ...userJson(state.user(state.applicationId)), verified: true, mfa_enabled: false, flags: 0 },
    guilds: botGuilds(state).map((g) => ({ id: g.id, unavailable: true })),
    session_id: sessionId,
    session_type: "normal",
    resume_gateway_url: resumeGatewayUrl,
    shard: [0, 1],
    // discord.js builds client.application from this; without it login crashes (contract §1.4).
    application: { id: state.applicationId, flags: 0 },
    private_channels: [],
    presences: [],
    relationships: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: [],
    user_settings: {},
  };
}

/** One GUILD_MEMBERS_CHUNK answering op 8, or null for an unknown guild. */
export function membersChunkJson(state: FakeState, guildId: string, userIds: string[] | null): Json | null {
  const guild = state.guilds.get(guildId);
  if (!guild) return null;
  const members = [...guild.members.values()].filter((m) => userIds === null || userIds.includes(m.userId));
  return {
    guild_id: guildId,
    members: members.map((m) => memberJson(state, m, { withUser: true })),
    chunk_index: 0,
    chunk_count: 1,
    not_found: (userIds ?? []).filter((id) => !guild.members.has(id)),
  };
}
