import { apiErrors, invalidFormBody } from "./api-error.ts";
import { type MessageFields, readMessagePayload } from "./message-payload.ts";
import type { RequestBody } from "./request-body.ts";
import type { RouteDeps } from "./route-deps.ts";
import type { Route, RouteContext } from "./router.ts";
import { messageJson } from "./shapes.ts";
import type { StoredInteraction, StoredMessage } from "./state.ts";

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const ephemeralFlag = 64;

/** Discord's interaction type number for a stored kind. */
export function interactionTypeNumber(interaction: StoredInteraction): number {
  if (interaction.kind === "component") return 3;
  if (interaction.kind === "modal-submit") return 5;
  return 2;
}

/** The message type of a response: 20 for slash commands, 23 for context menus, 0 otherwise. */
function responseMessageType(interaction: StoredInteraction): number {
  if (interaction.kind === "chat-input") return 20;
  if (interaction.kind === "message-context" || interaction.kind === "user-context") return 23;
  return 0;
}

/** The interaction callback and the interaction webhook (edit, fetch, delete the reply; follow-ups). */
export function interactionRoutes(deps: RouteDeps): Route[] {
  const { state, clock, writer, timings } = deps;
  const botId = state.applicationId;
  const byToken = (token: string | undefined) =>
    [...state.interactions.values()].find((i) => i.token === token);

  /** The interaction behind an interaction-webhook URL, or Discord's error for why the token is no good. */
  const webhookInteraction = ({ params }: RouteContext): StoredInteraction => {
    if (params.application_id !== state.applicationId) throw apiErrors.unknownWebhook();
    const interaction = byToken(params.token);
    if (!interaction) throw apiErrors.invalidWebhookToken();
    const age = clock.now() - interaction.createdAt;
    if (age > timings.tokenLifetimeMs) throw apiErrors.invalidWebhookToken();
    if (interaction.callbackType === null) {
      // Unanswered within 3 s the token is dead; before that the webhook does not exist yet.
      throw age > timings.callbackDeadlineMs ? apiErrors.invalidWebhookToken() : apiErrors.unknownWebhook();
    }
    return interaction;
  };
  const ownedMessage = (interaction: StoredInteraction, messageId: string | undefined): StoredMessage => {
    const id = messageId === "@original" ? interaction.originalMessageId : messageId;
    const mine =
      id !== null && (id === interaction.originalMessageId || interaction.followUpIds.includes(id ?? ""));
    const message = id ? state.messages.get(id) : undefined;
    if (!mine || !message || message.deleted) throw apiErrors.unknownMessage();
    return message;
  };
  const fieldsFrom = (
    body: RequestBody,
    json: unknown,
    channelId: string,
    existing: StoredMessage | null,
  ): MessageFields => readMessagePayload(deps, { ...body, json } as RequestBody, { channelId, existing });
  const sharedChannel = (params: Record<string, string>) => byToken(params.token)?.channelId;
  const webhookRoute = (method: Route["method"], path: string, handle: Route["handle"]): Route => ({
    method,
    path: `/webhooks/:application_id/:token${path}`,
    auth: "interaction",
    bucket: "interactionWebhook",
    sharedChannel,
    handle,
  });
  const json = (status: number, body: unknown) => ({ status, json: body });

  const callback = ({ params, query, body }: RouteContext) => {
    const interaction = state.interactions.get(params.interaction_id ?? "");
    if (!interaction || interaction.token !== params.interaction_token) throw apiErrors.unknownInteraction();
    if (interaction.callbackType !== null) throw apiErrors.alreadyAcknowledged();
    if (clock.now() - interaction.createdAt > timings.callbackDeadlineMs)
      throw apiErrors.unknownInteraction();
    const request = body.kind === "none" ? {} : body.json;
    if (!isObject(request))
      throw invalidFormBody([], "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
    const data = isObject(request.data) ? request.data : {};
    const flags = typeof data.flags === "number" ? data.flags : 0;
    const ephemeralFor = flags & ephemeralFlag ? interaction.userId : undefined;
    const onMessage =
      interaction.kind === "component" || (interaction.kind === "modal-submit" && interaction.messageId);
    const invalidType = () =>
      invalidFormBody(
        ["type"],
        "INTERACTION_RESPONSE_TYPE_INVALID",
        "Interaction response type is invalid for this interaction",
      );
    let original: StoredMessage | null = null;
    const base = {
      channelId: interaction.channelId,
      authorId: botId,
      webhookId: botId,
      interactionId: interaction.id,
    };
    switch (request.type) {
      case 4:
        original = writer.create({
          ...base,
          type: responseMessageType(interaction),
          fields: fieldsFrom(body, data, interaction.channelId, null),
          ...(ephemeralFor ? { ephemeralFor } : {}),
        });
        break;
      case 5:
        original = writer.create({
          ...base,
          type: responseMessageType(interaction),
          fields: {},
          loading: true,
          ...(ephemeralFor ? { ephemeralFor } : {}),
        });
        break;
      case 6:
      case 7: {
        if (!onMessage || !interaction.messageId) throw invalidType();
        // After a component's update the interaction's "original" is the message the component sits on.
        original = state.message(interaction.channelId, interaction.messageId);
        if (request.type === 7)
          writer.edit(original, fieldsFrom(body, data, interaction.channelId, original));
        break;
      }
      case 9: {
        if (interaction.kind === "modal-submit") throw invalidType();
        if (
          typeof data.custom_id !== "string" ||
          typeof data.title !== "string" ||
          !Array.isArray(data.components)
        ) {
          throw invalidFormBody(
            ["data"],
            "BASE_TYPE_REQUIRED",
            "custom_id, title and components are required",
          );
        }
        interaction.modal = data;
        break;
      }
      default:
        throw invalidFormBody(["type"], "BASE_TYPE_CHOICES", "Value must be one of {4, 5, 6, 7, 9}.");
    }
    interaction.callbackType = request.type;
    interaction.callbackAt = clock.now();
    interaction.originalMessageId = original?.id ?? null;
    if (query.get("with_response") !== "true") return { status: 204 };
    return json(200, {
      interaction: {
        id: interaction.id,
        type: interactionTypeNumber(interaction),
        ...(original
          ? {
              response_message_id: original.id,
              response_message_loading: request.type === 5,
              response_message_ephemeral: original.ephemeralFor !== null,
            }
          : {}),
      },
      ...(original && request.type !== 6
        ? { resource: { type: request.type, message: messageJson(state, original) } }
        : {}),
    });
  };

  const messageRoutes = (path: string): Route[] => [
    webhookRoute("GET", path, (context) => {
      const message = ownedMessage(webhookInteraction(context), context.params.message_id ?? "@original");
      return json(200, messageJson(state, message));
    }),
    webhookRoute("PATCH", path, (context) => {
      const interaction = webhookInteraction(context);
      const message = ownedMessage(interaction, context.params.message_id ?? "@original");
      const fields = fieldsFrom(
        context.body,
        context.body.kind === "none" ? {} : context.body.json,
        message.channelId,
        message,
      );
      return json(200, messageJson(state, writer.edit(message, fields)));
    }),
    webhookRoute("DELETE", path, (context) => {
      writer.remove(ownedMessage(webhookInteraction(context), context.params.message_id ?? "@original"));
      return { status: 204 };
    }),
  ];

  return [
    {
      method: "POST",
      path: "/interactions/:interaction_id/:interaction_token/callback",
      auth: "interaction",
      // Interaction callbacks are outside the global limit; @discordjs/rest sends them through its BurstHandler.
      bucket: "none",
      handle: callback,
    },
    ...messageRoutes("/messages/@original"),
    ...messageRoutes("/messages/:message_id"),
    webhookRoute("POST", "", (context) => {
      const interaction = webhookInteraction(context);
      const data = context.body.kind === "none" ? {} : context.body.json;
      const flags = isObject(data) && typeof data.flags === "number" ? data.flags : 0;
      const message = writer.create({
        channelId: interaction.channelId,
        authorId: botId,
        webhookId: botId,
        interactionId: interaction.id,
        type: responseMessageType(interaction),
        fields: fieldsFrom(context.body, data, interaction.channelId, null),
        ...(flags & ephemeralFlag ? { ephemeralFor: interaction.userId } : {}),
      });
      interaction.followUpIds.push(message.id);
      // Without ?wait=true Discord answers 204 and the caller never learns the message.
      return context.query.get("wait") === "true" ? json(200, messageJson(state, message)) : { status: 204 };
    }),
  ];
}
