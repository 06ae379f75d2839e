import type { ReplyTarget } from "@replibot/core";
import type { ChatButton, ChatPlatform, MessageSlot, OutgoingMessage } from "./chat-platform.ts";
import type { EditGovernor } from "./governor/edit-governor.ts";
import { closeOpenFence, splitMessage } from "./split-message.ts";

/** Where a job's answer lives: its reply target and the continuation messages of a long answer. */
export interface ReplyState {
  target: ReplyTarget;
  continuationIds: string[];
}

/** Options for {@link createReplyWriter}. */
export interface ReplyWriterOptions {
  platform: ChatPlatform;
  governor: EditGovernor;
  /** Orders this job's writes across processes (the job id). */
  key: string;
  state: ReplyState;
  /** Stores a changed reply state (a learned message id, a new continuation) before the write ends. */
  persist(state: ReplyState): Promise<void>;
  /** Reads the stored reply state; the final write reloads it once interim writes elsewhere are done. */
  load?(): Promise<ReplyState>;
}

/** The outcome of one interim write attempt. */
export type InterimOutcome = "written" | "unchanged" | "busy" | "final";

/** Writes one job's answer: interim states when the budgets allow, and the final state always. */
export interface ReplyWriter {
  /**
   * Writes the most useful part of an interim state if a slot is free now; never waits for one.
   * A streaming answer shows a cursor at its end; a status line (`cursor: false`) does not.
   */
  interim(
    message: OutgoingMessage,
    options?: { cursor?: boolean },
  ): Promise<{ outcome: InterimOutcome; retryInMs?: number }>;
  /** Writes the final state to every message; waits for interim writes in flight and for budget. */
  final(message: OutgoingMessage, signal?: AbortSignal): Promise<void>;
  state(): ReplyState;
}

const CURSOR = " ▌";

function slotOf(state: ReplyState, index: number): MessageSlot | undefined {
  if (index === 0) return { kind: "reply" };
  const id = state.continuationIds[index - 1];
  return id === undefined ? undefined : { kind: "continuation", messageId: id };
}

/** A reply writer for one job. */
export function createReplyWriter(options: ReplyWriterOptions): ReplyWriter {
  const { platform, governor, key } = options;
  let state: ReplyState = {
    target: options.state.target,
    continuationIds: [...options.state.continuationIds],
  };
  const shown: string[] = [];
  const limit = () => platform.messageLimitFor?.(state.target) ?? platform.messageLimit;

  function interimMessages(message: OutgoingMessage, cursor: string): OutgoingMessage[] {
    const pieces = splitMessage(message.text, limit() - CURSOR.length - 4);
    return pieces.map((text, i) =>
      i === pieces.length - 1
        ? { text: closeOpenFence(`${text}${cursor}`), buttons: message.buttons }
        : { text, buttons: [] as ChatButton[] },
    );
  }

  async function write(index: number, message: OutgoingMessage): Promise<void> {
    const slot = slotOf(state, index);
    if (slot) {
      const target = await platform.edit(state.target, slot, message);
      if (target !== state.target) {
        state = { ...state, target };
        await options.persist(state);
      }
    } else {
      const id = await platform.createContinuation(state.target, message);
      state = { ...state, continuationIds: [...state.continuationIds, id] };
      await options.persist(state);
    }
    shown[index] = message.text + JSON.stringify(message.buttons ?? []);
  }

  return {
    state: () => state,
    async interim(message, interimOptions = {}) {
      const messages = interimMessages(message, interimOptions.cursor === false ? "" : CURSOR);
      const index = messages.findIndex((m, i) => shown[i] !== m.text + JSON.stringify(m.buttons ?? []));
      if (index < 0) return { outcome: "unchanged" };
      const slot = await governor.beginInterim(
        key,
        platform.budgets(state.target, slotOf(state, index) ? "edit" : "create"),
      );
      if (!slot.ok) return { outcome: slot.reason, retryInMs: slot.retryInMs };
      try {
        await write(index, messages[index]!);
        return { outcome: "written" };
      } finally {
        await governor.endInterim(key, slot.seq);
      }
    },
    async final(message, signal) {
      const pieces = splitMessage(message.text, limit());
      await governor.beginFinal(key, platform.budgets(state.target, "edit"), signal);
      // Another process may have created continuations while it relayed the stream.
      if (options.load) state = await options.load();
      for (const [i, text] of pieces.entries()) {
        if (i > 0)
          await governor.acquire(
            platform.budgets(state.target, slotOf(state, i) ? "edit" : "create"),
            signal,
          );
        await write(i, {
          text,
          buttons: i === pieces.length - 1 ? message.buttons : [],
          files: i === 0 ? message.files : undefined,
        });
      }
    },
  };
}
