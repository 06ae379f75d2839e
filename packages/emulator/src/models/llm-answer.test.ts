import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  countInputTokens,
  countTemplateTokens,
  formatPromptTemplate,
  PromptTemplateError,
} from "./llm-answer.ts";

const utf8 = new TextEncoder();

describe("formatPromptTemplate", () => {
  it("fills {prompt} and {system_prompt} and unescapes doubled braces, like str.format", () => {
    expect(
      formatPromptTemplate("S:{system_prompt} {{json}} U:{prompt}}}", { prompt: "hi", system_prompt: "be" }),
    ).toBe("S:be {json} U:hi}");
  });

  it("does not format the filled-in values again", () => {
    expect(formatPromptTemplate("<{prompt}>", { prompt: "{system_prompt} }{", system_prompt: "x" })).toBe(
      "<{system_prompt} }{>",
    );
  });

  it("refuses what Python refuses: a lone brace, an unclosed field, an unknown field", () => {
    const values = { prompt: "p", system_prompt: "s" };
    expect(() => formatPromptTemplate("a } b", values)).toThrow("Single '}' encountered in format string");
    expect(() => formatPromptTemplate("a {", values)).toThrow("Single '{' encountered in format string");
    expect(() => formatPromptTemplate("a {prompt", values)).toThrow("expected '}' before end of string");
    expect(() => formatPromptTemplate("{question}", values)).toThrow(PromptTemplateError);
    expect(() => formatPromptTemplate("{constructor}", values)).toThrow("KeyError: 'constructor'");
  });
});

describe("countTemplateTokens", () => {
  it("counts each special token once and the rest like the prompt count", () => {
    const formatted =
      "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>" +
      "<|start_header_id|>user<|end_header_id|>\n\nCount: one, two three!<|eot_id|>" +
      "<|start_header_id|>assistant<|end_header_id|>\n\n";
    // 9 special tokens, "system user assistant" = 3 words, and the 10 of the prompts.
    expect(countTemplateTokens(formatted)).toBe(
      9 + 3 + countInputTokens("Count: one, two three!", "Be brief."),
    );
  });

  it("never counts more tokens than the text has UTF-8 bytes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string(), (a, b) => {
        const text = `${a}<|eot_id|>${b}`;
        expect(countTemplateTokens(text)).toBeLessThanOrEqual(utf8.encode(text).length);
      }),
    );
  });
});
