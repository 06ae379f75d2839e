import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { createFakeClock, type FakeClock } from "../clock.ts";
import { botRoutes } from "./bot-routes.ts";
import { createFakeCdn } from "./cdn.ts";
import { channelRoutes } from "./channel-routes.ts";
import { commandRoutes } from "./command-routes.ts";
import { createDirectory, type Directory } from "./directory.ts";
import { type FakeDiscordOptions, resolveOptions } from "./fake-discord-options.ts";
import { createFaultQueue, type FaultSpec } from "./faults.ts";
import { createFakeGateway, type GatewayFrame, type GatewaySessionInfo } from "./gateway.ts";
import { botGuilds, membersChunkJson, readyJson } from "./gateway-payloads.ts";
import { createGuildUpdates, type GuildUpdates } from "./guild-updates.ts";
import { createHttpHandler, type RecordedRequest } from "./http-handler.ts";
import type { InteractionRef } from "./interaction-delivery.ts";
import { interactionRoutes } from "./interaction-routes.ts";
import { createMessageWriter } from "./message-writer.ts";
import { createRateLimiter, type RateLimitConfig, type RateLimitHit } from "./rate-limiter.ts";
import type { RouteDeps } from "./route-deps.ts";
import { guildCreateJson, type Json } from "./shapes.ts";
import { createIdFactory } from "./snowflake.ts";
import { createFakeState, type StoredMessage } from "./state.ts";
import { createUserActions, type UserActions, type UserMessageInput } from "./user-actions.ts";
import {
  channelView,
  type InteractionView,
  interactionView,
  type MessageView,
  messageView,
} from "./views.ts";

/** A running fake Discord: REST under /api/v10, the gateway, a CDN, and the test-side controls. */
export interface FakeDiscord
  extends Directory,
    GuildUpdates,
    Omit<UserActions, "pressComponent" | "postUserMessage"> {
  /** What discord.js takes as `rest.api`, e.g. `http://127.0.0.1:PORT/api`. */
  apiUrl: string;
  origin: string;
  cdnOrigin: string;
  /** The WebSocket URL `GET /gateway/bot` hands out. */
  gatewayUrl: string;
  botToken: string;
  applicationId: string;
  clock: FakeClock;
  /** The live rate-limit settings; change a field to tighten or loosen limits mid-test. */
  rateLimits: RateLimitConfig;
  /** A user posting in a channel: MESSAGE_CREATE (content blanked for a bot without MessageContent). */
  postUserMessage(input: UserMessageInput): MessageView;
  /** A user (or a moderator) deleting a message: MESSAGE_DELETE. Throws for an unknown message. */
  deleteMessage(messageId: string): void;
  /** A user clicking a button on a message: INTERACTION_CREATE type 3. */
  pressButton(input: {
    messageId: string;
    customId: string;
    userId: string;
    /** A tampered client's custom id, sent instead of the button's own. */
    forgedCustomId?: string;
  }): InteractionRef;
  /** A user choosing values in a select menu: INTERACTION_CREATE type 3 with `values`. */
  selectMenu(input: {
    messageId: string;
    customId: string;
    userId: string;
    values: string[];
  }): InteractionRef;
  /** Stores bytes on the CDN (for attachment options and downloads); returns the attachment id and signed URL. */
  uploadCdnFile(bytes: Uint8Array, filename: string, contentType: string): { id: string; url: string };
  /** A channel's messages as a user sees them now; with `as`, others' ephemeral messages are hidden. */
  messages(channelId: string, options?: { as?: string }): MessageView[];
  /** One message by id, deleted ones included (see `deleted`). */
  message(messageId: string): MessageView | undefined;
  /** The reply, follow-ups and callback of an interaction. */
  interactionResponse(interactionId: string): InteractionView | undefined;
  /** Registered application commands of a guild, or the global ones. */
  commands(guildId?: string): Json[];
  /** Every REST and CDN request received, oldest first. */
  requests(): readonly RecordedRequest[];
  /** How many 429s the fake has sent. */
  rateLimitHits(): number;
  /** Each 429 the fake has sent. */
  rateLimitLog(): readonly RateLimitHit[];
  gatewayFrames(): readonly GatewayFrame[];
  gatewaySessions(): GatewaySessionInfo[];
  /** Things the fake noticed that no HTTP status shows: unknown routes, compression asked for, crashes. */
  problems(): readonly string[];
  /** Queues a one-off response for the next matching request (a 500, an injected 429, a Discord error code). */
  failNext(spec: FaultSpec): void;
  /** Sends a raw dispatch to every session. */
  dispatch(event: string, data: Json): void;
  /** Closes every gateway connection with `code` (default 4000); sessions stay resumable. */
  disconnectGateway(code?: number): void;
  /** Sends op 9 Invalid Session. */
  invalidateSession(resumable: boolean): void;
  /** Sends op 7 Reconnect. */
  requestReconnect(): void;
  /** Polls `check` until it returns something truthy, and resolves with that. */
  waitFor<T>(
    check: () => T | undefined | null | false,
    options?: { timeoutMs?: number; intervalMs?: number },
  ): Promise<T>;
  /** Closes every connection and the server. Destroy discord.js clients first, or they keep reconnecting. */
  close(): Promise<void>;
}

