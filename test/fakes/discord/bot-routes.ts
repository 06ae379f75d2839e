import { ApplicationFlags, GatewayIntentBits } from "discord-api-types/v10";
import { apiErrors, invalidFormBody } from "./api-error.ts";
import { bodyJson } from "./request-body.ts";
import type { RouteDeps } from "./route-deps.ts";
import type { Route } from "./router.ts";
import { channelJson, guildCreateJson, type Json, memberJson, roleJson, userJson } from "./shapes.ts";
import type { StoredChannel, StoredGuild } from "./state.ts";

/** The application object, whose flags tell a bot which privileged intents it may ask for. */
export function applicationJson(deps: RouteDeps): Json {
  const { state } = deps;
  const refused = deps.refusedIntents;
  let flags = 0;
  if (!(refused & GatewayIntentBits.GuildPresences)) flags |= ApplicationFlags.GatewayPresence;
  if (!(refused & GatewayIntentBits.GuildMembers)) flags |= ApplicationFlags.GatewayGuildMembers;
  if (!(refused & GatewayIntentBits.MessageContent)) flags |= ApplicationFlags.GatewayMessageContent;
  const bot = state.user(state.applicationId);
  return {
    id: state.applicationId,
    name: bot.username,
    icon: null,
    description: "",
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: "0".repeat(64),
    flags,
    team: null,
    bot: userJson(bot),
    approximate_guild_count: state.guilds.size,
    install_params: { scopes: ["bot", "applications.commands"], permissions: "0" },
    integration_types_config: { "0": {} },
  };
}

/** A guild as GET /guilds/{id} returns it: GUILD_CREATE without channels, members and live state. */
function guildJson(deps: RouteDeps, guild: StoredGuild): Json {
  const {
    channels: _channels,
    threads: _threads,
    members: _members,
    presences: _presences,
    voice_states: _voiceStates,
    joined_at: _joinedAt,
    large: _large,
    member_count: _memberCount,
    unavailable: _unavailable,
    ...rest
  } = guildCreateJson(deps.state, guild);
  return rest;
}

/** The bot's own guild: 10004 when the bot is not in it. */
function botGuild(deps: RouteDeps, guildId: string): StoredGuild {
  const guild = deps.state.guild(guildId);
  if (!guild.members.has(deps.state.applicationId)) throw apiErrors.unknownGuild();
  return guild;
}

/** Gateway discovery, the bot's user and application, DMs, and guild reads. */
export function botRoutes(deps: RouteDeps): Route[] {
  const { state } = deps;
  const route = (method: Route["method"], path: string, handle: Route["handle"]): Route => ({
    method,
    path,
    auth: "bot",
    bucket: "otherRoutes",
    handle,
  });
  const gatewayBot = () => ({
    status: 200,
    json: {
      url: `${deps.wsOrigin}/gateway`,
      shards: 1,
      // `remaining` must stay >= 1 or @discordjs/ws refuses to connect (contract §1.5).
      session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
    },
  });
  return [
    route("GET", "/gateway/bot", gatewayBot),
    route("GET", "/gateway", () => ({ status: 200, json: { url: `${deps.wsOrigin}/gateway` } })),
    route("GET", "/users/@me", () => ({
      status: 200,
      json: { ...userJson(state.user(state.applicationId)), verified: true, mfa_enabled: false, flags: 0 },
    })),
    route("GET", "/users/:user_id", ({ params }) => ({
      status: 200,
      json: userJson(state.user(params.user_id ?? "")),
    })),
    route("POST", "/users/@me/channels", ({ body }) => {
      const json = bodyJson(body) as Json | undefined;
      const recipientId = typeof json?.recipient_id === "string" ? json.recipient_id : "";
      if (!recipientId)
        throw invalidFormBody(["recipient_id"], "BASE_TYPE_REQUIRED", "This field is required");
      state.user(recipientId);
      const existing = [...state.channels.values()].find(
        (c) => c.kind === "dm" && c.recipientId === recipientId,
      );
      const channel: StoredChannel = existing ?? {
        id: deps.ids.snowflake(),
        kind: "dm",
        guildId: null,
        name: null,
        position: 0,
        parentId: null,
        topic: null,
        nsfw: false,
        overwrites: [],
        recipientId,
        ownerId: null,
        createdAt: deps.clock.now(),
        lastMessageId: null,
      };
      state.channels.set(channel.id, channel);
      return { status: 200, json: channelJson(state, channel) };
    }),
    route("GET", "/applications/@me", () => ({ status: 200, json: applicationJson(deps) })),
    route("GET", "/oauth2/applications/@me", () => ({ status: 200, json: applicationJson(deps) })),
    route("GET", "/guilds/:guild_id", ({ params }) => ({
      status: 200,
      json: guildJson(deps, botGuild(deps, params.guild_id ?? "")),
    })),
    route("GET", "/guilds/:guild_id/channels", ({ params }) => {
      const guild = botGuild(deps, params.guild_id ?? "");
      const channels = [...state.channels.values()].filter((c) => c.guildId === guild.id && !c.parentId);
      return { status: 200, json: channels.map((c) => channelJson(state, c)) };
    }),
    route("GET", "/guilds/:guild_id/roles", ({ params }) => ({
      status: 200,
      json: [...botGuild(deps, params.guild_id ?? "").roles.values()].map(roleJson),
    })),
    route("GET", "/guilds/:guild_id/members/:user_id", ({ params }) => {
      const member = botGuild(deps, params.guild_id ?? "").members.get(params.user_id ?? "");
      if (!member) throw apiErrors.unknownMember();
      return { status: 200, json: memberJson(state, member, { withUser: true }) };
    }),
    route("GET", "/guilds/:guild_id/members", ({ params, query }) => {
      // Listing members needs the privileged Server Members intent switched on for the application.
      if (deps.refusedIntents & GatewayIntentBits.GuildMembers) throw apiErrors.missingAccess();
      const limit = Math.min(1000, Math.max(1, Number(query.get("limit") ?? 1)));
      const after = query.get("after") ?? "0";
      const members = [...botGuild(deps, params.guild_id ?? "").members.values()]
        .filter((m) => BigInt(m.userId) > BigInt(after))
        .sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1))
        .slice(0, limit);
      return { status: 200, json: members.map((m) => memberJson(state, m, { withUser: true })) };
    }),
  ];
}
