import { getJob } from "@replibot/db";
import { makeOggOpus } from "@replibot/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

// Without DISCORD_MESSAGE_CONTENT the bot never sees members' attachments (the fake blanks them,
// as Discord does), so only the Transcribe menu can start a transcription.
let stack: DiscordStack;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "tr-d-ni", messageContent: false });
});
afterAll(async () => {
  await stack?.close();
});

function transcribeStatus(subcommand: "on" | "status") {
  const boss = stack.fake.addMember(stack.guildId, { username: "boss", permissions: ["ManageGuild"] });
  const { interactionId } = stack.fake.slashCommand({
    guildId: stack.guildId,
    channelId: stack.channelId,
    userId: boss,
    name: "transcribe",
    subcommand,
  });
  return eventually(() => stack.fake.interactionResponse(interactionId)?.original?.content || undefined);
}

describe("voice notes on Discord without the Message Content intent", () => {
  it("/transcribe status says why automatic mode is off and how to turn it on", async () => {
    await transcribeStatus("on");
    const status = await transcribeStatus("status");
    expect(status).toContain("transcribed automatically");
    expect(status).toContain("without Discord's Message Content intent");
    expect(status).toContain("Privileged Gateway Intents");
    expect(status).toContain("100 or more servers need Discord's approval");
  });

  it("a voice note is not seen, but the Transcribe menu on it still works", async () => {
    const note = stack.fake.postUserMessage({
      channelId: stack.channelId,
      userId: stack.member("nia"),
      flags: 1 << 13,
      attachments: [
        {
          bytes: makeOggOpus({ durationSeconds: 2, transcript: "Heard through the menu." }),
          filename: "voice-message.ogg",
          contentType: "audio/ogg",
          durationSecs: 2,
        },
      ],
    });
    const menu = stack.fake.messageContextMenu({
      messageId: note.id,
      name: "Transcribe",
      userId: stack.member("nia"),
    });
    const job = await stack.finished(`discord-${menu.interactionId}`);
    const message = stack.fake.message((job.replyTarget as { messageId: string }).messageId)!;
    expect(message.channelId).toBe(note.id);
    expect(message.content.split("\n\n")[0]).toBe("Heard through the menu.");
    // The automatic path never started a job for the message itself.
    expect(await getJob(stack.database.db, `discord-${note.id}`)).toBeUndefined();
  });
});
