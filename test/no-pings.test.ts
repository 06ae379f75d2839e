import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";
import { type SlackStack, startSlackStack } from "./helpers/slack-stack.ts";

let discord: DiscordStack;
let slack: SlackStack;
beforeAll(async () => {
  discord = await startDiscordStack({ label: "no-pings-d", emulator: { tokensPerSecond: 150 } });
  slack = await startSlackStack({ label: "no-pings-s", emulator: { tokensPerSecond: 150 } });
});
afterAll(async () => {
  await slack?.close();
  await discord?.close();
});

/** Discord routes that write a message, with where the message sits in the body. */
const discordWrites: { route: RegExp; message: (body: Record<string, unknown>) => unknown }[] = [
  { route: /^\/channels\/:channel_id\/messages(\/:message_id)?$/, message: (body) => body },
  { route: /^\/webhooks\/:application_id\/:token(\/messages\/.+)?$/, message: (body) => body },
  { route: /^\/interactions\/:interaction_id\/:interaction_token\/callback$/, message: (body) => body.data },
];

/** Whether a message body's `allowed_mentions` lets nothing ping: no parsed kinds, users, roles or reply ping. */
function allowsNoMentions(message: Record<string, unknown>): boolean {
  const allowed = message.allowed_mentions as Record<string, unknown[] | boolean | undefined> | undefined;
  if (!allowed || !Array.isArray(allowed.parse) || allowed.parse.length > 0) return false;
  const none = (list: unknown) => list === undefined || (Array.isArray(list) && list.length === 0);
  return none(allowed.users) && none(allowed.roles) && allowed.replied_user !== true;
}

describe("the bot never pings from model output", () => {
  it("on Discord: every message it sends or edits carries allowed_mentions that allow nothing", async () => {
    const victim = discord.member("victim");
    const role = discord.fake.addRole(discord.guildId, { name: "mods" });
    const ping = `@everyone @here <@${victim}> <@&${role}> <@123456789012345678> <@&456> ping!`;

    // Long enough to stream and to continue past 2,000 characters into a second message.
    const long = discord.ask("alice", `Repeat exactly 40 times:\n${ping}\n`);
    const job = await discord.finished(long.interactionId);
    expect(job.status).toBe("succeeded");
    expect(discord.fake.interactionResponse(long.interactionId)!.original!.content).toContain(ping);

    discord.emulator.control.failNextPredictions({ error: `the model says ${ping}` });
    expect((await discord.finished(discord.ask("bob", "Tell me a story").interactionId)).status).toBe(
      "failed",
    );

    // Past the 15-minute token the bot token writes to the channel itself.
    const late = discord.ask("carol", `Repeat exactly 30 times:\n${ping} `);
    await eventually(
      () =>
        (discord.fake.interactionResponse(late.interactionId)?.original?.content.length ?? 0) > 50 ||
        undefined,
    );
    discord.fake.clock.advance(15 * 60_000 + 1_000);
    expect((await discord.finished(late.interactionId)).status).toBe("succeeded");

    const sent = discord.fake.requests().flatMap((request) => {
      const write = discordWrites.find((w) => request.route && w.route.test(request.route));
      if (!write || !["POST", "PATCH"].includes(request.method)) return [];
      const message = write.message((request.body ?? {}) as Record<string, unknown>);
      if (typeof message !== "object" || message === null) return [];
      if (!("content" in message) && !("embeds" in message)) return [];
      return [{ where: `${request.method} ${request.route}`, message: message as Record<string, unknown> }];
    });
    const routes = new Set(sent.map((s) => s.where));
    expect(routes).toContain("PATCH /webhooks/:application_id/:token/messages/@original");
    expect(routes).toContain("PATCH /channels/:channel_id/messages/:message_id");
    expect([...routes].some((r) => r.startsWith("POST"))).toBe(true);
    expect(sent.filter((s) => !allowsNoMentions(s.message)).map((s) => s.where)).toEqual([]);
  });

  it("on Slack: every post, update and response_url answer shows the mentions escaped", async () => {
    const victim = slack.member("victim");
    const ping = `<!everyone> <!here> <!channel> <@${victim}> <!subteam^S0PINGME1|@team> ping!`;
    const escaped = "&lt;!everyone&gt; &lt;!here&gt; &lt;!channel&gt;";

    // Long enough to stream by chat.update and to continue past 3,900 characters in the thread.
    const long = await slack.command("ada", "/ask", `Repeat exactly 80 times:\n${ping}\n`);
    expect((await slack.finished(long.jobId)).status).toBe("succeeded");
    expect((await slack.replyOf(long.jobId)).text).toContain(escaped);

    slack.emulator.control.failNextPredictions({ error: `the model says ${ping}` });
    expect((await slack.finished((await slack.command("bea", "/ask", "Tell me a story")).jobId)).status).toBe(
      "failed",
    );

    const hidden = slack.fake.addChannel(slack.teamId, {
      name: "hidden",
      isPrivate: true,
      botIsMember: false,
      members: [slack.member("ada")],
    });
    const viaUrl = await slack.command("ada", "/ask", `Repeat exactly 5 times:\n${ping}\n`, hidden);
    expect((await slack.finished(viaUrl.jobId)).status).toBe("succeeded");

    const shown = ["chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"];
    const posts = slack.fake.requests().filter((r) => shown.includes(r.method));
    const methods = new Set(posts.map((p) => p.method));
    for (const method of ["chat.postMessage", "chat.update", "response_url"])
      expect(methods).toContain(method);
    const pings = ["<!everyone", "<!here", "<!channel", `<@${victim}`, "<!subteam^"];
    const pinging = posts.filter((post) => {
      const words = `${String(post.params.text ?? "")}\n${JSON.stringify(post.params.blocks ?? "")}`;
      return pings.some((p) => words.includes(p));
    });
    expect(pinging.map((p) => p.method)).toEqual([]);
    expect(posts.some((p) => JSON.stringify(p.params).includes("&lt;!subteam^S0PINGME1|@team&gt;"))).toBe(
      true,
    );
  });
});
