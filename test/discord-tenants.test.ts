import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

let stack: DiscordStack;
beforeAll(async () => {
  // Only some other server is allowed: this one must be refused.
  stack = await startDiscordStack({ label: "allow", allowedTenants: ["111111111111111111"] });
});
afterAll(async () => {
  await stack?.close();
});

describe("ALLOWED_TENANTS", () => {
  it("refuses a server that is not listed, privately and with no job", async () => {
    const { interactionId } = stack.ask("ana", "hello");
    const reply = await eventually(
      () => stack.fake.interactionResponse(interactionId)?.original ?? undefined,
    );
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(
      "Replibot is not enabled for this server. Ask the person who runs it to allow it.",
    );
    const [count] = await stack.database.sql`select count(*)::int as n from jobs`;
    expect(count!.n).toBe(0);
  });
});

describe("a member's daily limit", () => {
  it("refuses a member over the daily limit with the daily wording", async () => {
    const other = await startDiscordStack({ label: "daily", emulator: { tokensPerSecond: 500 } });
    try {
      const boss = other.fake.addMember(other.guildId, { username: "boss", permissions: ["ManageGuild"] });
      const member = other.member("thrifty");
      const { interactionId: set } = other.fake.slashCommand({
        guildId: other.guildId,
        channelId: other.channelId,
        userId: boss,
        name: "spend-limit",
        subcommand: "user",
        options: { member, amount: 0.001 },
      });
      await eventually(() => other.fake.interactionResponse(set)?.original ?? undefined);
      const job = await other.finished(other.ask("thrifty", "Am I over budget?").interactionId);
      expect(job.status).toBe("refused");
      expect(other.fake.interactionResponse(`${job.id.slice("discord-".length)}`)!.original!.content).toBe(
        "You have reached your daily spend limit of $0.001 here (it resets at midnight UTC).",
      );
    } finally {
      await other.close();
    }
  });
});

describe("messages to the bot", () => {
  it("without DM_TENANT a direct message gets a polite refusal and no job", async () => {
    const other = await startDiscordStack({ label: "nodm", messageContent: true });
    try {
      const user = other.member("dot");
      const dm = other.fake.addDmChannel(user);
      other.fake.postUserMessage({ channelId: dm, userId: user, content: "hello there" });
      const refusal = await eventually(() =>
        other.fake.messages(dm).find((m) => m.author.id === other.fake.applicationId || m.author.bot),
      );
      expect(refusal.content).toBe(
        "I only answer in servers here. Ask me with `/ask` in a server channel instead.",
      );
      const [count] = await other.database.sql`select count(*)::int as n from jobs`;
      expect(count!.n).toBe(0);
    } finally {
      await other.close();
    }
  });

  it("without the Message Content intent a mention is not answered, and /replibot-settings says why", async () => {
    const other = await startDiscordStack({ label: "nointent", messageContent: false });
    try {
      other.fake.postUserMessage({
        channelId: other.channelId,
        userId: other.member("eli"),
        content: `<@${other.fake.applicationId}> hello`,
      });
      const admin = other.fake.addMember(other.guildId, { username: "boss", permissions: ["ManageGuild"] });
      const { interactionId } = other.fake.slashCommand({
        guildId: other.guildId,
        channelId: other.channelId,
        userId: admin,
        name: "replibot-settings",
        subcommand: "memory",
        options: { turns: 5 },
      });
      const reply = await eventually(
        () => other.fake.interactionResponse(interactionId)?.original ?? undefined,
      );
      expect(reply.content).toContain(
        "without Discord's Message Content intent, so replies, mentions and DMs are not answered",
      );
      const [count] = await other.database.sql`select count(*)::int as n from jobs`;
      expect(count!.n).toBe(0);
      expect(other.fake.messages(other.channelId).filter((m) => m.author.bot && !m.ephemeral)).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
