import type { FakeClock } from "../clock.ts";
import { blockErrors } from "./block-kit.ts";
import type { IdFactory } from "./ids.ts";
import {
  authed,
  fail,
  json,
  type MethodHandler,
  type MethodResult,
  messageJson,
  type Params,
  str,
} from "./params.ts";
import {
  findMessage,
  type SlackState,
  type StoredMessage,
  storeMessage,
  type Team,
  type TokenGrant,
} from "./state.ts";

/** Slack truncates past 40,000 characters; the fake refuses instead so tests notice (contract §2.5). */
export const maxTextLength = 40_000;

/** Why the bot may not write in a channel, or null when it may. */
export function postRefusal(state: SlackState, grant: TokenGrant, team: Team, channelId: string | undefined) {
  if (!channelId) return "channel_not_found";
  const channel = state.channels.get(channelId);
  if (!channel || channel.teamId !== team.id) return "channel_not_found";
  if (channel.members.has(team.botUserId)) return null;
  if (!channel.isPrivate && grant.scopes.has("chat:write.public")) return null;
  return "not_in_channel";
}

/** The `blocks` parameter, checked as Slack does: undefined when absent, else the blocks or Slack's error answer. */
export function messageBlocks(params: Params): unknown[] | undefined | MethodResult {
  const raw = params.blocks;
  if (raw === undefined || raw === null || raw === "") return undefined;
  const blocks = json(params, "blocks");
  // Not JSON, or JSON but not a list of blocks.
  if (!Array.isArray(blocks)) return fail("invalid_blocks_format");
  const errors = blockErrors(blocks);
  if (errors.length > 0)
    return fail("invalid_blocks", {
      errors,
      response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
    });
  return blocks;
}

/**
 * Text and blocks of a post or edit, validated, or Slack's error answer. Blocks without a top-level `text` are
 * accepted (Slack and WebClient only warn) and stored with text `""`, so tests can catch the missing fallback.
 */
function content(params: Params): { text: string; blocks: unknown[] | undefined } | MethodResult {
  const text = str(params, "text") ?? "";
  const blocks = messageBlocks(params);
  if (blocks !== undefined && !Array.isArray(blocks)) return blocks;
  if (text === "" && (!blocks || blocks.length === 0)) return fail("no_text");
  if (text.length > maxTextLength) return fail("msg_too_long");
  return { text, blocks };
}

const isFailure = (value: object): value is MethodResult => "ok" in value;

/** Creates a bot message (used by chat.postMessage, files and response_url). */
export function botMessage(
  deps: { state: SlackState; ids: IdFactory; clock: FakeClock },
  team: Team,
  fields: Pick<StoredMessage, "channelId" | "text" | "blocks" | "threadTs"> & Partial<StoredMessage>,
): StoredMessage {
  return storeMessage(deps.state, {
    ts: deps.ids.ts(),
    teamId: team.id,
    userId: team.botUserId,
    botId: team.botId,
    visibleTo: undefined,
    files: [],
    history: [],
    deleted: false,
    postedAt: deps.clock.now(),
    ...fields,
  });
}

/** chat.postMessage, chat.update, chat.postEphemeral and chat.delete. */
export function chatMethods(deps: { state: SlackState; ids: IdFactory; clock: FakeClock }) {
  const { state, clock } = deps;
  /** The bot's own message named by `channel` + `ts`, or the error name Slack gives. */
  const editable = (params: Params, team: Team): StoredMessage | string => {
    const channelId = str(params, "channel") ?? "";
    const channel = state.channels.get(channelId);
    if (!channel || channel.teamId !== team.id) return "channel_not_found";
    const message = findMessage(state, channelId, str(params, "ts") ?? "");
    if (!message || message.visibleTo) return "message_not_found";
    // Bots may change only what they posted themselves (contract §2.5).
    if (message.userId !== team.botUserId) return "cant_update_message";
    return message;
  };
  const handlers: Record<string, MethodHandler> = {
    "chat.postMessage": (call) => {
      const { grant, team } = authed(call);
      const channelId = str(call.params, "channel");
      const refusal = postRefusal(state, grant, team, channelId);
      if (refusal || !channelId) return fail(refusal ?? "channel_not_found");
      const body = content(call.params);
      if (isFailure(body)) return body;
      const threadTs = str(call.params, "thread_ts");
      if (threadTs && !findMessage(state, channelId, threadTs)) return fail("thread_not_found");
      const message = botMessage(deps, team, { channelId, ...body, threadTs });
      return { ok: true, channel: channelId, ts: message.ts, message: messageJson(state, message) };
    },
    "chat.update": (call) => {
      const { team } = authed(call);
      const found = editable(call.params, team);
      if (typeof found === "string") return fail(found);
      const body = content(call.params);
      if (isFailure(body)) return body;
      found.history.push({ text: found.text, blocks: found.blocks, at: clock.now() });
      found.text = body.text;
      found.blocks = body.blocks ?? found.blocks;
      return {
        ok: true,
        channel: found.channelId,
        ts: found.ts,
        text: found.text,
        message: messageJson(state, found),
      };
    },
    "chat.delete": (call) => {
      const { team } = authed(call);
      const found = editable(call.params, team);
      if (typeof found === "string")
        return fail(found === "cant_update_message" ? "cant_delete_message" : found);
      found.deleted = true;
      return { ok: true, channel: found.channelId, ts: found.ts };
    },
    "chat.postEphemeral": (call) => {
      const { grant, team } = authed(call);
      const channelId = str(call.params, "channel");
      const refusal = postRefusal(state, grant, team, channelId);
      if (refusal || !channelId) return fail(refusal ?? "channel_not_found");
      const userId = str(call.params, "user") ?? "";
      const channel = state.channels.get(channelId);
      if (!state.users.has(userId)) return fail("user_not_found");
      if (channel?.isPrivate && !channel.members.has(userId)) return fail("user_not_in_channel");
      const body = content(call.params);
      if (isFailure(body)) return body;
      const message = botMessage(deps, team, {
        channelId,
        ...body,
        threadTs: str(call.params, "thread_ts"),
        visibleTo: userId,
      });
      return { ok: true, message_ts: message.ts };
    },
  };
  return handlers;
}
