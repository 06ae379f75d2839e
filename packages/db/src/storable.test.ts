import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { storableJson, storableText } from "./storable.ts";

describe("storableText", () => {
  it("gives any text without NUL or a lone surrogate, unit for unit, and leaves good text alone", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(
            fc.constantFrom("\u0000", "\ud800", "\udc00"),
            fc.string({ unit: "binary", maxLength: 1 }),
          ),
        }),
        (text) => {
          const stored = storableText(text);
          expect(stored.isWellFormed()).toBe(true);
          expect(stored).not.toContain("\u0000");
          expect(stored.length).toBe(text.length);
          if (text.isWellFormed() && !text.includes("\u0000")) expect(stored).toBe(text);
        },
      ),
    );
  });

  it("cleans every string of a job's input and keeps the rest as it is", () => {
    expect(storableJson({ prompt: "a\u0000b\ud83d", seed: 7, tags: ["\udc00", null], on: true })).toEqual({
      prompt: "a\uFFFDb\uFFFD",
      seed: 7,
      tags: ["\uFFFD", null],
      on: true,
    });
  });
});
