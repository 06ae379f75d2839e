import { AskInput, ImagineInput, retentionDaysProblem } from "@replibot/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ASK_PROMPT_MAX, commandTree } from "./commands.ts";

type OptionJson = {
  name: string;
  type: number;
  required?: boolean;
  max_length?: number;
  min_value?: number;
  max_value?: number;
  choices?: { value: string | number }[];
};

const models = {
  ask: [{ id: "llama-3-70b", label: "Llama 3 70B" }],
  imagine: [
    { id: "flux-schnell", label: "FLUX.1 schnell" },
    { id: "sdxl", label: "SDXL" },
  ],
};
const optionsOf = (name: string) => {
  const command = commandTree(models).find((c) => c.name === name) as { options: OptionJson[] };
  return Object.fromEntries(command.options.map((o) => [o.name, o]));
};

/** A value Discord's client lets a member send for one registered option. */
function allowedValue(option: OptionJson): fc.Arbitrary<string | number> {
  if (option.choices) return fc.constantFrom(...option.choices.map((c) => c.value));
  if (option.type === 4) return fc.integer({ min: option.min_value, max: option.max_value });
  // Anything the member can type, markdown, mentions, control characters and lone surrogates included,
  // up to the registered length in UTF-16 units (how the schema counts).
  const max = option.max_length ?? 6_000;
  return fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: max, size: "max" }).map((text) => text.slice(0, max)),
    fc.constantFrom("@everyone", "<@&123456789012345678>", "**bold** `code`", "\u0000\u0007", "\ud800"),
  );
}

describe("the registered /imagine and /ask options", () => {
  it("let through no value the job schema refuses, once the prompt has words", () => {
    const imagine = optionsOf("imagine");
    const values = fc.record(
      {
        prompt: allowedValue(imagine.prompt!),
        aspect_ratio: allowedValue(imagine.aspect_ratio!),
        negative_prompt: allowedValue(imagine.negative_prompt!),
        seed: allowedValue(imagine.seed!),
      },
      { requiredKeys: ["prompt"] },
    );
    fc.assert(
      fc.property(values, (given) => {
        const prompt = String(given.prompt).trim();
        // The handler answers an empty prompt itself, before the schema.
        fc.pre(prompt !== "");
        const input = ImagineInput.safeParse({
          prompt,
          aspectRatio: given.aspect_ratio,
          negativePrompt:
            given.negative_prompt === undefined
              ? undefined
              : String(given.negative_prompt).trim() || undefined,
          seed: given.seed,
          model: "flux-schnell",
        });
        expect(input.error?.issues ?? []).toEqual([]);
      }),
    );
  });

  it("match the schema's bounds: Discord refuses what the schema would", () => {
    const imagine = optionsOf("imagine");
    expect(imagine.prompt).toMatchObject({ required: true, max_length: 2_000 });
    expect(ImagineInput.safeParse({ prompt: "x".repeat(2_001) }).success).toBe(false);
    expect(imagine.seed).toMatchObject({ min_value: 0, max_value: 2 ** 32 - 1 });
    for (const seed of [-1, 2 ** 32, 0.5])
      expect(ImagineInput.safeParse({ prompt: "x", seed }).success).toBe(false);
    expect(imagine.aspect_ratio!.choices!.map((c) => c.value)).toEqual(
      ImagineInput.shape.aspectRatio.unwrap().options,
    );
    const ask = optionsOf("ask");
    expect(ask.prompt).toMatchObject({ required: true, max_length: ASK_PROMPT_MAX });
    expect(AskInput.safeParse({ prompt: "x".repeat(ASK_PROMPT_MAX) }).success).toBe(true);
  });
});

describe("/replibot-settings retention", () => {
  it("offers exactly the days a tenant's retention may be, and may be left empty for the default", () => {
    const settings = commandTree(models).find((c) => c.name === "replibot-settings") as {
      options: (OptionJson & { options?: OptionJson[] })[];
    };
    const retention = settings.options.find((o) => o.name === "retention");
    expect(retention?.options).toEqual([
      expect.objectContaining({ name: "days", type: 4, min_value: 1, max_value: 365 }),
    ]);
    expect(retention?.options?.[0]?.required).toBeFalsy();
    for (const days of [1, 30, 365]) expect(retentionDaysProblem(days)).toBeUndefined();
    for (const days of [0, 366, 1.5]) expect(retentionDaysProblem(days)).toBeDefined();
  });
});
