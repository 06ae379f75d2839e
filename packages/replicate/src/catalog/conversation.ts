import type { LlamaChatModel } from "./catalog.ts";

/** One earlier question of a conversation and the answer it got. */
export interface ConversationTurnText {
  prompt: string;
  answer: string;
}

const utf8 = new TextEncoder();

/** UTF-8 bytes of `text`: a bound on its tokens, as a byte-level BPE token covers at least one byte. */
export function utf8Bytes(text: string): number {
  return utf8.encode(text).length;
}

const BEGIN_OF_TEXT = "<|begin_of_text|>";
const END_OF_TURN = "<|eot_id|>";
const header = (role: "system" | "user" | "assistant") => `<|start_header_id|>${role}<|end_header_id|>\n\n`;

/** Anything shaped like a Llama special token, `<|…|>`. */
const SPECIAL_TOKEN = /<\|[^<>|]*\|>/g;

/**
 * A token bound of a piece of template: each special token counts 1 (it is one token), any other
 * text its UTF-8 bytes.
 */
function templateTokenBound(template: string): number {
  const specials = template.match(SPECIAL_TOKEN)?.length ?? 0;
  return specials + utf8Bytes(template.replace(SPECIAL_TOKEN, ""));
}

/** Tokens one earlier turn adds besides its text: its user and assistant headers and end-of-turn tokens. */
export const LLAMA3_TURN_OVERHEAD_TOKENS = templateTokenBound(
  `${header("user")}${END_OF_TURN}${header("assistant")}${END_OF_TURN}`,
);

/** Tokens the Llama 3 template adds around the system prompt and the question, without earlier turns. */
export const LLAMA3_TEMPLATE_TOKENS = templateTokenBound(
  `${BEGIN_OF_TEXT}${header("system")}${END_OF_TURN}${header("user")}${END_OF_TURN}${header("assistant")}`,
);

/**
 * Earlier-turn text made safe for a `prompt_template`: Llama special tokens are taken out (until
 * none is left, so taking one out cannot join the pieces of another), so a member cannot forge turns
 * or headers; `{` and `}` are doubled, as the template is formatted like Python's `str.format`.
 */
export function llama3TemplateText(text: string): string {
  let clean = text;
  for (let previous = ""; previous !== clean; ) {
    previous = clean;
    clean = clean.replace(SPECIAL_TOKEN, "");
  }
  return clean.replaceAll("{", "{{").replaceAll("}", "}}");
}

/**
 * The Llama 3 chat template with `history` (oldest first) as earlier turns before the final
 * `{prompt}` turn; `{system_prompt}` and `{prompt}` are left for the model to fill in.
 */
export function llama3ConversationTemplate(history: readonly ConversationTurnText[]): string {
  const turns = history.map(
    (turn) =>
      `${header("user")}${llama3TemplateText(turn.prompt)}${END_OF_TURN}` +
      `${header("assistant")}${llama3TemplateText(turn.answer)}${END_OF_TURN}`,
  );
  return (
    `${BEGIN_OF_TEXT}${header("system")}{system_prompt}${END_OF_TURN}` +
    turns.join("") +
    `${header("user")}{prompt}${END_OF_TURN}${header("assistant")}`
  );
}

/**
 * The question with `history` (oldest first) written before it as a plain transcript, for models
 * that take only a system prompt and a prompt (no chat template): "User: …" and "Assistant: …"
 * lines, then the new question. Without history the question is sent as it is.
 */
export function transcriptConversationPrompt(
  history: readonly ConversationTurnText[],
  prompt: string,
): string {
  if (history.length === 0) return prompt;
  const turns = history.map((turn) => `User: ${turn.prompt}\n\nAssistant: ${turn.answer}`);
  return `${TRANSCRIPT_INTRO}\n\n${turns.join("\n\n")}\n\nUser: ${prompt}\n\nAssistant:`;
}

