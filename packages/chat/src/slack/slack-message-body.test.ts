import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  SLACK_MAX_BLOCKS,
  SLACK_SECTION_LIMIT,
  SLACK_TEXT_LIMIT,
  slackMessageBody,
  slackSectionTexts,
} from "./slack-message-body.ts";
import { escapeSlackText } from "./slack-mrkdwn.ts";

type Section = { type: string; text: { type: string; text: string; verbatim?: boolean } };
const sections = (body: ReturnType<typeof slackMessageBody>) =>
  (body.blocks as Section[]).filter((b) => b.type === "section").map((b) => b.text.text);
const fences = (text: string) => text.split("\n").filter((line) => line.startsWith("```")).length;

describe("slackMessageBody", () => {
  it("shows a short text in one mrkdwn section, verbatim, with the buttons after it", () => {
    const body = slackMessageBody({
      text: "**Hi** <!here>",
      buttons: [
        { id: "cancel:1", label: "Cancel", style: "danger" },
        { id: "more:1", label: "More", style: "secondary" },
      ],
    });
    expect(body.text).toBe("*Hi* &lt;!here&gt;");
    expect(body.blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "*Hi* &lt;!here&gt;", verbatim: true } },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: "cancel:1",
            value: "cancel:1",
            text: { type: "plain_text", text: "Cancel" },
            style: "danger",
          },
          {
            type: "button",
            action_id: "more:1",
            value: "more:1",
            text: { type: "plain_text", text: "More" },
          },
        ],
      },
    ]);
    expect(body.unfurl_links).toBe(false);
  });

  it("never sends an empty text or section", () => {
    const body = slackMessageBody({ text: "" });
    expect(body.text).toBe(" ");
    expect(sections(body)).toEqual([" "]);
  });

  it("shows 3,900 characters with a code block in two sections, each fence closed and reopened", () => {
    const code = Array.from({ length: 60 }, (_, i) => `const value${i} = compute(${i});`).join("\n");
    const prose = "Some words about it. ".repeat(100);
    const text = `${prose}\n\`\`\`ts\n${code}\n\`\`\`\n${"More prose. ".repeat(400)}`.slice(0, 3_900);
    const body = slackMessageBody({ text });
    const parts = sections(body);
    expect(parts).toHaveLength(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(SLACK_SECTION_LIMIT);
      expect(fences(part) % 2).toBe(0);
    }
    // The cut falls inside the code block: the first section closes it, the second reopens it.
    expect(parts[0]).toMatch(/\n```\n?$/);
    expect(parts[1]).toMatch(/^```\n/);
    expect(parts.join("")).toContain("const value59 = compute(59);");
    expect(body.text.length).toBeGreaterThan(SLACK_SECTION_LIMIT);
    expect(body.text).not.toContain("```ts");
  });

  it("splits again where escaping makes a piece longer than a section", () => {
    const text = "<&>".repeat(4_000);
    const parts = slackSectionTexts(text);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(SLACK_SECTION_LIMIT);
      expect(part).not.toMatch(/&[a-z]{0,3}$/);
    }
    expect(parts.join("")).toBe("&lt;&amp;&gt;".repeat(4_000));
  });

  it("shows 12,000 characters in a handful of sections", () => {
    const parts = sections(slackMessageBody({ text: "word & word\n".repeat(1_000) }));
    expect(parts.length).toBeGreaterThanOrEqual(5);
    expect(parts.length).toBeLessThan(10);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(SLACK_SECTION_LIMIT);
  });

  it("never sends more than 50 blocks or a text Slack would truncate", () => {
    const body = slackMessageBody({
      text: "<>".repeat(60_000),
      buttons: [{ id: "b", label: "B", style: "primary" }],
    });
    expect(body.blocks.length).toBe(SLACK_MAX_BLOCKS);
    expect(body.blocks.at(-1)?.type).toBe("actions");
    expect(body.text.length).toBeLessThanOrEqual(SLACK_TEXT_LIMIT);
    expect(body.text.endsWith("…")).toBe(true);
    expect(body.text).not.toMatch(/&[a-z]{0,3}…$/);
  });

  it("never cuts an emoji in half where it truncates", () => {
    for (const lead of ["", "a"]) {
      const body = slackMessageBody(
        { text: `${lead}${"😀".repeat(25_000)}` },
        `${lead}${"🦙".repeat(2_000)}`,
      );
      expect(body.text.length).toBeLessThanOrEqual(SLACK_TEXT_LIMIT);
      expect(body.text.isWellFormed()).toBe(true);
      for (const part of sections(body)) expect(part.isWellFormed()).toBe(true);
    }
  });
});

/** Every `<…>` in mrkdwn must be a link the converter made: never a mention, a broadcast or a channel. */
const madeLink = /^<https?:\/\/[^\s<>|]+(\|[^<>]+)?>$/;
const angles = (text: string) => text.match(/<[^>]*>?/g) ?? [];

describe("slackMessageBody, for any text", () => {
  it("stays within Slack's limits, pings no one, and keeps well-formed text well-formed", () => {
    const piece = fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
      fc.constantFrom("\n", "```\n", "\n```", "**", "~~", "# ", "-# ", "* ", "&", "<", ">", "|", "😀"),
      fc.constantFrom(
        "<!everyone>",
        "<!here>",
        "<!channel>",
        "<@U0VICTIM>",
        "<#C0SECRET>",
        "<!subteam^S0ALL>",
      ),
      fc.constantFrom("https://x.test/a_b", "[doc](https://x.test/?a=1&b=<2>)", "<https://x.test|<!here>>"),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 300 }), (pieces) => {
        const markdown = pieces.join("");
        const heading = escapeSlackText(Array.from(markdown).slice(0, 60).join(""));
        const body = slackMessageBody({ text: markdown }, heading);
        const texts = [body.text, ...sections(body)];
        expect(body.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
        expect(body.text.length).toBeLessThanOrEqual(SLACK_TEXT_LIMIT);
        for (const part of sections(body)) expect(part.length).toBeLessThanOrEqual(SLACK_SECTION_LIMIT);
        for (const text of texts) {
          for (const angle of angles(text)) expect(angle).toMatch(madeLink);
          if (markdown.isWellFormed()) expect(text.isWellFormed()).toBe(true);
        }
      }),
    );
  });

  it("shows plain text whole and in order across its sections, only escaped", () => {
    const unit = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(..."abcXYZ019 .,!?'\"") },
      fc.constantFrom("\n", "&", "<", ">", "😀", "語", "é"),
    );
    const noSpace = (text: string) => text.replace(/\s+/g, "");
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 9_000, size: "max" }), (text) => {
        const parts = sections(slackMessageBody({ text }));
        // Sections are cut on line ends and spaces, and a section of blanks is left out: compare the rest.
        expect(noSpace(parts.join(""))).toBe(noSpace(escapeSlackText(text)));
      }),
    );
  });

  it("closes and reopens every bare code fence it cuts through", () => {
    const line = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 90 }).map((l) => l.replaceAll("`", "'").replaceAll("~", "-")),
      fc.constant("```"),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 150 }), (lines) => {
        for (const part of sections(slackMessageBody({ text: lines.join("\n") }))) {
          expect(part.split("\n").filter((l) => l === "```").length % 2).toBe(0);
        }
      }),
    );
  });
});
