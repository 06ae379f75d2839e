import { GatewayIntentBits } from "discord-api-types/v10";
import { apiErrors, invalidFormBody } from "./api-error.ts";
import { hasIntent } from "./intents.ts";
import { readMessagePayload } from "./message-payload.ts";
import { hasPermission, type PermissionName } from "./permissions.ts";
import { bodyJson } from "./request-body.ts";
import type { RouteDeps } from "./route-deps.ts";
import type { Route } from "./router.ts";
import { channelJson, messageJson } from "./shapes.ts";
import type { StoredChannel } from "./state.ts";

const isThread = (channel: StoredChannel) =>
  channel.kind === "public-thread" || channel.kind === "private-thread";

/** Channel reads and bot-token message writes, with Discord's permission checks (50001 / 50013). */
export function channelRoutes(deps: RouteDeps): Route[] {
  const { state, writer } = deps;
  const botId = state.applicationId;
  /** The channel, if the bot can see it: 50001 Missing Access otherwise, then 50013 per missing permission. */
  const channelFor = (channelId: string | undefined, ...needs: PermissionName[]): StoredChannel => {
    const channel = state.channel(channelId ?? "");
    const bits = state.permissionsIn(channel.id, botId);
    if (!hasPermission(bits, "ViewChannel")) throw apiErrors.missingAccess();
    for (const need of needs) if (!hasPermission(bits, need)) throw apiErrors.missingPermissions();
    return channel;
  };
  const sendPermission = (channel: StoredChannel): PermissionName =>
    isThread(channel) ? "SendMessagesInThreads" : "SendMessages";
  const messageRoute = (
    method: Route["method"],
    path: string,
    handle: Route["handle"],
    bucket: Route["bucket"] = "channelMessages",
  ): Route => ({ method, path, auth: "bot", bucket, handle });
  const json = (status: number, body: unknown) => ({ status, json: body });

  const createThread = (
    parent: StoredChannel,
    input: unknown,
    threadId: string | null,
    kind: StoredChannel["kind"],
  ) => {
    const body = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
    const name = body.name;
    if (typeof name !== "string" || name.length < 1 || name.length > 100) {
      throw invalidFormBody(["name"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
    }
    const thread: StoredChannel = {
      id: threadId ?? deps.ids.snowflake(),
      kind,
      guildId: parent.guildId,
      name,
      position: 0,
      parentId: parent.id,
      topic: null,
      nsfw: false,
      overwrites: [],
      recipientId: null,
      ownerId: botId,
      createdAt: deps.clock.now(),
      lastMessageId: null,
    };
    state.channels.set(thread.id, thread);
    deps.gateway.dispatch("THREAD_CREATE", (intents) =>
      hasIntent(intents, GatewayIntentBits.Guilds)
        ? { ...channelJson(state, thread), newly_created: true }
        : null,
    );
    return thread;
  };

  return [
    messageRoute(
      "GET",
      "/channels/:channel_id",
      ({ params }) => json(200, channelJson(state, channelFor(params.channel_id))),
      "otherRoutes",
    ),
    messageRoute(
      "GET",
      "/channels/:channel_id/messages",
      ({ params, query }) => {
        const channel = channelFor(params.channel_id, "ReadMessageHistory");
        const limit = Math.min(100, Math.max(1, Number(query.get("limit") ?? 50)));
        const before = query.get("before");
        const after = query.get("after");
        const messages = state
          .channelMessages(channel.id)
          .filter((m) => m.ephemeralFor === null)
          .filter(
            (m) =>
              (before ? BigInt(m.id) < BigInt(before) : true) &&
              (after ? BigInt(m.id) > BigInt(after) : true),
          )
          .reverse()
          .slice(0, limit);
        return json(
          200,
          messages.map((m) => messageJson(state, m)),
        );
      },
      "otherRoutes",
    ),
    messageRoute(
      "GET",
      "/channels/:channel_id/messages/:message_id",
      ({ params }) => {
        const channel = channelFor(params.channel_id, "ReadMessageHistory");
        const message = state.message(channel.id, params.message_id ?? "");
        if (message.ephemeralFor !== null) throw apiErrors.unknownMessage();
        return json(200, messageJson(state, message));
      },
      "otherRoutes",
    ),
    messageRoute("POST", "/channels/:channel_id/messages", ({ params, body }) => {
      const channel = channelFor(params.channel_id);
      if (!hasPermission(state.permissionsIn(channel.id, botId), sendPermission(channel)))
        throw apiErrors.missingPermissions();
      const fields = readMessagePayload(deps, body, { channelId: channel.id, existing: null });
      // Only interaction responses can be ephemeral; Discord drops the flag on channel messages.
      if (fields.flags !== undefined) fields.flags &= ~64;
      if (
        fields.attachments?.length &&
        !hasPermission(state.permissionsIn(channel.id, botId), "AttachFiles")
      ) {
        throw apiErrors.missingPermissions();
      }
      const message = writer.create({ channelId: channel.id, authorId: botId, type: 0, fields });
      return json(200, messageJson(state, message));
    }),
    messageRoute("PATCH", "/channels/:channel_id/messages/:message_id", ({ params, body }) => {
      const channel = channelFor(params.channel_id);
      const message = state.message(channel.id, params.message_id ?? "");
      if (message.ephemeralFor !== null) throw apiErrors.unknownMessage();
      if (message.authorId !== botId) throw apiErrors.cannotEditOthers();
      const fields = readMessagePayload(deps, body, { channelId: channel.id, existing: message });
      return json(200, messageJson(state, writer.edit(message, fields)));
    }),
    messageRoute("DELETE", "/channels/:channel_id/messages/:message_id", ({ params }) => {
      const channel = channelFor(params.channel_id);
      const message = state.message(channel.id, params.message_id ?? "");
      if (message.ephemeralFor !== null) throw apiErrors.unknownMessage();
      if (
        message.authorId !== botId &&
        !hasPermission(state.permissionsIn(channel.id, botId), "ManageMessages")
      ) {
        throw apiErrors.missingPermissions();
      }
      writer.remove(message);
      return { status: 204 };
    }),
    messageRoute(
      "POST",
      "/channels/:channel_id/typing",
      ({ params }) => {
        const channel = channelFor(params.channel_id);
        if (!hasPermission(state.permissionsIn(channel.id, botId), sendPermission(channel)))
          throw apiErrors.missingPermissions();
        return { status: 204 };
      },
      "otherRoutes",
    ),
    messageRoute(
      "POST",
      "/channels/:channel_id/messages/:message_id/threads",
      ({ params, body }) => {
        const channel = channelFor(params.channel_id, "CreatePublicThreads");
        const message = state.message(channel.id, params.message_id ?? "");
        if (message.threadId || state.channels.has(message.id)) throw apiErrors.threadAlreadyCreated();
        // A thread started from a message takes the message's id.
        const thread = createThread(channel, bodyJson(body), message.id, "public-thread");
        message.threadId = thread.id;
        return json(201, channelJson(state, thread));
      },
      "otherRoutes",
    ),
    messageRoute(
      "POST",
      "/channels/:channel_id/threads",
      ({ params, body }) => {
        const input = bodyJson(body) as Record<string, unknown> | undefined;
        const kind = input?.type === 12 ? "private-thread" : "public-thread";
        const channel = channelFor(
          params.channel_id,
          kind === "private-thread" ? "CreatePrivateThreads" : "CreatePublicThreads",
        );
        return json(201, channelJson(state, createThread(channel, input, null, kind)));
      },
      "otherRoutes",
    ),
  ];
}
