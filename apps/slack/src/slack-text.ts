import { markdownToMrkdwn } from "@replibot/chat";

/** Our own Markdown as Slack mrkdwn, keeping the member and channel links we wrote ourselves. */
export function slackText(markdown: string): string {
  return markdownToMrkdwn(markdown)
    .replace(/&lt;@([UW][A-Z0-9]+)&gt;/g, "<@$1>")
    .replace(/&lt;#([CG][A-Z0-9]+)&gt;/g, "<#$1>")
    .replace(/&lt;!subteam\^(S[A-Z0-9]+)&gt;/g, "<!subteam^$1>");
}
