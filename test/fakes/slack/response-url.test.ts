import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BoltTestApp, startBoltApp } from "./bolt-test-app.ts";
import { createFakeSlack, type FakeSlack } from "./index.ts";

describe("response_url posts from Bolt's respond()", () => {
  let fake: FakeSlack;
  let bolt: BoltTestApp;
  let lobby: string;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    fake = await createFakeSlack();
    // The bot is not a member: chat.postMessage would answer not_in_channel, response_url posts still land.
    lobby = fake.addChannel(fake.teamId, { name: "lobby", botIsMember: false });
    alice = fake.addUser(fake.teamId, { name: "alice" });
    bob = fake.addUser(fake.teamId, { name: "bob" });
    bolt = await startBoltApp(fake, (app) => {
      app.command("/poll", async ({ ack, respond }) => {
        await ack();
        await respond({ response_type: "in_channel", text: "Poll: 0 votes" });
        await respond({ response_type: "in_channel", replace_original: true, text: "Poll: 1 vote" });
        await respond({ text: "only you see this" });
      });
    });
  });

  afterAll(async () => {
    await bolt?.stop();
    await fake?.close();
  });

  it("shows in_channel responses as the bot's message, edits them in place, and keeps ephemeral ones private", async () => {
    const answer = await fake.slashCommand({
      appUrl: bolt.url,
      teamId: fake.teamId,
      channelId: lobby,
      userId: alice,
      command: "/poll",
    });
    expect(answer.status).toBe(200);
    await fake.waitFor(() => fake.responseUrlPosts(answer.responseUrlId).length === 3);
    const [poll, ...rest] = fake.messages(lobby);
    expect(rest).toEqual([]);
    expect(poll).toMatchObject({ text: "Poll: 1 vote", user: fake.botUserId, botId: fake.botId });
    expect(poll?.edits.map((e) => e.text)).toEqual(["Poll: 0 votes"]);
    expect(fake.messages(lobby, { as: bob }).map((m) => m.text)).toEqual(["Poll: 1 vote"]);
    expect(fake.messages(lobby, { as: alice }).map((m) => [m.text, m.ephemeralTo])).toEqual([
      ["Poll: 1 vote", undefined],
      ["only you see this", alice],
    ]);
  });
});
