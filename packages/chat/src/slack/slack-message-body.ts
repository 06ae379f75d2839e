import type { ChatButton, OutgoingMessage } from "../chat-platform.ts";
import { splitMessagePieces } from "../split-message.ts";
import { markdownToMrkdwn } from "./slack-mrkdwn.ts";

/** Slack's limit on one section block's text; a longer message text is shown in several sections. */
export const SLACK_SECTION_LIMIT = 3_000;
/** The most blocks one Slack message may have. */
export const SLACK_MAX_BLOCKS = 50;
/** Slack truncates a message's top-level text past this many characters. */
export const SLACK_TEXT_LIMIT = 40_000;

const styles: Record<ChatButton["style"], "primary" | "danger" | undefined> = {
  primary: "primary",
  secondary: undefined,
  danger: "danger",
};

/**
 * The mrkdwn texts of the section blocks showing `markdown`: each at most {@link SLACK_SECTION_LIMIT}
 * characters once converted, cut on line ends where possible, and every code block closed at the end
 * of a section and reopened in the next one.
 */
export function slackSectionTexts(markdown: string, limit = SLACK_SECTION_LIMIT): string[] {
  const texts: string[] = [];
  for (const piece of splitMessagePieces(markdown, limit)) {
    const source = piece.reopen + piece.body + piece.close;
    const text = markdownToMrkdwn(source);
    if (text.length <= SLACK_SECTION_LIMIT) {
      if (text.trim() !== "") texts.push(text);
    } else if (limit > 200 && source.length > 1) {
      // Escaping (`&` → `&amp;`) made the piece longer than a section: split it again, smaller.
      const smaller = Math.min(
        source.length - 1,
        Math.floor((limit * SLACK_SECTION_LIMIT) / text.length) - 8,
      );
      texts.push(...slackSectionTexts(source, Math.max(200, smaller)));
    } else {
      texts.push(truncate(text, SLACK_SECTION_LIMIT));
    }
  }
  return texts.length > 0 ? texts : [" "];
}

/**
 * Cuts mrkdwn to `limit` characters without leaving half an entity (`&am`), half a link (`<http…`)
 * or half a surrogate pair (which Slack would show as a replacement character).
 */
function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = text.slice(0, limit - 1).replace(/[\uD800-\uDBFF]$/, "");
  cut = cut.replace(/&[a-z]{0,4}$/, "");
  if (cut.lastIndexOf("<") > cut.lastIndexOf(">")) cut = cut.slice(0, cut.lastIndexOf("<"));
  return `${cut}…`;
}

/**
 * The text and blocks of a Slack message: the Markdown text converted to mrkdwn (escaped, so it
 * cannot ping), in as many section blocks as it needs, then the buttons in one actions block; never
 * more than {@link SLACK_MAX_BLOCKS} blocks. The top-level `text` (notifications, fallbacks) is the
 * whole converted text. `headingLine`, mrkdwn the caller made safe (the asker's mention and the
 * escaped question), comes first in its own section.
 */
export function slackMessageBody(message: OutgoingMessage, headingLine?: string) {
  const buttons = message.buttons ?? [];
  const heading = headingLine ? [truncate(headingLine, SLACK_SECTION_LIMIT)] : [];
  const sectionRoom = SLACK_MAX_BLOCKS - heading.length - (buttons.length > 0 ? 1 : 0);
  const sections = [...heading, ...slackSectionTexts(message.text).slice(0, sectionRoom)];
  const text = markdownToMrkdwn(message.text);
  return {
    text: truncate(heading.length > 0 ? `${heading[0]}\n\n${text}` : text, SLACK_TEXT_LIMIT) || " ",
    blocks: [
      // verbatim: Slack must not parse plain text into mentions or channel links; links are made explicitly.
      ...sections.map((text) => ({ type: "section", text: { type: "mrkdwn", text, verbatim: true } })),
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
