import { hexDigest } from "../hash.ts";
import type { InputSchema } from "../input-validation.ts";
import {
  type ModelDefinition,
  ModelError,
  type ModelRunContext,
  type ModelRunResult,
} from "../model-definition.ts";
import {
  answerTokens,
  countInputTokens,
  countTemplateTokens,
  formatPromptTemplate,
  LLAMA3_CONTEXT_WINDOW_TOKENS,
  PromptTemplateError,
} from "./llm-answer.ts";

const defaultTemplate =
  "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n{system_prompt}<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n{prompt}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";

const llamaInput: InputSchema = {
  type: "object",
  title: "Input",
  required: ["prompt"],
  properties: {
    prompt: { type: "string", title: "Prompt", description: "Prompt to send to the model.", "x-order": 0 },
    system_prompt: {
      type: "string",
      title: "System Prompt",
      description: "System prompt to send to the model.",
      default: "You are a helpful assistant",
      "x-order": 1,
    },
    max_tokens: { type: "integer", title: "Max Tokens", minimum: 1, default: 512, "x-order": 2 },
    min_tokens: { type: "integer", title: "Min Tokens", minimum: 0, default: 0, "x-order": 3 },
    temperature: { type: "number", title: "Temperature", minimum: 0, maximum: 5, default: 0.6, "x-order": 4 },
    top_p: { type: "number", title: "Top P", minimum: 0, maximum: 1, default: 0.9, "x-order": 5 },
    top_k: { type: "integer", title: "Top K", minimum: -1, default: 50, "x-order": 6 },
    presence_penalty: { type: "number", title: "Presence Penalty", default: 1.15, "x-order": 7 },
    frequency_penalty: { type: "number", title: "Frequency Penalty", default: 0.2, "x-order": 8 },
    stop_sequences: {
      type: "string",
      title: "Stop Sequences",
      default: "<|end_of_text|>,<|eot_id|>",
      "x-order": 9,
    },
    prompt_template: { type: "string", title: "Prompt Template", default: defaultTemplate, "x-order": 10 },
    seed: {
      type: "integer",
      title: "Seed",
      description: "Random seed. Leave blank to randomize.",
      "x-order": 11,
    },
  },
};

const llamaOutput = {
  type: "array",
  title: "Output",
  items: { type: "string" },
  "x-cog-array-type": "iterator",
  "x-cog-array-display": "concatenate",
};

/** A request's prompt template and the prompt the model reads: the template filled in. */
interface FormattedPrompt {
  template: string;
  formatted: string;
}

/** The prompt the model reads: `prompt_template` (the default one unless given) filled in. */
function formattedPrompt(input: Record<string, unknown>): FormattedPrompt {
  const template = typeof input.prompt_template === "string" ? input.prompt_template : defaultTemplate;
  const formatted = formatPromptTemplate(template, {
    prompt: String(input.prompt),
    system_prompt: String(input.system_prompt ?? ""),
  });
  return { template, formatted };
}

/**
 * Billed input tokens: the whole formatted template when a template of one's own is given (the real
 * model counts every token it reads); with the default template, the prompt and system prompt only,
 * as before conversations existed.
 */
function inputTokenCount(input: Record<string, unknown>, formatted: FormattedPrompt): number {
  return formatted.template === defaultTemplate
    ? countInputTokens(String(input.prompt), String(input.system_prompt ?? ""))
    : countTemplateTokens(formatted.formatted);
}

/**
 * The formatted prompt, checked as the real model checks it: a template that does not format, or a
 * prompt longer than the context window, fails the prediction. The wording of the too-long error is
 * this emulator's own (modelled on inference servers' "prompt length exceeds" errors), not a copy of
 * a captured Replicate response.
 */
function checkedPrompt(input: Record<string, unknown>): FormattedPrompt {
  let formatted: FormattedPrompt;
  try {
    formatted = formattedPrompt(input);
  } catch (error) {
    if (error instanceof PromptTemplateError)
      throw new ModelError(`Invalid prompt_template: ${error.message}`);
    throw error;
  }
  const tokens = countTemplateTokens(formatted.formatted);
  if (tokens > LLAMA3_CONTEXT_WINDOW_TOKENS) {
    throw new ModelError(
      `Prompt is too long: the formatted prompt is ${tokens} tokens, more than the model's context window of ${LLAMA3_CONTEXT_WINDOW_TOKENS} tokens`,
    );
  }
  return formatted;
}

async function runLlama(context: ModelRunContext): Promise<ModelRunResult> {
  const { input, settings } = context;
  const formatted = checkedPrompt(input);
  // The answer comes from the question alone, so "Repeat exactly" prompts work in conversations too.
  const prompt = String(input.prompt);
  const systemPrompt = String(input.system_prompt ?? "");
  const maxTokens = Number(input.max_tokens);
  const tokens = answerTokens({ prompt, systemPrompt, minTokens: Number(input.min_tokens ?? 0) }).slice(
    0,
    maxTokens,
  );
  const intervalMs =
    settings.tokensPerSecond > 0 && Number.isFinite(settings.tokensPerSecond)
      ? 1000 / settings.tokensPerSecond
      : 0;
  const startMs = context.now();
  let firstTokenMs = startMs;
  for (const [index, token] of tokens.entries()) {
    // Sleep only when a whole millisecond behind schedule, so high rates batch tokens instead of crawling.
    const waitMs = startMs + (index + 1) * intervalMs - context.now();
    if (waitMs >= 1) await context.sleep(waitMs);
    context.signal.throwIfAborted();
    context.appendOutput(token);
    if (index === 0) firstTokenMs = context.now();
  }
  const elapsedS = (context.now() - startMs) / 1000;
  return {
    metrics: {
      input_token_count: inputTokenCount(input, formatted),
      output_token_count: tokens.length,
      time_to_first_token: (firstTokenMs - startMs) / 1000,
      tokens_per_second: elapsedS > 0 ? tokens.length / elapsedS : settings.tokensPerSecond,
    },
  };
}

/** Input tokens of a run that ended early; a template that does not format was never read (0). */
function partialInputTokens(input: Record<string, unknown>): number {
  try {
    return inputTokenCount(input, formattedPrompt(input));
  } catch (error) {
    if (error instanceof PromptTemplateError) return 0;
    throw error;
  }
}

/** An official Llama 3 instruct model streaming a deterministic answer at the configured rate. */
export function llamaModel(name: "meta-llama-3-70b-instruct" | "meta-llama-3-8b-instruct"): ModelDefinition {
  return {
    owner: "meta",
    name,
    description: `A ${name.includes("70b") ? "70" : "8"} billion parameter language model from Meta (emulated)`,
    isOfficial: true,
    versionId: `dp-${hexDigest(`meta/${name}`, 32)}`,
    versionCreatedAt: "2024-04-17T21:08:00.000Z",
    input: llamaInput,
    output: llamaOutput,
    streamsText: true,
    run: runLlama,
    partialMetrics: (input, output) => ({
      input_token_count: partialInputTokens(input),
      output_token_count: Array.isArray(output) ? output.length : 0,
    }),
  };
}
