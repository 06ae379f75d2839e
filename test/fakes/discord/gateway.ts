import type { IncomingMessage } from "node:http";
import { WebSocket } from "ws";
import type { FakeClock } from "../clock.ts";
import { checkIdentify } from "./identify-check.ts";
import type { Json } from "./shapes.ts";
import type { IdFactory } from "./snowflake.ts";

/** One gateway frame, as the fake sent or received it. */
export interface GatewayFrame {
  direction: "in" | "out";
  op: number;
  t: string | null;
  s: number | null;
  at: number;
  sessionId: string | null;
}

/** A session's public state. */
export interface GatewaySessionInfo {
  id: string;
  intents: number;
  seq: number;
  connected: boolean;
}

/** The fake gateway: Hello, Identify, heartbeats, dispatches with sequence numbers, Resume and close codes. */
export interface FakeGateway {
  /** Takes over a WebSocket the HTTP server accepted. */
  accept(socket: WebSocket, request: IncomingMessage): void;
  /** Sends an event to every session; `build` gets the session's intents and returns null to skip it. */
  dispatch(event: string, build: (intents: number) => Json | null): void;
  sessions(): GatewaySessionInfo[];
  /** Closes every connection with `code`; sessions stay resumable, missed dispatches are replayed on Resume. */
  disconnect(code: number): void;
  /** Sends op 9 Invalid Session; `resumable: false` forgets the sessions. */
  invalidateSession(resumable: boolean): void;
  /** Sends op 7 Reconnect, after which the client resumes. */
  requestReconnect(): void;
  frames(): readonly GatewayFrame[];
  /** Terminates every connection. */
  close(): void;
}

interface Connection {
  session: Session | null;
  /** Set when the fake closes the socket, so the close is not mistaken for the client ending its session. */
  closedByFake: boolean;
}

interface Session {
  id: string;
  intents: number;
  seq: number;
  socket: WebSocket | null;
  /** Dispatches sent, kept for replay on Resume. */
  sent: { s: number; frame: string }[];
}

const replayLimit = 1_000;
// Closes after which Discord does not let the session resume.
const sessionEndingCodes = new Set([1000, 1001, 4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014]);

