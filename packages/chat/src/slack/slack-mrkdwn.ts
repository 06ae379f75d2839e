/**
 * Markdown (what models and the worker write) to Slack's mrkdwn. Outside code, `**bold**`, headings,
 * Discord's `-# small print`, links and `~~strike~~` become their mrkdwn forms; everywhere, Slack's
 * control characters `&`, `<` and `>` are escaped, so the links made here are the only `<…>` in the
 * result and model output can never ping (`<!channel>`, `<@U…>`).
 */

/** Escapes Slack's three control characters. */
export function escapeSlackText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

// Finished pieces (code spans, links) wait behind private-use placeholders while emphasis is converted.
const OPEN = "\uE000";
const CLOSE = "\uE001";
const placeholder = new RegExp(`${OPEN}(\\d+)${CLOSE}`, "g");
const privateUse = /[\uE000\uE001]/g;

const fenceLine = /^ {0,3}(`{3,}|~{3,})([^`\n]*)$/;
/** A code span: a run of backticks, content, and a run of the same length (CommonMark). */
const codeSpan = /(?<!`)(`+)(?!`)(.*?[^`])\1(?!`)/g;
/** `[label](target)` or `![alt](target)`; the target may hold one level of balanced parentheses. */
const markdownLink = /!?\[([^[\]\n]+)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)/g;
/** `<https://…>`, Markdown's autolink. */
const autolink = /<(https?:\/\/[^\s<>|]+)>/gi;
/** A bare URL, not the target of a Markdown link left as text. */
const bareUrl = /(?<!\]\()\bhttps?:\/\/[^\s<>|"'`\uE000\uE001]+/gi;
/** The only URLs that become links: http(s), and nothing that could end Slack's `<url|label>` early. */
const linkableUrl = /^https?:\/\/[^\s<>|]+$/i;

const heading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const subtext = /^-#[ \t]+(.*?)[ \t]*$/;
const starBullet = /^(\s*)[*+][ \t]+(?=\S)/;

/** Trims punctuation that ends a sentence rather than a bare URL (a closing parenthesis only if unmatched). */
function trimUrl(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url[end - 1] ?? "";
    if (/[.,;:!?*_~\]}'"]/.test(last)) end--;
    else if (last === ")") {
      const body = url.slice(0, end);
      if ((body.match(/\(/g)?.length ?? 0) < (body.match(/\)/g)?.length ?? 0)) end--;
      else break;
    } else break;
  }
  return url.slice(0, end);
}

/** Converts one line outside code blocks. */
function convertLine(line: string): string {
  const stash: string[] = [];
  const keep = (finished: string) => `${OPEN}${stash.push(finished) - 1}${CLOSE}`;
  const restore = (text: string): string =>
    text.replace(placeholder, (_, index: string) => restore(stash[Number(index)] ?? ""));

  /** Emphasis and strike of text whose code and links are already stashed; then escaped. */
  const inline = (text: string): string =>
    escapeSlackText(
      text
        // *italic* first: it never matches inside ** or ***.
        .replace(/(?<![\w*\\])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![\w*])/g, "_$1_")
        .replace(/\*\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*\*/g, "*_$1_*")
        .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, "*$1*")
        // __bold__, unless it reads as a name (`__init__`): only when it holds more than one word character run.
        .replace(/(?<![\w_])__(?=\S)([^_\n]*?[^\s_])__(?![\w_])/g, (all, inner: string) =>
          /^\w+$/.test(inner) ? all : `*${inner}*`,
        )
        .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, "~$1~"),
    );

  let text = line
    .replace(privateUse, "\uFFFD")
    .replace(codeSpan, (span) => keep(escapeSlackText(span)))
    .replace(markdownLink, (all, label: string, url: string) => {
      if (!linkableUrl.test(url)) return all;
      const shown = restore(inline(label.trim()));
      return keep(shown ? `<${escapeSlackText(url)}|${shown}>` : `<${escapeSlackText(url)}>`);
    })
    .replace(autolink, (_, url: string) => keep(`<${escapeSlackText(url)}>`))
    .replace(bareUrl, (found: string) => {
      const url = trimUrl(found);
      return `${keep(`<${escapeSlackText(url)}>`)}${found.slice(url.length)}`;
    });

  const title = heading.exec(text);
  const small = title ? null : subtext.exec(text);
  if (title?.[1]) {
    // A heading is bold as a whole; bold inside it would end the bold early.
    text = `*${inline(title[1].replaceAll("**", ""))}*`;
  } else if (small?.[1]) {
    text = `_${inline(small[1])}_`;
  } else {
    text = inline(text.replace(starBullet, "$1• "));
  }
  return restore(text);
}

/**
 * Converts Markdown to Slack mrkdwn. Code blocks keep their content (escaped) and lose the language
 * after the opening fence, which Slack would show as a first line of code; `~~~` fences become "```".
 */
export function markdownToMrkdwn(markdown: string): string {
  const out: string[] = [];
  let open: { marker: string } | undefined;
  for (const line of markdown.split("\n")) {
    const fence = fenceLine.exec(line);
    if (open) {
      const marker = fence?.[1] ?? "";
      const closes =
        fence && marker[0] === open.marker[0] && marker.length >= open.marker.length && !fence[2]?.trim();
      if (closes) open = undefined;
      out.push(closes ? "```" : escapeSlackText(line));
    } else if (fence) {
      open = { marker: fence[1] ?? "```" };
      out.push("```");
    } else {
      out.push(convertLine(line));
    }
  }
  return out.join("\n");
}
