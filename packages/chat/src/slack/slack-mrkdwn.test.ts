import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeSlackText, markdownToMrkdwn } from "./slack-mrkdwn.ts";

/** Every `<…>` in mrkdwn: each must be a link this module made. */
const angles = (text: string) => text.match(/<[^>]*>?/g) ?? [];
const madeLink = /^<https?:\/\/[^\s<>|]+(\|[^<>]+)?>$/;

describe("markdownToMrkdwn", () => {
  it("turns bold, italic, strike and bold italic into Slack's marks", () => {
    expect(markdownToMrkdwn("**bold**, *italic*, ***both*** and ~~gone~~")).toBe(
      "*bold*, _italic_, *_both_* and ~gone~",
    );
    expect(markdownToMrkdwn("**bold with *italic* inside**")).toBe("*bold with _italic_ inside*");
    expect(markdownToMrkdwn("_already italic_")).toBe("_already italic_");
  });

  it("leaves stars and underscores that are not emphasis alone", () => {
    expect(markdownToMrkdwn("2 * 3 * 4 and a*b*c")).toBe("2 * 3 * 4 and a*b*c");
    expect(markdownToMrkdwn("call __init__ or snake_case_name")).toBe("call __init__ or snake_case_name");
    expect(markdownToMrkdwn("__two words__ are bold")).toBe("*two words* are bold");
    expect(markdownToMrkdwn("a ** b ** c")).toBe("a ** b ** c");
  });

  it("makes headings bold lines and Discord's subtext an italic line", () => {
    expect(markdownToMrkdwn("# Title\n### Third **level** ###\n#hashtag")).toBe(
      "*Title*\n*Third level*\n#hashtag",
    );
    expect(markdownToMrkdwn("Answer.\n-# Llama 3 · $0.0012")).toBe("Answer.\n_Llama 3 · $0.0012_");
  });

  it("turns star and plus bullets into bullets, so they never pair up as bold", () => {
    expect(markdownToMrkdwn("* one\n  + two **2**\n- three")).toBe("• one\n  • two *2*\n- three");
  });

  it("makes http(s) links Slack links and leaves any other link as text", () => {
    expect(markdownToMrkdwn("see [the docs](https://example.com/a?b=1&c=2)")).toBe(
      "see <https://example.com/a?b=1&amp;c=2|the docs>",
    );
    expect(markdownToMrkdwn("[wiki](https://en.wikipedia.org/wiki/Foo_(bar)) ok")).toBe(
      "<https://en.wikipedia.org/wiki/Foo_(bar)|wiki> ok",
    );
    expect(markdownToMrkdwn("![a cat](http://x.test/cat.png)")).toBe("<http://x.test/cat.png|a cat>");
    expect(markdownToMrkdwn("[**bold** label](https://x.test)")).toBe("<https://x.test|*bold* label>");
    expect(markdownToMrkdwn("[run](javascript:alert(1))")).toBe("[run](javascript:alert(1))");
    expect(markdownToMrkdwn("[spaced](https://x.test/a b)")).toBe("[spaced](https://x.test/a b)");
    expect(markdownToMrkdwn("[pipe](https://x.test|<!here>)")).toBe("[pipe](https://x.test|&lt;!here&gt;)");
    expect(markdownToMrkdwn("[rel](/docs/a)")).toBe("[rel](/docs/a)");
  });

  it("links bare and angle-bracket URLs, without the sentence's punctuation", () => {
    expect(markdownToMrkdwn("Read https://example.com/x, then <https://example.com/y>.")).toBe(
      "Read <https://example.com/x>, then <https://example.com/y>.",
    );
    expect(markdownToMrkdwn("(see https://example.com/a_(b))")).toBe("(see <https://example.com/a_(b)>)");
    expect(markdownToMrkdwn("**https://example.com**")).toBe("*<https://example.com>*");
  });

  it("escapes Slack's control characters everywhere, code included, so nothing can ping", () => {
    expect(markdownToMrkdwn("hi <!channel> <@U123> <#C1> <!subteam^S1> & co")).toBe(
      "hi &lt;!channel&gt; &lt;@U123&gt; &lt;#C1&gt; &lt;!subteam^S1&gt; &amp; co",
    );
    expect(markdownToMrkdwn("`<!here>` and\n```\nif (a < b && c > d) {}\n```")).toBe(
      "`&lt;!here&gt;` and\n```\nif (a &lt; b &amp;&amp; c &gt; d) {}\n```",
    );
    expect(markdownToMrkdwn("> quoted")).toBe("&gt; quoted");
  });

  it("converts nothing inside code spans and code blocks, and drops the fence's language", () => {
    expect(markdownToMrkdwn("`**not bold**` but **bold**")).toBe("`**not bold**` but *bold*");
    expect(markdownToMrkdwn("``a ` b`` **x**")).toBe("``a ` b`` *x*");
    expect(markdownToMrkdwn("```ts\n# not a heading\n**x** [l](https://a.test)\n```\n# Heading")).toBe(
      "```\n# not a heading\n**x** [l](https://a.test)\n```\n*Heading*",
    );
    expect(markdownToMrkdwn("~~~py\nprint(1)\n~~~")).toBe("```\nprint(1)\n```");
    expect(markdownToMrkdwn("````\n```\nstill code **x**\n````")).toBe("```\n```\nstill code **x**\n```");
  });

  it("keeps the placeholder characters it uses internally from being forged", () => {
    expect(markdownToMrkdwn("\uE0000\uE001 [l](https://a.test)")).toBe("\uFFFD0\uFFFD <https://a.test|l>");
  });

  it("never lets model output produce a <…> that is not a link it made", () => {
    const pieces = fc.constantFrom(
      "<",
      ">",
      "&",
      "!channel",
      "@U1",
      "|",
      "[",
      "]",
      "(",
      ")",
      "https://a.test/x",
      "http://b.test",
      "`",
      "```",
      "*",
      "**",
      "_",
      "__",
      "~~",
      "# ",
      "-# ",
      "\n",
      " ",
      "word",
      "\uE000",
      "\uE001",
      "0",
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const out = markdownToMrkdwn(parts.join(""));
        for (const angle of angles(out)) expect(angle).toMatch(madeLink);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("escapeSlackText", () => {
  it("escapes &, < and > only", () => {
    expect(escapeSlackText("a&b<c>d*e_")).toBe("a&amp;b&lt;c&gt;d*e_");
  });
});
