import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";
import type { FakeClock } from "../clock.ts";
import type { IdFactory } from "./ids.ts";

/** The envelope types Slack sends over Socket Mode. */
export type EnvelopeType = "slash_commands" | "interactive" | "events_api";

/** An envelope to push to the app; `payload` is the same JSON Slack would POST over HTTP. */
export interface Envelope {
  type: EnvelopeType;
  payload: Record<string, unknown>;
  /** Whether Slack uses the ack's payload (slash commands and some interactions); default per type. */
  acceptsResponsePayload?: boolean;
  /** events_api only: 0 for a first delivery, 1–3 for redeliveries. */
  retryAttempt?: number;
  retryReason?: string;
}

/** The app's answer to one envelope. */
export interface SocketAck {
  envelopeId: string;
  /** False when no ack with this envelope id came within the wait (Slack waits 3 s). */
  acked: boolean;
  /** The ack's `payload` (Bolt sends `{}` for a bare `ack()`), or undefined without an ack. */
  payload: Record<string, unknown> | undefined;
}

/** One envelope the fake pushed (`sent`, as on the wire), with the app's ack. */
export interface EnvelopeRecord extends SocketAck {
  type: EnvelopeType;
  sent: Record<string, unknown>;
  sentAt: number;
}

/** Slack's ack window. */
export const socketAckTimeoutMs = 3_000;

/** The Socket Mode side of the fake: tickets from `apps.connections.open` and the WebSocket server at `/link/`. */
export function createSocketServer(deps: {
  server: Server;
  clock: FakeClock;
  ids: IdFactory;
  appId: string;
}) {
  const wss = new WebSocketServer({ noServer: true });
  const tickets = new Map<string, { used: boolean }>();
  const open: WebSocket[] = [];
  const waiting = new Map<string, (payload: Record<string, unknown>) => void>();
  const log: EnvelopeRecord[] = [];
  let turn = 0;

  deps.server.on("upgrade", (request, socket, head) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const ticket = tickets.get(url.searchParams.get("ticket") ?? "");
    // A ticket opens one connection; Slack's client always asks apps.connections.open for a new URL first.
    if (
      url.pathname !== "/link/" ||
      !ticket ||
      ticket.used ||
      url.searchParams.get("app_id") !== deps.appId
    ) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    ticket.used = true;
    wss.handleUpgrade(request, socket, head, (ws) => {
      open.push(ws);
      ws.on("error", () => ws.terminate());
      ws.on("close", () => {
        const index = open.indexOf(ws);
        if (index >= 0) open.splice(index, 1);
      });
      ws.on("message", (data, isBinary) => {
        if (isBinary) return;
        let message: { envelope_id?: unknown; payload?: unknown };
        try {
          message = JSON.parse(String(data)) as typeof message;
        } catch {
          return; // Slack ignores frames it cannot parse; so does the fake.
        }
        const resolve =
          typeof message.envelope_id === "string" ? waiting.get(message.envelope_id) : undefined;
        resolve?.((message.payload ?? {}) as Record<string, unknown>);
      });
      ws.send(
        JSON.stringify({
          type: "hello",
          num_connections: open.length,
          debug_info: { host: "applink-fake", build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: deps.appId },
        }),
      );
    });
  });

  return {
    /** A fresh single-use WebSocket URL, what `apps.connections.open` returns. */
    issueUrl(origin: string): string {
      const ticket = deps.ids.secret(16);
      tickets.set(ticket, { used: false });
      return `${origin.replace(/^http/, "ws")}/link/?ticket=${ticket}&app_id=${deps.appId}`;
    },
    connected: () => open.length,
    log: (): readonly EnvelopeRecord[] => log,
    /** Pushes an envelope to one open connection (round robin) and waits for its ack. */
    async send(envelope: Envelope, timeoutMs = socketAckTimeoutMs): Promise<SocketAck> {
      const ws = open[turn++ % Math.max(open.length, 1)];
      if (!ws) throw new Error("fake slack: no Socket Mode connection is open");
      const envelopeId = randomUUID();
      const sent = {
        envelope_id: envelopeId,
        payload: envelope.payload,
        type: envelope.type,
        accepts_response_payload: envelope.acceptsResponsePayload ?? envelope.type === "slash_commands",
        ...(envelope.type === "events_api" && {
          retry_attempt: envelope.retryAttempt ?? 0,
          retry_reason: envelope.retryReason ?? "",
        }),
      };
      const record: EnvelopeRecord = {
        envelopeId,
        type: envelope.type,
        sent,
        sentAt: deps.clock.now(),
        acked: false,
        payload: undefined,
      };
      log.push(record);
      const ack = new Promise<Record<string, unknown> | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        waiting.set(envelopeId, (payload) => {
          clearTimeout(timer);
          resolve(payload);
        });
      });
      ws.send(JSON.stringify(sent));
      const payload = await ack;
      waiting.delete(envelopeId);
      Object.assign(record, { acked: payload !== undefined, payload });
      return { envelopeId, acked: payload !== undefined, payload };
    },
    /** Sends `{"type":"disconnect","reason"}` to every connection; Slack's client then reconnects. */
    requestDisconnect(reason: string): void {
      for (const ws of open)
        ws.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "applink-fake" } }));
    },
    /** Terminates every connection and stops accepting new ones. */
    close(): Promise<void> {
      for (const ws of [...open]) ws.terminate();
      tickets.clear();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}

/** The Socket Mode server. */
export type SocketServer = ReturnType<typeof createSocketServer>;
