import { type Client, Events, GatewayIntentBits, type Message, MessageFlags, REST, Routes } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from "./index.ts";
import { botIntents, loginClient, nextEvent } from "./test-client.ts";

let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  const problems = fake?.problems() ?? [];
  client = undefined;
  fake = undefined;
  expect(problems).toEqual([]);
});

// The 8-byte PNG signature, so the type is sniffed as image/png the way discord.js does it.
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

async function setup(options: FakeDiscordOptions = {}, intents = botIntents) {
  const f = await createFakeDiscord(options);
  fake = f;
  const { guildId, channelIds } = f.addGuild({
    channels: [
      { name: "general" },
      { name: "read-only", botDeny: ["SendMessages"] },
      { name: "hidden", botDeny: ["ViewChannel"] },
    ],
  });
  const userId = f.addMember(guildId, { username: "alice" });
  const c = await loginClient(f, { intents });
  client = c;
  const [general = "", readOnly = "", hidden = ""] = channelIds;
  return { f, c, guildId, userId, general, readOnly, hidden };
}

function sendable(c: Client, channelId: string) {
  const channel = c.channels.cache.get(channelId);
  if (!channel?.isSendable()) throw new Error(`channel ${channelId} is not sendable`);
  return channel;
}

describe("channel messages through the fake", () => {
  it("stores an attachment the bot uploads and serves its bytes from the CDN until the link expires", async () => {
    const { f, c, general } = await setup();
    const sent = await sendable(c, general).send({
      content: "here",
      files: [{ attachment: Buffer.from(png), name: "fox.png" }],
    });
    const [view] = f.messages(general);
    expect(view?.attachments).toHaveLength(1);
    const attachment = view?.attachments[0];
    expect(attachment).toMatchObject({ filename: "fox.png", contentType: "image/png", size: png.byteLength });
    expect(attachment?.bytes).toEqual(png);
    const url = sent.attachments.first()?.url ?? "";
    expect(url.startsWith(`${f.cdnOrigin}/attachments/${general}/`)).toBe(true);
    const download = await fetch(url);
    expect(download.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(png);
    expect((await fetch(url.split("?")[0] ?? "")).status).toBe(404);
    f.clock.advance(25 * 3_600_000);
    expect((await fetch(url)).status).toBe(404);
  });

  it("refuses posting where the bot lacks permissions: 50013 without Send Messages, 50001 without View Channel", async () => {
    const { c, readOnly, hidden, general } = await setup();
    await expect(sendable(c, readOnly).send("hi")).rejects.toMatchObject({ code: 50013, status: 403 });
    const rest = new REST({ api: fake?.apiUrl ?? "" }).setToken(fake?.botToken ?? "");
    await expect(
      rest.post(Routes.channelMessages(hidden), { body: { content: "hi" } }),
    ).rejects.toMatchObject({
      code: 50001,
      status: 403,
    });
    await expect(rest.post(Routes.channelMessages(general), { body: { content: "" } })).rejects.toMatchObject(
      { code: 50006 },
    );
    const noAuth = await fetch(`${fake?.apiUrl}/v10/channels/${general}/messages`, { method: "POST" });
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toEqual({ message: "401: Unauthorized", code: 0 });
  });

  it("delivers a user's voice message with its attachment when the bot has MessageContent", async () => {
    const { f, c, general, userId } = await setup();
    const arrived = nextEvent(c, Events.MessageCreate).then(([m]) => m);
    f.postUserMessage({
      channelId: general,
      userId,
      flags: MessageFlags.IsVoiceMessage,
      attachments: [
        {
          bytes: png,
          filename: "voice-message.ogg",
          contentType: "audio/ogg",
          durationSecs: 3.2,
          waveform: "AAAA",
        },
      ],
    });
    const message = await arrived;
    expect(message.flags.has(MessageFlags.IsVoiceMessage)).toBe(true);
    const attachment = message.attachments.first();
    expect(attachment).toMatchObject({ contentType: "audio/ogg", duration: 3.2, name: "voice-message.ogg" });
    expect(new Uint8Array(await (await fetch(attachment?.url ?? "")).arrayBuffer())).toEqual(png);
  });

  it("blanks content and attachments without MessageContent, except when the message mentions the bot", async () => {
    const withoutContent = botIntents.filter((i) => i !== GatewayIntentBits.MessageContent);
    const { f, c, general, userId } = await setup({}, withoutContent);
    const seen: Message[] = [];
    c.on(Events.MessageCreate, (m) => seen.push(m));
    f.postUserMessage({
      channelId: general,
      userId,
      content: "secret",
      attachments: [{ bytes: png, filename: "a.png", contentType: "image/png" }],
    });
    f.postUserMessage({ channelId: general, userId, content: `<@${f.applicationId}> hello bot` });
    await f.waitFor(() => seen.length === 2);
    expect(seen[0]?.content).toBe("");
    expect(seen[0]?.attachments.size).toBe(0);
    expect(seen[1]?.content).toBe(`<@${f.applicationId}> hello bot`);
    expect(f.messages(general)[0]?.content).toBe("secret");
  });

  it("delivers a DM to the bot and lets it answer there", async () => {
    const { f, c, userId } = await setup();
    const dmId = f.addDmChannel(userId);
    const arrived = nextEvent(c, Events.MessageCreate).then(([m]) => m);
    f.postUserMessage({ channelId: dmId, userId, content: "hello in private" });
    const message = await arrived;
    expect(message.channel.isDMBased()).toBe(true);
    expect(message.content).toBe("hello in private");
    await message.reply("hello back");
    expect(f.messages(dmId).map((m) => [m.content, m.type, m.referencedMessageId])).toEqual([
      ["hello in private", 0, null],
      ["hello back", 19, message.id],
    ]);
  });

  it("starts a thread from a message and posts in it", async () => {
    const { f, c, general } = await setup();
    const starter = await sendable(c, general).send("answer follows in the thread");
    const thread = await starter.startThread({ name: "ask: a red fox" });
    expect(thread.id).toBe(starter.id);
    expect(thread.parentId).toBe(general);
    await thread.send("the answer");
    expect(f.messages(thread.id).map((m) => m.content)).toEqual(["the answer"]);
    expect(f.message(starter.id)?.threadId).toBe(thread.id);
    await expect(starter.startThread({ name: "again" })).rejects.toMatchObject({ code: 160004 });
  });
});
