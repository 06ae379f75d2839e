import type { UserSharesFileFields } from "./file-shares.ts";
import { authed, fail, type MethodHandler } from "./params.ts";
import type { BlockActionFields, EventFields, Issued, Payloads, SlashCommandFields } from "./payloads.ts";
import type { Envelope, EnvelopeRecord, SocketAck, SocketServer } from "./socket-mode.ts";
import {
  deliverFileShare,
  deliverPlan,
  type FileShareDeliveries,
  type MessageDeliveries,
} from "./user-actions.ts";
import type { EventPlan, MessageRef, UserMessages, UserSaysFields } from "./user-messages.ts";

/** How long to wait for the app's ack; Slack's window, 3 s, by default. */
export interface AckWait {
  ackTimeoutMs?: number;
}

/** The test acting as Slack toward an app connected over Socket Mode. */
export interface SocketControls {
  /** Open Socket Mode connections (the hello was sent). */
  connected(): number;
  /** Pushes an envelope to one connection and resolves with the app's ack (or `acked: false` after the wait). */
  send(envelope: Envelope, options?: AckWait): Promise<SocketAck>;
  /** A slash command as a `slash_commands` envelope; the ack payload is what Slack shows the user. */
  slashCommand(input: SlashCommandFields & AckWait): Promise<SocketAck & Issued>;
  /** A button click as an `interactive` envelope. */
  blockAction(input: BlockActionFields & AckWait): Promise<SocketAck & Issued>;
  /** An `events_api` envelope; `retryAttempt`/`retryReason` mark a redelivery. */
  event(
    input: EventFields & AckWait & { retryAttempt?: number; retryReason?: string },
  ): Promise<SocketAck & { eventId: string }>;
  /** `fake.userSays` over Socket Mode: each event in its own `events_api` envelope, acks in `deliveries`. */
  userSays(input: UserSaysFields & AckWait): Promise<MessageDeliveries<SocketAck>>;
  /** `fake.userSharesFile` over Socket Mode. */
  userSharesFile(input: UserSharesFileFields & AckWait): Promise<FileShareDeliveries<SocketAck>>;
  /** `fake.userDeletes` over Socket Mode. */
  userDeletes(input: MessageRef & AckWait): Promise<MessageDeliveries<SocketAck>>;
  /** `fake.echoBotPost` over Socket Mode. */
  echoBotPost(input: MessageRef & AckWait): Promise<MessageDeliveries<SocketAck>>;
  /** Sends `{"type":"disconnect","reason"}` to every connection, as Slack does before recycling one. */
  requestDisconnect(reason?: "refresh_requested" | "warning" | "link_disabled"): void;
  /** Every envelope pushed, oldest first, with its ack. */
  envelopes(): readonly EnvelopeRecord[];
}

/** Creates the Socket Mode controls over the server and the shared payload builders. */
export function createSocketControls(deps: {
  server: SocketServer;
  payloads: Payloads;
  messages: UserMessages;
  /** The fake's origin, for the shared files' URLs. */
  origin: string;
}): SocketControls {
  const { server, payloads, messages } = deps;
  const deliver = (plan: EventPlan, input: { teamId: string } & AckWait) =>
    deliverPlan(plan, input.teamId, payloads, (payload) =>
      server.send({ type: "events_api", payload }, input.ackTimeoutMs),
    );
  return {
    connected: () => server.connected(),
    send: (envelope, options = {}) => server.send(envelope, options.ackTimeoutMs),
    async slashCommand(input) {
      const { fields, issued } = payloads.slashCommand(input);
      const ack = await server.send({ type: "slash_commands", payload: fields }, input.ackTimeoutMs);
      return { ...ack, ...issued };
    },
    async blockAction(input) {
      const { payload, issued } = payloads.blockAction(input);
      const ack = await server.send({ type: "interactive", payload }, input.ackTimeoutMs);
      return { ...ack, ...issued };
    },
    async event(input) {
      const { envelope, eventId } = payloads.event(input);
      const ack = await server.send(
        {
          type: "events_api",
          payload: envelope,
          retryAttempt: input.retryAttempt,
          retryReason: input.retryReason,
        },
        input.ackTimeoutMs,
      );
      return { ...ack, eventId };
    },
    userSays: async (input) => deliver(messages.say(input), input),
    userSharesFile: async (input) =>
      deliverFileShare(messages.share(input), deps.origin, (plan) => deliver(plan, input)),
    userDeletes: async (input) => deliver(messages.remove(input), input),
    echoBotPost: async (input) => deliver(messages.botPost(input), input),
    requestDisconnect: (reason = "refresh_requested") => server.requestDisconnect(reason),
    envelopes: () => server.log(),
  };
}

/** `apps.connections.open`: an app-level token with `connections:write` gets a single-use WebSocket URL. */
export function socketMethods(deps: { server: SocketServer; origin: string }) {
  const handlers: Record<string, MethodHandler> = {
    "apps.connections.open": (call) => {
      const { grant } = authed(call);
      if (grant.kind !== "app") return fail("not_allowed_token_type");
      return { ok: true, url: deps.server.issueUrl(deps.origin) };
    },
  };
  return handlers;
}
