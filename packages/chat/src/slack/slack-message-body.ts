import type { ChatButton, OutgoingMessage } from "../chat-platform.ts";

/** Slack's limit on one section block's text; longer answers continue in thread replies. */
export const SLACK_SECTION_LIMIT = 3_000;

const styles: Record<ChatButton["style"], "primary" | "danger" | undefined> = {
  primary: "primary",
  secondary: undefined,
  danger: "danger",
};

/** The text and blocks of a Slack message: the text as mrkdwn, buttons in one actions block, no pings. */
export function slackMessageBody(message: OutgoingMessage) {
  // Slack's three control characters are escaped, so model output can never ping (<!channel>, <@U…>).
  const text = message.text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;") || " ";
  const buttons = message.buttons ?? [];
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      ...(buttons.length > 0
        ? [
            {
              type: "actions",
              elements: buttons.map((b) => ({
                type: "button",
                action_id: b.id,
                value: b.id,
                text: { type: "plain_text", text: b.label },
                ...(styles[b.style] ? { style: styles[b.style] } : {}),
              })),
            },
          ]
        : []),
    ],
    unfurl_links: false,
    unfurl_media: false,
  };
}
