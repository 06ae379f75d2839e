import { createHash, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { ChatButton } from "../chat-platform.ts";

/** How long a playground conversation, its messages and its files live after their last write. */
export const CONSOLE_MESSAGE_TTL_MS = 24 * 60 * 60_000;
/** The most messages one conversation keeps; older ones drop off the top. */
export const CONSOLE_CONVERSATION_MAX = 200;

/** A file of a console message, by the unguessable id the console serves it under. */
export interface ConsoleFileRef {
  id: string;
  name: string;
  contentType: string;
}

/** One message of a playground conversation as the page shows it: its whole current state. */
export interface ConsoleMessage {
  id: string;
  /** Rises with every write of this message; the page keeps the highest it has seen. */
  version: number;
  author: "bot" | "visitor";
  text: string;
  buttons: ChatButton[];
  files: ConsoleFileRef[];
  /** The message this one is a threaded reply under. */
  parentId?: string;
  /** When this state was written (ms). */
  at: number;
}

/** What a write says about a message; the store adds `version` and `at`. */
export type ConsoleMessageWrite = Omit<ConsoleMessage, "version" | "at">;

/** One change, as published to the console processes. */
export interface ConsoleEvent {
  conversationId: string;
  message: ConsoleMessage;
}

/** A stored file with its bytes. */
export interface ConsoleFile extends ConsoleFileRef {
  data: Buffer;
}

/** Options for {@link createConsoleStore}. */
export interface ConsoleStoreOptions {
  redis: Redis;
  /** The deployment's key prefix (QUEUE_PREFIX, a hash tag), so every key of a write is in one slot. */
  prefix: string;
  ttlMs?: number;
}

/**
 * Playground conversations in Redis, written by the worker (the bot's messages) and the console
 * (the visitor's): each message's current state, the conversation's order, files apart, all with a
 * TTL, and a PUBLISH on the deployment's channel on every write so each console pushes it to the page.
 */
export interface ConsoleStore {
  /** The pub/sub channel every write is announced on. */
  readonly channel: string;
  /** Writes a message's whole state (appending it to the conversation when new) and announces it. */
  write(conversationId: string, message: ConsoleMessageWrite): Promise<ConsoleMessage>;
  /** The conversation's messages, oldest first. */
  read(conversationId: string): Promise<ConsoleMessage[]>;
  /** Stores a file under a new unguessable id; `dedupeKey` returns the same id for the same file. */
  putFile(file: Omit<ConsoleFile, "id">, dedupeKey?: string): Promise<ConsoleFileRef>;
  getFile(id: string): Promise<ConsoleFile | undefined>;
  /** Parses a message received on {@link ConsoleStore.channel}. */
  parseEvent(raw: string): ConsoleEvent | undefined;
}

/** A new message id: short, unique, and safe in keys and URLs. */
export function newConsoleMessageId(): string {
  return `m${Date.now().toString(36)}${randomBytes(6).toString("hex")}`;
}

/** A new file id: 128 random bits, so a file's URL is its only key. */
function newFileId(): string {
  return randomBytes(16).toString("base64url");
}

// Version, state, order and announcement in one step, so no reader sees one without the other.
// The JSON is assembled as text: cjson would turn an empty array into an object.
const writeScript = `
local version = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
local json = '{"version":' .. version .. ',' .. string.sub(ARGV[2], 2)
redis.call('SET', KEYS[1], json, 'PX', ARGV[3])
if version == 1 then
  redis.call('RPUSH', KEYS[3], ARGV[1])
  redis.call('LTRIM', KEYS[3], -tonumber(ARGV[6]), -1)
end
redis.call('PEXPIRE', KEYS[3], ARGV[3])
redis.call('PUBLISH', ARGV[4], '{"conversationId":' .. ARGV[5] .. ',"message":' .. json .. '}')
return json
`;

const FILE_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** A playground conversation store over one Redis connection. */
export function createConsoleStore(options: ConsoleStoreOptions): ConsoleStore {
  const { redis, prefix } = options;
  const ttlMs = options.ttlMs ?? CONSOLE_MESSAGE_TTL_MS;
  const base = `${prefix}:console`;
  const listKey = (conversationId: string) => `${base}:conv:${conversationId}`;
  const messageKey = (conversationId: string, id: string) => `${base}:msg:${conversationId}:${id}`;
  const channel = `${base}:events`;

  return {
    channel,
    async write(conversationId, message) {
      const body: Omit<ConsoleMessage, "version"> = {
        id: message.id,
        author: message.author,
        text: message.text,
        buttons: message.buttons,
        files: message.files,
        ...(message.parentId ? { parentId: message.parentId } : {}),
        at: Date.now(),
      };
      const key = messageKey(conversationId, message.id);
      const json = (await redis.eval(
        writeScript,
        3,
        key,
        `${key}:v`,
        listKey(conversationId),
        message.id,
        JSON.stringify(body),
        ttlMs,
        channel,
        JSON.stringify(conversationId),
        CONSOLE_CONVERSATION_MAX,
      )) as string;
      return JSON.parse(json) as ConsoleMessage;
    },
    async read(conversationId) {
      const ids = await redis.lrange(listKey(conversationId), 0, -1);
      if (ids.length === 0) return [];
      const values = await redis.mget(...ids.map((id) => messageKey(conversationId, id)));
      return values.flatMap((value) => (value ? [JSON.parse(value) as ConsoleMessage] : []));
    },
    async putFile(file, dedupeKey) {
      let id = newFileId();
      if (dedupeKey) {
        // The same image written again (a retried final write) keeps its URL and is stored once.
        const digest = createHash("sha256").update(dedupeKey).update(file.data).digest("hex").slice(0, 32);
        const refKey = `${base}:fileref:${digest}`;
        const set = await redis.set(refKey, id, "PX", ttlMs, "NX");
        if (set !== "OK") id = (await redis.get(refKey)) ?? id;
      }
      const key = `${base}:file:${id}`;
      await redis
        .multi()
        .hset(key, { data: file.data, name: file.name, type: file.contentType })
        .pexpire(key, ttlMs)
        .exec();
      return { id, name: file.name, contentType: file.contentType };
    },
    async getFile(id) {
      if (!FILE_ID.test(id)) return undefined;
      const fields = await redis.hgetallBuffer(`${base}:file:${id}`);
      if (!fields.data) return undefined;
      return {
        id,
        data: fields.data,
        name: fields.name?.toString("utf8") ?? "file",
        contentType: fields.type?.toString("utf8") ?? "application/octet-stream",
      };
    },
    parseEvent(raw) {
      try {
        const event = JSON.parse(raw) as ConsoleEvent;
        return typeof event.conversationId === "string" && typeof event.message?.id === "string"
          ? event
          : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
