import type { ChatButton, OutgoingMessage } from "../chat-platform.ts";

const buttonStyles: Record<ChatButton["style"], number> = { primary: 1, secondary: 2, danger: 4 };

/** The JSON body of a Discord message write: content, buttons in one row, and no pings ever. */
export function discordMessageBody(message: OutgoingMessage): Record<string, unknown> {
  const buttons = message.buttons ?? [];
  return {
    content: message.text,
    // Model output and prompts must never ping @everyone, roles or users.
    allowed_mentions: { parse: [] },
    components:
      buttons.length === 0
        ? []
        : [
            {
              type: 1,
              components: buttons.map((b) => ({
                type: 2,
                style: buttonStyles[b.style],
                label: b.label,
                custom_id: b.id,
              })),
            },
          ],
    ...(message.files ? { attachments: message.files.map((file, id) => ({ id, filename: file.name })) } : {}),
  };
}

/** The files of a message in the shape @discordjs/rest uploads. */
export function discordFiles(message: OutgoingMessage) {
  return message.files?.map((file) => ({ name: file.name, data: file.data, contentType: file.contentType }));
}
