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
