/** One element of a `rich_text_section`, as Slack's clients write them. */
export type RichTextElement =
  | { type: "text"; text: string }
  | { type: "user"; user_id: string }
  | { type: "channel"; channel_id: string }
  | { type: "usergroup"; usergroup_id: string }
  | { type: "broadcast"; range: string }
  | { type: "link"; url: string; text?: string };

/**
 * `<@U…>`, `<@U…|name>`, `<#C…|name>`, `<!here>`, `<!subteam^S…|@handle>`, `<https://…|label>`: Slack's
 * wire-format tokens.
 */
const token = /<([^<>]*)>/g;

/** Undoes Slack's three escapes (`&amp;`, `&lt;`, `&gt;`); rich text carries the characters themselves. */
function unescapeWire(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * Why `text` is not in Slack's wire format, or null when it is: `<` and `>` only around tokens, and `&` only in
 * `&amp;`, `&lt;`, `&gt;`, as Slack escapes what people type (so a typed "2<3" arrives as "2&lt;3").
 */
export function wireFormatProblem(text: string): string | null {
  const bare = text.replace(token, "");
  if (/[<>]/.test(bare)) return "a bare < or > (Slack sends them as &lt; and &gt;)";
  if (/&(?!amp;|lt;|gt;)/.test(text)) return "a bare & (Slack sends it as &amp;)";
  return null;
}

/** A token's rich text element. */
function element(inner: string): RichTextElement {
  const [target = "", label] = inner.split("|", 2);
  if (target.startsWith("@")) return { type: "user", user_id: target.slice(1) };
  if (target.startsWith("#")) return { type: "channel", channel_id: target.slice(1) };
  // A user group mention: `<!subteam^S…|@handle>`, which rich text carries as a `usergroup` element.
  if (target.startsWith("!subteam^")) return { type: "usergroup", usergroup_id: target.slice(9) };
  if (target.startsWith("!")) return { type: "broadcast", range: target.slice(1) };
  return label === undefined
    ? { type: "link", url: target }
    : { type: "link", url: target, text: unescapeWire(label) };
}

/** The user ids mentioned in wire-format text (`<@U…>` and `<@U…|name>`). */
export function mentionedUsers(text: string): string[] {
  return [...text.matchAll(token)]
    .map((m) => element(m[1] ?? ""))
    .flatMap((e) => (e.type === "user" ? [e.user_id] : []));
}

/** The user group ids mentioned in wire-format text (`<!subteam^S…|@handle>`). */
export function mentionedUserGroups(text: string): string[] {
  return [...text.matchAll(token)]
    .map((m) => element(m[1] ?? ""))
    .flatMap((e) => (e.type === "usergroup" ? [e.usergroup_id] : []));
}

/**
 * The `blocks` Slack's clients attach to what a person types: one `rich_text` block with one section whose
 * elements are the text runs and the mentions/links. Formatting such as `*bold*` is kept as plain text.
 */
export function richTextBlocks(text: string, blockId: string): Record<string, unknown>[] {
  const elements: RichTextElement[] = [];
  let last = 0;
  for (const match of text.matchAll(token)) {
    const at = match.index ?? 0;
    if (at > last) elements.push({ type: "text", text: unescapeWire(text.slice(last, at)) });
    elements.push(element(match[1] ?? ""));
    last = at + match[0].length;
  }
  if (last < text.length) elements.push({ type: "text", text: unescapeWire(text.slice(last)) });
  return [{ type: "rich_text", block_id: blockId, elements: [{ type: "rich_text_section", elements }] }];
}
