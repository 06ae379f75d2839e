import {
  CONSOLE_MESSAGE_LIMIT,
  type ConsoleEvent,
  createConsolePlatform,
  createConsoleStore,
  createEditGovernor,
  createReplyWriter,
} from "@replibot/chat";
import type { ConsoleReplyTarget } from "@replibot/core";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./helpers/pipeline.ts";
import { createTestRedis, type TestRedis } from "./helpers/test-redis.ts";

let redis: TestRedis;
let connection: Redis;
let subscriber: Redis;
const events: ConsoleEvent[] = [];

beforeAll(async () => {
  redis = createTestRedis("console-platform");
  connection = redis.connect("worker");
  subscriber = redis.connect("worker");
  const store = createConsoleStore({ redis: connection, prefix: redis.prefix });
  await subscriber.subscribe(store.channel);
  subscriber.on("message", (_channel: string, raw: string) => {
    const event = store.parseEvent(raw);
    if (event) events.push(event);
  });
});

afterAll(async () => {
  await redis.cleanup();
});

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

describe("the console platform", () => {
  it("keeps each message's whole state in order, versioned, announced on every write", async () => {
    const store = createConsoleStore({ redis: connection, prefix: redis.prefix });
    const platform = createConsolePlatform({ store });
    const target: ConsoleReplyTarget = {
      platform: "console",
      conversationId: "c-order",
      messageId: "m-reply",
    };
    await store.write("c-order", { id: "m-q", author: "visitor", text: "/ask hi", buttons: [], files: [] });
    await platform.edit(
      target,
      { kind: "reply" },
      { text: "Thinking…", buttons: [{ id: "cancel:j", label: "Cancel", style: "danger" }] },
    );
    await platform.edit(target, { kind: "reply" }, { text: "Hello ▌" });
    const continuation = await platform.createContinuation(target, { text: "more" });
    await platform.edit(target, { kind: "reply" }, { text: "Hello there" });

    const messages = await store.read("c-order");
    expect(messages.map((m) => m.id)).toEqual(["m-q", "m-reply", continuation]);
    expect(messages[1]).toMatchObject({
      author: "bot",
      text: "Hello there",
      buttons: [],
      files: [],
      version: 3,
    });
    expect(messages[1]?.parentId).toBeUndefined();
    await eventually(() =>
      events.filter((e) => e.conversationId === "c-order").length === 5 ? true : undefined,
    );
    const versions = events.filter((e) => e.message.id === "m-reply").map((e) => e.message.version);
    expect(versions).toEqual([1, 2, 3]);
    expect(platform.messageLimit).toBe(CONSOLE_MESSAGE_LIMIT);
    expect(await connection.pttl(`${redis.prefix}:console:conv:c-order`)).toBeGreaterThan(0);
  });

  it("puts a threaded answer and its continuations under their parent, and stores a repeated image once", async () => {
    const store = createConsoleStore({ redis: connection, prefix: redis.prefix });
    const platform = createConsolePlatform({ store });
    const target: ConsoleReplyTarget = {
      platform: "console",
      conversationId: "c-thread",
      messageId: "m-transcript",
      parentMessageId: "m-voice",
    };
    const file = { name: "image.png", contentType: "image/png", data: png };
    await platform.edit(target, { kind: "reply" }, { text: "done", files: [file] });
    await platform.edit(target, { kind: "reply" }, { text: "done", files: [file] });
    const id = await platform.createContinuation(target, { text: "second part" });
    const [reply, continuation] = await store.read("c-thread");
    expect(reply?.parentId).toBe("m-voice");
    expect(continuation).toMatchObject({ id, parentId: "m-voice" });
    const fileId = reply?.files[0]?.id ?? "";
    expect(fileId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const stored = await store.getFile(fileId);
    expect(stored).toMatchObject({ name: "image.png", contentType: "image/png" });
    expect(new Uint8Array(stored?.data ?? [])).toEqual(png);
    const files = [];
    let cursor = "0";
    do {
      const [next, keys] = await connection.scan(
        cursor,
        "MATCH",
        `${redis.prefix}:console:file:*`,
        "COUNT",
        100,
      );
      cursor = next;
      files.push(...keys);
    } while (cursor !== "0");
    expect(files).toHaveLength(1);
    expect(await store.getFile("../../etc/passwd")).toBeUndefined();
  });

  it("orders interim and final writes through the governor: the final state wins", async () => {
    const store = createConsoleStore({ redis: connection, prefix: redis.prefix });
    const platform = createConsolePlatform({ store });
    const governor = createEditGovernor({ redis: connection, prefix: `${redis.prefix}:gov` });
    const target: ConsoleReplyTarget = { platform: "console", conversationId: "c-final", messageId: "m-a" };
    const writer = createReplyWriter({
      platform,
      governor,
      key: "job-final",
      state: { target, continuationIds: [] },
      persist: async () => {},
    });
    const interims = Array.from({ length: 20 }, (_, i) => writer.interim({ text: `part ${i}` }));
    await writer.final({ text: "the final answer" });
    await Promise.all(interims);
    const [message] = await store.read("c-final");
    expect(message?.text).toBe("the final answer");
    // The budget (5 per 2 s) let only some interim states through; the rest were dropped, as on Discord.
    expect(message?.version).toBeLessThanOrEqual(6);
  });
});