/** The line that tells a model without a chat template that what follows is the conversation so far. */
const TRANSCRIPT_INTRO = "The conversation so far, oldest first; answer the last message from User.";

/** Bytes a transcript adds around the question once it has earlier turns (the intro and the last labels). */
const TRANSCRIPT_FIXED_TOKENS = utf8Bytes(`${TRANSCRIPT_INTRO}\n\n\n\nUser: \n\nAssistant:`);
/** Bytes one earlier turn adds to a transcript besides its text. */
const TRANSCRIPT_TURN_OVERHEAD_TOKENS = utf8Bytes("User: \n\nAssistant: \n\n");

/** How a model takes a conversation (the catalog's `conversation`). */
type ConversationFormat = LlamaChatModel["conversation"];

/** A bound on the tokens one earlier turn adds to a request: its text's bytes and its headers or labels. */
export function turnTokenBound(turn: ConversationTurnText, format: ConversationFormat = "llama3"): number {
  const overhead = format === "transcript" ? TRANSCRIPT_TURN_OVERHEAD_TOKENS : LLAMA3_TURN_OVERHEAD_TOKENS;
  return utf8Bytes(turn.prompt) + utf8Bytes(turn.answer) + overhead;
}

/** What {@link fitConversation} fits. */
export interface FitConversationInput<T extends ConversationTurnText> {
  /** Earlier turns, oldest first. */
  history: readonly T[];
  /** The new question. */
  prompt: string;
  /** The system prompt that will be sent; the model's when left out. */
  systemPrompt?: string;
  /** The tenant's cap on the tokens of earlier turns (their bound); none when absent or null. */
  tokenCap?: number | null;
}

/** The earlier turns that fit, oldest first, and how many older ones were left out. */
export interface FitConversationResult<T extends ConversationTurnText> {
  /** The newest turns that fit, in their original order (oldest first). */
  kept: T[];
  /** How many turns, the oldest, were left out. */
  leftOut: number;
  /** A bound on the input tokens of the request with `kept` (prompts, template and turns). */
  inputTokenBound: number;
}

/**
 * Keeps the newest earlier turns that fit, leaving out the oldest first and never reordering.
 * Each turn's bound is its prompt's and answer's UTF-8 bytes plus {@link LLAMA3_TURN_OVERHEAD_TOKENS};
 * the kept turns' bounds together fit both what the context window leaves (the window less
 * `max_tokens`, the template around the question, the system prompt's and the question's bytes) and
 * `tokenCap`. Bytes bound tokens, so a request built from the result never exceeds the window
 * unless the question and system prompt alone already do (then nothing is kept).
 */
export function fitConversation<T extends ConversationTurnText>(
  model: Pick<
    LlamaChatModel,
    "contextWindowTokens" | "maxOutputTokens" | "templateOverheadTokens" | "systemPrompt"
  > &
    Partial<Pick<LlamaChatModel, "conversation">>,
  input: FitConversationInput<T>,
): FitConversationResult<T> {
  const format = model.conversation ?? "llama3";
  const fixed =
    Math.max(model.templateOverheadTokens, LLAMA3_TEMPLATE_TOKENS) +
    (format === "transcript" ? TRANSCRIPT_FIXED_TOKENS : 0) +
    utf8Bytes(input.systemPrompt ?? model.systemPrompt) +
    utf8Bytes(input.prompt);
  const windowRoom = model.contextWindowTokens - model.maxOutputTokens - fixed;
  const cap = input.tokenCap ?? Number.POSITIVE_INFINITY;
  const room = Math.min(windowRoom, cap);

  let used = 0;
  let first = input.history.length;
  while (first > 0) {
    const bound = turnTokenBound(input.history[first - 1] as T, format);
    if (used + bound > room) break;
    used += bound;
    first -= 1;
  }
  return { kept: input.history.slice(first), leftOut: first, inputTokenBound: fixed + used };
}
