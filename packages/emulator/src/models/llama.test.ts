import Replicate from "replicate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator, REPEAT_PREFIX } from "../index.ts";
import { countTemplateTokens, formatPromptTemplate } from "./llm-answer.ts";

let emulator: Emulator;
let replicate: Replicate;

beforeAll(async () => {
  emulator = await createEmulator({ tokensPerSecond: 0 });
  replicate = new Replicate({ auth: "r8_test", baseUrl: emulator.baseUrl, useFileOutput: false });
});
afterAll(() => emulator.close());

const conversationTemplate =
  "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n{system_prompt}<|eot_id|>" +
  "<|start_header_id|>user<|end_header_id|>\n\nWhat is {{x}}?<|eot_id|>" +
  "<|start_header_id|>assistant<|end_header_id|>\n\nA set: {{1, 2}}.<|eot_id|>" +
  "<|start_header_id|>user<|end_header_id|>\n\n{prompt}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";

async function predict(input: Record<string, unknown>) {
  return replicate.predictions.create({ model: "meta/meta-llama-3-8b-instruct", input, wait: 10 });
}

describe("Llama 3 prompt templates", () => {
  it("counts the whole formatted template as input, and answers from the prompt alone", async () => {
    const input = { prompt: `${REPEAT_PREFIX}fine`, system_prompt: "Be brief.", max_tokens: 64 };
    const plain = await predict(input);
    const withTurns = await predict({ ...input, prompt_template: conversationTemplate });
    expect(withTurns.status).toBe("succeeded");
    expect(withTurns.output).toEqual(plain.output);
    expect((withTurns.output as string[]).join("")).toBe("fine");

    const formatted = formatPromptTemplate(conversationTemplate, {
      prompt: input.prompt,
      system_prompt: input.system_prompt,
    });
    expect(formatted).toContain("What is {x}?");
    const metrics = withTurns.metrics as Record<string, number>;
    expect(metrics.input_token_count).toBe(countTemplateTokens(formatted));
    expect(metrics.input_token_count).toBeGreaterThan(
      (plain.metrics as Record<string, number>).input_token_count ?? 0,
    );
  });

  it("counts the formatted template in the metrics of a canceled run too", async () => {
    const slow = await createEmulator({ tokensPerSecond: 5 });
    try {
      const client = new Replicate({ auth: "r8_test", baseUrl: slow.baseUrl, useFileOutput: false });
      const input = {
        prompt: "Tell me more",
        system_prompt: "Be brief.",
        prompt_template: conversationTemplate,
      };
      const started = await client.predictions.create({ model: "meta/meta-llama-3-8b-instruct", input });
      await client.predictions.cancel(started.id);
      const canceled = await client.wait(await client.predictions.get(started.id), { interval: 10 });
      expect(canceled.status).toBe("canceled");
      const formatted = formatPromptTemplate(conversationTemplate, {
        prompt: input.prompt,
        system_prompt: input.system_prompt,
      });
      expect((canceled.metrics as Record<string, number>).input_token_count).toBe(
        countTemplateTokens(formatted),
      );
    } finally {
      await slow.close();
    }
  });

  it("fails a prompt longer than the 8192-token context window, as the real model does", async () => {
    const turn = "<|start_header_id|>user<|end_header_id|>\n\nwords ".padEnd(1000, "w ");
    const tooLong = conversationTemplate.replace("{prompt}", `${turn.repeat(20)}{prompt}`);
    const failed = await predict({ prompt: "hi", prompt_template: tooLong });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(
      /^Prompt is too long: the formatted prompt is \d+ tokens, more than the model's context window of 8192 tokens$/,
    );
    expect(failed.output ?? []).toEqual([]);

    const longPrompt = await predict({ prompt: "word ".repeat(8200) });
    expect(longPrompt.status).toBe("failed");
    expect(longPrompt.error).toContain("Prompt is too long");

    const fits = await predict({ prompt: "word ".repeat(8000), max_tokens: 8 });
    expect(fits.status).toBe("succeeded");
  });

  it("fails a template that does not format, with Python's reason", async () => {
    const failed = await predict({ prompt: "hi", prompt_template: "{prompt} costs {price}" });
    expect(failed).toMatchObject({ status: "failed", error: "Invalid prompt_template: KeyError: 'price'" });
    const lone = await predict({ prompt: "hi", prompt_template: "a } {prompt}" });
    expect(lone.error).toBe("Invalid prompt_template: Single '}' encountered in format string");
  });
});
