import type { FakeClock } from "../clock.ts";
import type { FakeCdn } from "./cdn.ts";
import type { FakeGateway } from "./gateway.ts";
import type { MessageLimits } from "./message-payload.ts";
import type { MessageWriter } from "./message-writer.ts";
import type { IdFactory } from "./snowflake.ts";
import type { FakeState } from "./state.ts";

/** Interaction deadlines, on the fake clock. */
export interface InteractionTimings {
  /** The first callback must come within this (Discord: 3 s), or 10062. */
  callbackDeadlineMs: number;
  /** The token works this long for edits and follow-ups (Discord: 15 min), then 50027. */
  tokenLifetimeMs: number;
}

/** What the REST route factories need. */
export interface RouteDeps {
  state: FakeState;
  clock: FakeClock;
  ids: IdFactory;
  cdn: FakeCdn;
  gateway: FakeGateway;
  writer: MessageWriter;
  limits: MessageLimits;
  timings: InteractionTimings;
  /** `ws://127.0.0.1:PORT`, for GET /gateway/bot. */
  wsOrigin: string;
  /** Privileged intents the application has not switched on. */
  refusedIntents: number;
}