/** Creates the gateway for one fake; `ready` and `guildCreates` build the login dispatches. */
export function createFakeGateway(deps: {
  clock: FakeClock;
  ids: IdFactory;
  botToken: string;
  heartbeatIntervalMs: number;
  /** Privileged intents the application has not switched on: asking for them closes with 4014. */
  refusedIntents: number;
  ready: (sessionId: string) => Json;
  guildCreates: () => Json[];
  membersChunk: (guildId: string, userIds: string[] | null) => Json | null;
  problem: (text: string) => void;
}): FakeGateway {
  const sessions = new Map<string, Session>();
  const connections = new Map<WebSocket, Connection>();
  const frames: GatewayFrame[] = [];

  const log = (direction: GatewayFrame["direction"], payload: Json, session: Session | null) => {
    frames.push({
      direction,
      op: Number(payload.op),
      t: typeof payload.t === "string" ? payload.t : null,
      s: typeof payload.s === "number" ? payload.s : null,
      at: deps.clock.now(),
      sessionId: session?.id ?? null,
    });
  };
  const send = (socket: WebSocket, payload: Json, session: Session | null) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    log("out", payload, session);
    socket.send(JSON.stringify(payload));
  };
  const dispatchTo = (session: Session, t: string, d: Json) => {
    session.seq += 1;
    const payload = { op: 0, t, s: session.seq, d };
    session.sent.push({ s: session.seq, frame: JSON.stringify(payload) });
    if (session.sent.length > replayLimit) session.sent.shift();
    if (session.socket) send(session.socket, payload, session);
    else log("out", { ...payload, t: `${t} (buffered)` }, session);
  };
  const closeWith = (socket: WebSocket, code: number, reason: string): null => {
    const connection = connections.get(socket);
    if (connection) connection.closedByFake = true;
    if (socket.readyState === WebSocket.OPEN) socket.close(code, reason);
    return null;
  };

  const identify = (socket: WebSocket, d: Json): Session | null => {
    const check = checkIdentify(d, deps.botToken, deps.refusedIntents);
    if (!check.ok) return closeWith(socket, check.code, check.reason);
    const { intents } = check;
    const session: Session = {
      id: `sess-${deps.ids.token("session").slice(-24)}`,
      intents,
      seq: 0,
      socket,
      sent: [],
    };
    sessions.set(session.id, session);
    dispatchTo(session, "READY", deps.ready(session.id));
    for (const guild of deps.guildCreates()) dispatchTo(session, "GUILD_CREATE", guild);
    return session;
  };

  const resume = (socket: WebSocket, d: Json): Session | null => {
    if (d.token !== deps.botToken) return closeWith(socket, 4004, "Authentication failed.");
    const session = typeof d.session_id === "string" ? sessions.get(d.session_id) : undefined;
    if (!session || typeof d.seq !== "number") {
      send(socket, { op: 9, d: false, s: null, t: null }, null);
      return null;
    }
    if (session.socket && session.socket !== socket)
      closeWith(session.socket, 4000, "Session resumed elsewhere");
    session.socket = socket;
    for (const { s, frame } of session.sent) {
      if (s <= d.seq) continue;
      const payload = JSON.parse(frame) as Json;
      send(socket, payload, session);
    }
    dispatchTo(session, "RESUMED", {});
    return session;
  };

  return {
    accept(socket, request) {
      const connection: Connection = { session: null, closedByFake: false };
      connections.set(socket, connection);
      const url = new URL(request.url ?? "/", "ws://fake");
      const fail = (code: number, reason: string) => {
        closeWith(socket, code, reason);
      };
      socket.on("close", (code) => {
        connections.delete(socket);
        const session = connection.session;
        if (!session || session.socket !== socket) return;
        session.socket = null;
        // A client that closes with 1000/1001 ends its session, as on Discord; other closes keep it resumable.
        if (!connection.closedByFake && sessionEndingCodes.has(code)) sessions.delete(session.id);
      });
      if (url.searchParams.has("compress")) {
        // zlib-sync got installed: fail loudly with an unrecoverable code instead of a resume loop (contract §1.3).
        deps.problem(
          `gateway: client asked for compress=${url.searchParams.get("compress")}; the fake speaks plain JSON`,
        );
        return fail(4012, "compression is not supported by the fake");
      }
      if (url.searchParams.get("v") !== "10" || url.searchParams.get("encoding") !== "json") {
        deps.problem(`gateway: unexpected query ${url.search}`);
        return fail(4012, "Invalid API version.");
      }
      send(socket, { op: 10, d: { heartbeat_interval: deps.heartbeatIntervalMs }, s: null, t: null }, null);
      socket.on("message", (data, isBinary) => {
        let payload: Json;
        try {
          if (isBinary) throw new Error("binary frame");
          payload = JSON.parse(data.toString()) as Json;
        } catch {
          return fail(4002, "Error while decoding payload.");
        }
        const session = connection.session;
        log("in", payload, session);
        const d = (typeof payload.d === "object" && payload.d !== null ? payload.d : {}) as Json;
        switch (payload.op) {
          case 1:
            return send(socket, { op: 11, s: null, t: null, d: null }, session);
          case 2:
            if (session) return fail(4005, "Already authenticated.");
            connection.session = identify(socket, d);
            return;
          case 6:
            if (session) return fail(4005, "Already authenticated.");
            connection.session = resume(socket, d);
            return;
          case 3:
          case 4:
            if (!session) return fail(4003, "Not authenticated.");
            return;
          case 8: {
            if (!session) return fail(4003, "Not authenticated.");
            const guildId = String(d.guild_id ?? "");
            const userIds = Array.isArray(d.user_ids) ? d.user_ids.map(String) : null;
            const chunk = deps.membersChunk(guildId, userIds);
            if (chunk) dispatchTo(session, "GUILD_MEMBERS_CHUNK", { ...chunk, nonce: d.nonce });
            return;
          }
          default:
            return fail(4001, "Unknown opcode.");
        }
      });
    },
    dispatch(event, build) {
      for (const session of sessions.values()) {
        const d = build(session.intents);
        if (d) dispatchTo(session, event, d);
      }
    },
    sessions: () =>
      [...sessions.values()].map((s) => ({
        id: s.id,
        intents: s.intents,
        seq: s.seq,
        connected: s.socket !== null,
      })),
    disconnect(code) {
      for (const session of sessions.values()) {
        const socket = session.socket;
        session.socket = null;
        if (socket) closeWith(socket, code, "Disconnected by the test");
        if (sessionEndingCodes.has(code)) sessions.delete(session.id);
      }
    },
    invalidateSession(resumable) {
      for (const [socket, connection] of connections) {
        const session = connection.session;
        if (!session) continue;
        send(socket, { op: 9, d: resumable, s: null, t: null }, session);
        // The client answers on this socket with Resume (d: true) or closes and identifies anew (d: false).
        connection.session = null;
        session.socket = null;
        if (!resumable) sessions.delete(session.id);
      }
    },
    requestReconnect() {
      for (const session of sessions.values()) {
        if (session.socket) send(session.socket, { op: 7, d: null, s: null, t: null }, session);
      }
    },
    frames: () => frames,
    close() {
      for (const socket of connections.keys()) socket.terminate();
      connections.clear();
      sessions.clear();
    },
  };
}
