import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closeOpenFence, splitMessage, splitMessagePieces } from "./split-message.ts";

const fenceCount = (text: string) =>
  text.split("\n").filter((line) => /^ {0,3}(`{3,}|~{3,})/.test(line)).length;

describe("splitMessage", () => {
  it("keeps a short message whole", () => {
    expect(splitMessage("hello")).toEqual(["hello"]);
    expect(splitMessage("")).toEqual([""]);
  });

  it("splits a 5,000-character answer on line ends into messages of at most 2,000 units", () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${"x".repeat(40)}`);
    const text = lines.join("\n");
    const parts = splitMessage(text);
    expect(parts.length).toBe(3);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2_000);
    expect(parts.join("")).toBe(text);
    for (const part of parts.slice(0, -1)) expect(part.endsWith("\n")).toBe(true);
  });

  it("closes a code block at the cut and reopens it with its language", () => {
    const code = Array.from({ length: 80 }, (_, i) => `const v${i} = ${i};`).join("\n");
    const text = `Here you go:\n\`\`\`ts\n${code}\n\`\`\`\nDone.`;
    const parts = splitMessage(text, 500);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(500);
      expect(fenceCount(part) % 2).toBe(0);
    }
    expect(parts[1]!.startsWith("```ts\n")).toBe(true);
    expect(parts[0]!.endsWith("\n```")).toBe(true);
  });

  it("closes a fence left open in a partial answer, and leaves balanced text alone", () => {
    expect(closeOpenFence("look:\n```js\nlet a")).toBe("look:\n```js\nlet a\n```");
    expect(closeOpenFence("````\n```\n")).toBe("````\n```\n````");
    expect(closeOpenFence("```\nx\n```\ndone")).toBe("```\nx\n```\ndone");
  });

  it("never splits a surrogate pair", () => {
    const text = "😀".repeat(1_500);
    const parts = splitMessage(text);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2_000);
      expect(part.isWellFormed()).toBe(true);
    }
    expect(parts.join("")).toBe(text);
  });

  it("never loses or reorders a character, never exceeds the limit, never leaves a fence open", () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom("\n", " ", "```", "```py\n", "\n```\n", "~~~\n", "````\n", "😀", "\r\n"),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), fc.integer({ min: 40, max: 300 }), (parts, limit) => {
        const text = parts.join("");
        const pieces = splitMessagePieces(text, limit);
        expect(pieces.map((p) => p.body).join("")).toBe(text);
        for (const p of pieces) {
          const message = p.reopen + p.body + p.close;
          expect(message.length).toBeLessThanOrEqual(limit);
          if (text.length > 0) expect(p.body.length).toBeGreaterThan(0);
        }
        for (const p of pieces) {
          const message = p.reopen + p.body + p.close;
          if (p !== pieces.at(-1)) expect(closeOpenFence(message)).toBe(message);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("for any UTF-16 text, lone surrogates included: same units in order, none over the limit, no pair cut", () => {
    const unit = fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 1 }) },
      fc.constantFrom("\n", " ", "```", "```js\n", "\n```\n", "~~~\n", "😀", "\ud83d", "\ude00", "\r\n"),
    );
    const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
    const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 200 }), fc.integer({ min: 20, max: 200 }), (units, limit) => {
        const text = units.join("");
        const pieces = splitMessagePieces(text, limit);
        expect(pieces.map((p) => p.body).join("")).toBe(text);
        let previous = "";
        for (const p of pieces) {
          const message = p.reopen + p.body + p.close;
          expect(message.length).toBeLessThanOrEqual(limit);
          expect(closeOpenFence(message)).toBe(message);
          // What the splitter adds is a fence line and nothing else.
          expect(p.reopen).toMatch(/^((`{3,}|~{3,})[^\n]*\n)?$/);
          expect(p.close).toMatch(/^(\n?(`{3,}|~{3,}))?$/);
          const pairCut = isHigh(previous.charCodeAt(previous.length - 1)) && isLow(p.body.charCodeAt(0));
          expect(pairCut).toBe(false);
          if (text.isWellFormed()) expect(message.isWellFormed()).toBe(true);
          previous = p.body;
        }
      }),
    );
  });

  it("gives every part an even number of ``` lines when the text's fences are bare ``` lines", () => {
    // Bare fences strictly alternate open and close, so a count is an independent check of balance.
    const line = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 60 }).map((l) => l.replaceAll("`", "'").replaceAll("~", "-")),
      fc.constant("```"),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 80 }), fc.integer({ min: 30, max: 300 }), (lines, limit) => {
        for (const part of splitMessage(lines.join("\n"), limit)) {
          expect(part.split("\n").filter((l) => l === "```").length % 2).toBe(0);
        }
      }),
    );
  });
});
