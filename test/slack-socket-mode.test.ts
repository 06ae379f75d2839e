import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackStack, startSlackStack } from "./helpers/slack-stack.ts";

let stack: SlackStack;
beforeAll(async () => {
  stack = await startSlackStack({
    label: "slack-socket",
    socketMode: true,
    emulator: { tokensPerSecond: 100 },
  });
});
afterAll(async () => {
  await stack?.close();
});

describe("Slack in Socket Mode (SLACK_APP_TOKEN)", () => {
  it("needs no public address: commands arrive over the socket, are acked, and answered in the channel", async () => {
    expect(stack.appUrl).toBe("");
    expect(stack.fake.socket.connected()).toBe(1);
    const ack = await stack.fake.socket.slashCommand({
      teamId: stack.teamId,
      channelId: stack.channelId,
      userId: stack.member("sam"),
      command: "/ask",
      text: "Repeat exactly 4 times:\nOver the socket. ",
    });
    expect(ack.acked).toBe(true);
    const job = await stack.finished(`slack-${ack.triggerId}`);
    expect(job.status).toBe("succeeded");
    expect((await stack.replyOf(job.id)).text).toContain("Over the socket.Over the socket.");
  });

  it("refuses bad input in the ack, as over HTTP", async () => {
    const ack = await stack.fake.socket.slashCommand({
      teamId: stack.teamId,
      channelId: stack.channelId,
      userId: stack.member("sam"),
      command: "/imagine",
      text: "   ",
    });
    expect(ack.payload).toEqual({
      response_type: "ephemeral",
      text: expect.stringContaining("Your prompt is empty"),
    });
  });
});
