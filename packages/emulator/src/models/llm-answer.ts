import { hash32 } from "../hash.ts";

const openers = [
  "Here is a short answer about",
  "Good question! Let me think about",
  "Sure. Here are a few thoughts on",
  "Happy to help with",
];

const middles = [
  "The first thing to notice is that the details matter more than they seem.",
  "It helps to start small, check each step, and only then build on it.",
  "Most of the difficulty comes from the edges, not from the middle.",
  "A clear example usually says more than a long explanation.",
  "There are two sides to this, and both deserve a fair hearing.",
  "Keep it simple first; you can always add more later.",
];

const fillers = [
  "To add a little more detail, each part can be looked at on its own.",
  "Another way to see it is to ask what would change if it were different.",
  "In practice, people find that patience pays off here.",
];

// Whitespace is collapsed so the answer never carries a bare \r or a stray newline from the prompt.
const quote = (text: string, maxChars: number) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > maxChars ? `${flat.slice(0, maxChars - 3)}...` : flat;
};

/**
 * Splits text into LLM-like tokens: words carry their leading space, newline runs stand alone,
 * and a word directly before a single newline keeps it (e.g. `" soul\n"`) so streams see multi-line tokens.
 */
export function tokenize(text: string): string[] {
  const pieces = text.match(/\n+|[^\S\n]*[^\s]+/g) ?? [];
  const tokens: string[] = [];
  for (const piece of pieces) {
    const previous = tokens.at(-1);
    if (piece === "\n" && previous !== undefined && !previous.endsWith("\n")) {
      tokens[tokens.length - 1] = previous + piece;
    } else {
      tokens.push(piece);
    }
  }
  return tokens;
}

/** A prompt starting with this line is answered with the rest of the prompt, so tests choose the answer. */
export const REPEAT_PREFIX = "Repeat exactly:\n";

/** `Repeat exactly:` or `Repeat exactly 3 times:` on the prompt's first line. */
const repeatLine = /^Repeat exactly(?: (\d{1,4}) times)?:\n/;

/** The full deterministic answer to a prompt, as tokens (the last one empty, like Llama 3's). */
export function answerTokens(options: { prompt: string; systemPrompt: string; minTokens: number }): string[] {
  const repeat = repeatLine.exec(options.prompt);
  if (repeat) {
    const text = options.prompt.slice(repeat[0].length).repeat(Number(repeat[1] ?? 1));
    return [...tokenize(text), ""];
  }
  const seed = hash32(`${options.systemPrompt}\u0000${options.prompt}`);
  const pick = <T>(list: readonly T[], salt: number): T => list[(seed + salt) % list.length] as T;
  const subject = quote(options.prompt, 120) || "your question";
  const lines = [
    `${pick(openers, 0)} "${subject}".`,
    "",
    `${pick(middles, 1)}\n${pick(middles, 3)}`,
    "",
    `In short: ${subject}.`,
  ];
  const tokens = tokenize(lines.join("\n"));
  // Pad with extra sentences until min_tokens is reached, so the knob has a visible effect.
  for (let salt = 0; tokens.length + 1 < options.minTokens; salt++) {
    tokens.push(...tokenize(` ${pick(fillers, salt)}`));
  }
  tokens.push("");
  return tokens;
}

/** Input token count: words and single punctuation marks of prompt plus system prompt. */
export function countInputTokens(prompt: string, systemPrompt: string): number {
  return (`${systemPrompt} ${prompt}`.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? []).length;
}

/** The Llama 3 instruct models' context window: input and output tokens together. */
export const LLAMA3_CONTEXT_WINDOW_TOKENS = 8192;

/** A `prompt_template` that cannot be formatted; the message is Python's for the same template. */
export class PromptTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PromptTemplateError";
  }
}

/**
 * Fills a prompt template as the model does, like Python's `str.format` with only keyword fields:
 * `{name}` becomes `values[name]`, `{{` and `}}` become `{` and `}`; an unknown field or a lone
 * brace throws {@link PromptTemplateError}. Filled-in values are not formatted again.
 */
export function formatPromptTemplate(template: string, values: Readonly<Record<string, string>>): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const char = template[i];
    if (char === "{") {
      if (template[i + 1] === "{") {
        out += "{";
        i += 2;
        continue;
      }
      const close = template.indexOf("}", i + 1);
      if (close < 0) {
        throw new PromptTemplateError(
          i + 1 === template.length
            ? "Single '{' encountered in format string"
            : "expected '}' before end of string",
        );
      }
      const field = template.slice(i + 1, close);
      const value = Object.hasOwn(values, field) ? values[field] : undefined;
      if (value === undefined) throw new PromptTemplateError(`KeyError: '${field}'`);
      out += value;
      i = close + 1;
    } else if (char === "}") {
      if (template[i + 1] !== "}") throw new PromptTemplateError("Single '}' encountered in format string");
      out += "}";
      i += 2;
    } else {
      out += char;
      i += 1;
    }
  }
  return out;
}

/** Llama special tokens such as `<|eot_id|>`: each is one token. */
const specialToken = /<\|[^<>|\s]+\|>/g;

/**
 * Input token count of a whole formatted prompt: each special token (`<|eot_id|>`) counts one, the
 * rest counts as {@link countInputTokens} does (words and single punctuation marks). Never more than
 * the text's UTF-8 bytes, like a real byte-level BPE count.
 */
export function countTemplateTokens(formatted: string): number {
  const specials = formatted.match(specialToken)?.length ?? 0;
  return specials + countInputTokens(formatted.replace(specialToken, " "), "");
}
