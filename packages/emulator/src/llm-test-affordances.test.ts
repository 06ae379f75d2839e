import Replicate from "replicate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator, REPEAT_PREFIX } from "./index.ts";

let emulator: Emulator;
let replicate: Replicate;

beforeAll(async () => {
  emulator = await createEmulator({ tokensPerSecond: 40 });
  replicate = new Replicate({ auth: "r8_test", baseUrl: emulator.baseUrl, useFileOutput: false });
});
afterAll(() => emulator.close());

describe("test affordances of the language models", () => {
  it("answers a 'Repeat exactly' prompt with the rest of the prompt, within max_tokens", async () => {
    const text = "```ts\nconst a = 1;\n```\nDone.";
    const output = (await replicate.run("meta/meta-llama-3-8b-instruct", {
      input: { prompt: `${REPEAT_PREFIX}${text}`, max_tokens: 512 },
    })) as string[];
    expect(output.join("")).toBe(text);
    const capped = (await replicate.run("meta/meta-llama-3-8b-instruct", {
      input: { prompt: `${REPEAT_PREFIX}one two three four five`, max_tokens: 2 },
    })) as string[];
    expect(capped.join("")).toBe("one two");
    const thrice = (await replicate.run("meta/meta-llama-3-8b-instruct", {
      input: { prompt: "Repeat exactly 3 times:\nab\n", max_tokens: 512 },
    })) as string[];
    expect(thrice.join("")).toBe("ab\nab\nab\n");
  });

  it("cuts open streams without done, as a dropped connection would", async () => {
    const prediction = await replicate.predictions.create({
      model: "meta/meta-llama-3-8b-instruct",
      input: { prompt: `${REPEAT_PREFIX}${"word ".repeat(200)}`, max_tokens: 512 },
      stream: true,
    });
    const response = await fetch(prediction.urls!.stream!, { headers: { Accept: "text/event-stream" } });
    const reader = response.body!.getReader();
    await reader.read();
    expect(emulator.control.cutStreams()).toBe(1);
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).not.toContain("event: done");
    await replicate.predictions.cancel(prediction.id);
  });
});
