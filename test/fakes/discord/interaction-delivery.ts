import type { FakeClock } from "../clock.ts";
import type { FakeGateway } from "./gateway.ts";
import { interactionTypeNumber } from "./interaction-routes.ts";
import type { MessageLimits } from "./message-payload.ts";
import { hasPermission } from "./permissions.ts";
import { channelJson, type Json, memberJson, userJson } from "./shapes.ts";
import type { IdFactory } from "./snowflake.ts";
import type { FakeState, InteractionKind, StoredInteraction } from "./state.ts";

/** Ids of a delivered interaction. */
export interface InteractionRef {
  interactionId: string;
  token: string;
}

/** Where and by whom an interaction happens. */
export interface InteractionOrigin {
  channelId: string;
  userId: string;
  /** The command name or custom id, for the test views. */
  name: string;
  messageId?: string | null;
  locale?: string;
}

/**
 * Stores interactions and dispatches INTERACTION_CREATE with every field discord.js 14.28 dereferences:
 * `member` with `permissions` (or `user` in DMs), `app_permissions`, `entitlements`, `authorizing_integration_owners`.
 */
export function createInteractionDelivery(deps: {
  state: FakeState;
  clock: FakeClock;
  ids: IdFactory;
  gateway: FakeGateway;
  limits: MessageLimits;
}) {
  const { state } = deps;

  /** Checks the user may act in the channel and returns the guild id (null in DMs). */
  const where = (channelId: string, userId: string): string | null => {
    const channel = state.channel(channelId);
    state.user(userId);
    if (channel.kind === "dm") {
      if (channel.recipientId !== userId) throw new Error(`user ${userId} is not in DM ${channelId}`);
      return null;
    }
    const guild = state.guild(channel.guildId ?? "");
    if (!guild.members.has(userId)) throw new Error(`user ${userId} is not a member of guild ${guild.id}`);
    if (!hasPermission(state.permissionsIn(channelId, userId), "ViewChannel")) {
      throw new Error(`user ${userId} cannot see channel ${channelId}`);
    }
    return guild.id;
  };

  /** Stores the interaction and sends INTERACTION_CREATE to every session. */
  const deliver = (
    kind: InteractionKind,
    input: InteractionOrigin,
    data: Json,
    extra: Json = {},
  ): InteractionRef => {
    if (deps.gateway.sessions().length === 0) throw new Error("no gateway session: log a client in first");
    const guildId = where(input.channelId, input.userId);
    const id = deps.ids.snowflake();
    const interaction: StoredInteraction = {
      id,
      token: deps.ids.token(`interaction:${id}`),
      kind,
      name: input.name,
      channelId: input.channelId,
      guildId,
      userId: input.userId,
      createdAt: deps.clock.now(),
      messageId: input.messageId ?? null,
      callbackType: null,
      callbackAt: null,
      originalMessageId: null,
      followUpIds: [],
      modal: null,
    };
    state.interactions.set(id, interaction);
    const channel = state.channel(input.channelId);
    const memberPermissions = state.permissionsIn(channel.id, input.userId).toString();
    const guild = guildId ? state.guild(guildId) : null;
    const member = guild?.members.get(input.userId);
    const payload: Json = {
      id,
      application_id: state.applicationId,
      type: interactionTypeNumber(interaction),
      token: interaction.token,
      version: 1,
      channel_id: channel.id,
      channel: { ...channelJson(state, channel), permissions: memberPermissions },
      app_permissions: state.permissionsIn(channel.id, state.applicationId).toString(),
      locale: input.locale ?? "en-US",
      // Both must be present or discord.js throws an uncaught TypeError (contract §1.4, §4.2).
      entitlements: [],
      ...(guild && member
        ? {
            guild_id: guild.id,
            guild: { id: guild.id, locale: guild.locale, features: [] },
            guild_locale: guild.locale,
            member: { ...memberJson(state, member, { withUser: true }), permissions: memberPermissions },
            authorizing_integration_owners: { "0": guild.id },
            context: 0,
          }
        : {
            user: userJson(state.user(input.userId)),
            authorizing_integration_owners: { "0": "0" },
            context: 1,
          }),
      attachment_size_limit: deps.limits.fileBytes,
      data,
      ...extra,
    };
    deps.gateway.dispatch("INTERACTION_CREATE", () => payload);
    return { interactionId: id, token: interaction.token };
  };

  return { where, deliver };
}
