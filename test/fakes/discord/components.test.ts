import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  MessageFlags,
  ModalBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
} from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { type BotGuild, nextInteraction, startBotGuild } from "./bot-guild.ts";

let env: BotGuild | undefined;

afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function start(): Promise<BotGuild> {
  env = await startBotGuild();
  return env;
}

describe("components, modals and context menus through the fake", () => {
  it("delivers a button press as a ButtonInteraction and applies update() to the message", async () => {
    const { fake: f, client: c, channelId, memberId } = await start();
    let arrived = nextInteraction(c);
    f.slashCommand({ channelId, userId: memberId, name: "ask", options: { prompt: "x" } });
    const command = (await arrived) as ChatInputCommandInteraction;
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId("cancel:42").setLabel("Cancel").setStyle(ButtonStyle.Danger),
    );
    await command.reply({ content: "thinking…", components: [row] });
    const replyId = f.interactionResponse(command.id)?.original?.id ?? "";

    arrived = nextInteraction(c);
    const press = f.pressButton({ messageId: replyId, customId: "cancel:42", userId: memberId });
    const button = await arrived;
    if (!button.isButton()) throw new Error(`expected a button, got type ${button.type}`);
    expect(button.customId).toBe("cancel:42");
    expect(button.message.id).toBe(replyId);
    expect(button.user.id).toBe(memberId);
    await button.update({ content: "cancelled", components: [] });
    expect(f.message(replyId)).toMatchObject({ content: "cancelled", components: [], editCount: 1 });
    expect(f.interactionResponse(press.interactionId)).toMatchObject({
      callbackType: 7,
      original: { id: replyId },
    });
    expect(() => f.pressButton({ messageId: replyId, customId: "cancel:42", userId: memberId })).toThrow(
      /no component/,
    );
  });

  it("delivers a select-menu choice on an ephemeral reply, which only its user can use", async () => {
    const { fake: f, client: c, channelId, memberId, adminId } = await start();
    let arrived = nextInteraction(c);
    f.slashCommand({ channelId, userId: memberId, name: "ask", options: { prompt: "x" } });
    const command = (await arrived) as ChatInputCommandInteraction;
    const menu = new StringSelectMenuBuilder()
      .setCustomId("model")
      .addOptions({ label: "Llama", value: "llama" }, { label: "Mistral", value: "mistral" });
    await command.reply({
      content: "pick a model",
      components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
      flags: MessageFlags.Ephemeral,
    });
    const replyId = f.interactionResponse(command.id)?.original?.id ?? "";
    expect(() =>
      f.selectMenu({ messageId: replyId, customId: "model", userId: adminId, values: ["llama"] }),
    ).toThrow(/ephemeral/);
    arrived = nextInteraction(c);
    f.selectMenu({ messageId: replyId, customId: "model", userId: memberId, values: ["mistral"] });
    const choice = await arrived;
    if (!choice.isStringSelectMenu()) throw new Error(`expected a select menu, got type ${choice.type}`);
    expect(choice.values).toEqual(["mistral"]);
    expect(choice.message.flags.has(MessageFlags.Ephemeral)).toBe(true);
  });

  it("opens a modal and delivers its submission; delivers a message context menu with its target", async () => {
    const { fake: f, client: c, channelId, memberId, adminId } = await start();
    let arrived = nextInteraction(c);
    const ref = f.slashCommand({
      channelId,
      userId: adminId,
      name: "spend-limit",
      subcommand: "set",
      options: { amount: 5 },
    });
    const command = (await arrived) as ChatInputCommandInteraction;
    const input = new TextInputBuilder().setCustomId("reason").setLabel("Why").setStyle(TextInputStyle.Short);
    await command.showModal(
      new ModalBuilder()
        .setCustomId("limit-modal")
        .setTitle("Limit")
        .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)),
    );
    arrived = nextInteraction(c);
    f.submitModal({ interactionId: ref.interactionId, values: { reason: "budget" } });
    const modal = await arrived;
    if (!modal.isModalSubmit()) throw new Error("expected a modal submission");
    expect(modal.customId).toBe("limit-modal");
    expect(modal.fields.getTextInputValue("reason")).toBe("budget");

    const voice = f.postUserMessage({ channelId, userId: memberId, content: "listen to this" });
    arrived = nextInteraction(c);
    f.messageContextMenu({ messageId: voice.id, name: "Transcribe", userId: memberId });
    const menu = await arrived;
    if (!menu.isMessageContextMenuCommand()) throw new Error("expected a message context menu");
    expect(menu.commandName).toBe("Transcribe");
    expect(menu.targetMessage.content).toBe("listen to this");
  });
});