/** Starts a fake Discord on 127.0.0.1 with an ephemeral port. */
export async function createFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const clock = createFakeClock();
  const ids = createIdFactory(clock.now);
  const applicationId = options.applicationId ?? ids.snowflake();
  const botToken = options.botToken ?? ids.token(applicationId);
  const { refusedIntents, rateLimits, limits, timings } = resolveOptions(options);
  const problems: string[] = [];
  const problem = (text: string) => problems.push(text);

  let handler: ReturnType<typeof createHttpHandler> | null = null;
  const server = createServer((request, response) => {
    if (handler) handler(request, response);
    else response.writeHead(503).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const wsOrigin = `ws://127.0.0.1:${port}`;

  const cdn = createFakeCdn({ origin, clock, ids, urlTtlMs: options.cdnUrlTtlMs ?? 24 * 3_600_000 });
  const state = createFakeState({ applicationId, cdnUrl: cdn.url });
  state.users.set(applicationId, {
    id: applicationId,
    username: options.botUsername ?? "testbot",
    globalName: null,
    bot: true,
  });
  const gateway = createFakeGateway({
    clock,
    ids,
    botToken,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    refusedIntents,
    problem,
    ready: (sessionId) => readyJson(state, sessionId, `${wsOrigin}/resume`),
    guildCreates: () => botGuilds(state).map((g) => guildCreateJson(state, g)),
    membersChunk: (guildId, userIds) => membersChunkJson(state, guildId, userIds),
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (socket, request) => gateway.accept(socket, request));

  const writer = createMessageWriter({ state, clock, ids, gateway });
  const deps: RouteDeps = {
    state,
    clock,
    ids,
    cdn,
    gateway,
    writer,
    limits,
    timings,
    wsOrigin,
    refusedIntents,
  };
  const limiter = createRateLimiter({ clock, config: rateLimits });
  const faults = createFaultQueue();
  const requests: RecordedRequest[] = [];
  handler = createHttpHandler({
    routes: [...botRoutes(deps), ...commandRoutes(deps), ...channelRoutes(deps), ...interactionRoutes(deps)],
    botToken,
    clock,
    cdn,
    limiter,
    faults,
    requests,
    problem,
  });
  const directory = createDirectory({ state, clock, ids, gateway });
  const { pressComponent, postUserMessage, ...actions } = createUserActions({
    state,
    clock,
    ids,
    cdn,
    gateway,
    writer,
    limits,
    requireRegisteredCommands: options.requireRegisteredCommands ?? true,
  });
  const live = (m: StoredMessage | undefined) => (m ? messageView(state, m) : undefined);

  return {
    ...directory,
    ...createGuildUpdates({ state, gateway }),
    ...actions,
    apiUrl: `${origin}/api`,
    origin,
    cdnOrigin: origin,
    gatewayUrl: `${wsOrigin}/gateway`,
    botToken,
    applicationId,
    clock,
    rateLimits,
    postUserMessage: (input) => messageView(state, postUserMessage(input)),
    deleteMessage(messageId) {
      const message = state.messages.get(messageId);
      if (!message || message.deleted) throw new Error(`fake discord: no message ${messageId} to delete`);
      writer.remove(message);
    },
    pressButton: (input) => pressComponent(input),
    selectMenu: (input) => pressComponent(input),
    uploadCdnFile(bytes, filename, contentType) {
      const attachment = cdn.store("0", bytes, { filename, contentType });
      state.attachments.set(attachment.id, attachment);
      return { id: attachment.id, url: cdn.url(attachment.path) };
    },
    messages: (channelId, viewOptions) => channelView(state, channelId, viewOptions),
    message: (messageId) => live(state.messages.get(messageId)),
    interactionResponse: (interactionId) => interactionView(state, timings, clock.now(), interactionId),
    commands: (guildId) => (state.commands.get(guildId ?? "global") ?? []).map((c) => c.json),
    requests: () => requests,
    rateLimitHits: () => limiter.hits().length,
    rateLimitLog: () => limiter.hits(),
    gatewayFrames: () => gateway.frames(),
    gatewaySessions: () => gateway.sessions(),
    problems: () => problems,
    failNext: (spec) => faults.add(spec),
    dispatch: (event, data) => gateway.dispatch(event, () => data),
    disconnectGateway: (code = 4000) => gateway.disconnect(code),
    invalidateSession: (resumable) => gateway.invalidateSession(resumable),
    requestReconnect: () => gateway.requestReconnect(),
    async waitFor(check, waitOptions = {}) {
      const timeoutMs = waitOptions.timeoutMs ?? 5_000;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const result = check();
        if (result) return result;
        if (Date.now() > deadline) throw new Error(`fake.waitFor: condition not met within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, waitOptions.intervalMs ?? 10));
      }
    },
    async close() {
      gateway.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
