import { AppError, type ConsoleReplyTarget, type ReplyTarget } from "@replibot/core";
import type { ChatPlatform, OutgoingMessage } from "../chat-platform.ts";
import type { Budget } from "../governor/edit-governor.ts";
import { type ConsoleFileRef, type ConsoleStore, newConsoleMessageId } from "./console-store.ts";

/**
 * The longest console message, as on Discord: the playground shows what a Discord member would see,
 * a long answer continuing in a second message included.
 */
export const CONSOLE_MESSAGE_LIMIT = 2_000;

/**
 * Writes to one conversation: as many as one Discord interaction token takes (about 5 per 2 s), so
 * a streamed answer is edited at the pace members see on a chat platform, and one busy visitor
 * cannot flood Redis and every open page.
 */
export const consoleLimits = {
  perConversation: { limit: 5, windowMs: 2_000 },
};

/** The budget of a conversation's writes. */
export function consoleBudgets(conversationId: string): Budget[] {
  return [{ key: `console-conversation-${conversationId}`, ...consoleLimits.perConversation }];
}

function consoleTarget(target: ReplyTarget): ConsoleReplyTarget {
  if (target.platform !== "console")
    throw new AppError("internal", `not a console target: ${target.platform}`);
  return target;
}

/**
 * The console's playground as a chat platform: the worker writes a job's messages into the
 * conversation's store in Redis, and each console process pushes them to the visitor's page. A
 * reply under a voice note stays in its thread, continuations included.
 */
export function createConsolePlatform(options: { store: ConsoleStore }): ChatPlatform {
  const { store } = options;

  async function files(
    conversationId: string,
    messageId: string,
    message: OutgoingMessage,
  ): Promise<ConsoleFileRef[]> {
    return Promise.all(
      (message.files ?? []).map((file, index) =>
        store.putFile(
          { name: file.name, contentType: file.contentType, data: Buffer.from(file.data) },
          `${conversationId}\u0000${messageId}\u0000${index}`,
        ),
      ),
    );
  }

  async function write(
    conversationId: string,
    messageId: string,
    message: OutgoingMessage,
    parentId: string | undefined,
  ): Promise<void> {
    await store.write(conversationId, {
      id: messageId,
      author: "bot",
      text: message.text,
      buttons: message.buttons ?? [],
      files: await files(conversationId, messageId, message),
      ...(parentId ? { parentId } : {}),
    });
  }

  return {
    platform: "console",
    messageLimit: CONSOLE_MESSAGE_LIMIT,
    budgets(anyTarget) {
      return consoleBudgets(consoleTarget(anyTarget).conversationId);
    },
    async edit(anyTarget, slot, message) {
      const target = consoleTarget(anyTarget);
      const messageId = slot.kind === "reply" ? target.messageId : slot.messageId;
      await write(target.conversationId, messageId, message, target.parentMessageId);
      return target;
    },
    async createContinuation(anyTarget, message) {
      const target = consoleTarget(anyTarget);
      const id = newConsoleMessageId();
      await write(target.conversationId, id, message, target.parentMessageId);
      return id;
    },
    async post({ channelId }, message) {
      const id = newConsoleMessageId();
      await write(channelId, id, message, undefined);
      return id;
    },
  };
}
