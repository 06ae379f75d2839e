import { ImagineInput } from "@replibot/core";
import { type Catalog, loadCatalog } from "@replibot/replicate";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type ImagineText,
  parseImagineText,
  parseSettingsText,
  parseSpendLimitText,
  parseSpendText,
} from "./command-text.ts";
import type { SlackAppDeps } from "./deps.ts";
import { checkImagine } from "./handlers/imagine.ts";

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

/** Words a member might type, the options' own words among them, and anything else at all. */
const word = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom(
    "--ar",
    "--seed",
    "--no",
    "--model",
    "--",
    "—ar",
    "16:9",
    "5:1",
    "7",
    "-3",
    "1e3",
    "4294967296",
    "99999999999999999999999",
    "settings",
    "memory",
    "tokens",
    "system-prompt",
    "clear",
    "set",
    "user",
    "alerts",
    "<@U0ALICE|alice>",
    "<#C0GENERAL|general>",
    "<!everyone>",
    "&lt;&amp;",
    "\n",
    "\t",
    "\u0000",
    "\u202e",
    "\ud800",
  ),
);
/** Any command text: random words, or any string at all. */
const commandText = fc.oneof(
  fc.array(word, { maxLength: 14 }).map((words) => words.join(" ")),
  fc.string({ unit: "binary", maxLength: 300 }),
);
/** Text with no `--` after a space, which would start an option. */
const plainText = (maxLength: number) =>
  fc
    .string({ unit: "grapheme", minLength: 1, maxLength })
    .map((text) => text.replace(/\s--/g, " -").trim())
    .filter((text) => text.length > 0 && !text.startsWith("--"));
const seed = fc.integer({ min: 0, max: 2 ** 32 - 1 });

describe("Slack /imagine text, for any text", () => {
  it("never throws: a reason to show, or options with a trimmed prompt and whole-number seed", () => {
    fc.assert(
      fc.property(commandText, (text) => {
        const parsed = parseImagineText(text);
        if (!parsed.ok) return void expect(parsed.reason.length).toBeGreaterThan(10);
        const { prompt, seed, aspectRatio, negativePrompt, model } = parsed.value;
        expect(prompt).toBe(prompt.trim());
        if (seed !== undefined) expect(Number.isInteger(seed) && seed >= 0).toBe(true);
        for (const option of [aspectRatio, negativePrompt, model])
          if (option !== undefined) expect(option !== "" && option === option.trim()).toBe(true);
      }),
    );
  });

  it("checks to a refusal with a reason, or a request the job schema accepts", () => {
    fc.assert(
      fc.property(commandText, (text) => {
        const checked = checkImagine({ catalog } as SlackAppDeps, text);
        if (!checked.ok) return void expect(checked.reason.length).toBeGreaterThan(10);
        const parsed = parseImagineText(text);
        expect(parsed.ok).toBe(true);
        const input = { ...(parsed.ok ? parsed.value : {}), model: checked.model };
        expect(ImagineInput.safeParse(input).success).toBe(true);
        expect(catalog.commands.imagine.models.map((m) => m.id)).toContain(checked.model);
      }),
    );
  });

  it("gives back the options it was written with, in any order", () => {
    const options = fc.record(
      {
        aspectRatio: fc.constantFrom(...ImagineInput.shape.aspectRatio.unwrap().options),
        seed,
        negativePrompt: plainText(40),
        model: fc.constantFrom("flux-schnell", "sdxl"),
      },
      { requiredKeys: [] },
    );
    const flags: Record<string, string> = {
      aspectRatio: "ar",
      seed: "seed",
      negativePrompt: "no",
      model: "model",
    };
    fc.assert(
      fc.property(plainText(80), options, fc.boolean(), (prompt, chosen, reversed) => {
        const entries = Object.entries(chosen);
        if (reversed) entries.reverse();
        const text = [prompt, ...entries.map(([key, value]) => `--${flags[key]} ${value}`)].join(" ");
        expect(parseImagineText(text)).toEqual({
          ok: true,
          value: { prompt, ...chosen } satisfies ImagineText,
        });
        const checked = checkImagine({ catalog } as SlackAppDeps, text);
        expect(checked.ok ? checked.prompt : checked.reason).toBe(prompt);
      }),
    );
  });
});

describe("Slack /replibot settings text, for any text", () => {
  it("never throws: a reason, or a memory of 0–50 turns and a cap of 100–100,000, a system prompt, or a retention of 1–365 days", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          commandText,
          commandText.map((text) => `settings ${text}`),
          commandText.map((text) => `settings retention ${text}`),
          fc.oneof(fc.integer(), fc.double()).map((days) => `settings retention ${days}`),
        ),
        (text) => {
          const parsed = parseSettingsText(text);
          if (!parsed.ok) return void expect(parsed.reason.length).toBeGreaterThan(10);
          const setting = parsed.value;
          if (setting.kind === "memory") {
            expect(Number.isInteger(setting.turns) && setting.turns >= 0 && setting.turns <= 50).toBe(true);
            const cap = setting.contextTokenCap;
            if (cap !== null) expect(Number.isInteger(cap) && cap >= 100 && cap <= 100_000).toBe(true);
          } else if (setting.kind === "retention") {
            if (setting.days !== null)
              expect(Number.isInteger(setting.days) && setting.days >= 1 && setting.days <= 365).toBe(true);
          } else if (setting.text !== null) {
            expect(setting.text).toBe(setting.text.trim());
            expect(setting.text.length).toBeGreaterThan(0);
            expect(setting.text.length).toBeLessThanOrEqual(4_000);
          }
        },
      ),
    );
  });

  it("gives back the memory and system prompt it was written with", () => {
    const cap = fc.option(fc.integer({ min: 100, max: 100_000 }), { nil: null });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), cap, (turns, contextTokenCap) => {
        const text = `settings memory ${turns}${contextTokenCap === null ? "" : ` tokens ${contextTokenCap}`}`;
        expect(parseSettingsText(text)).toEqual({
          ok: true,
          value: { kind: "memory", turns, contextTokenCap },
        });
      }),
    );
    const instructions = fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 300 })
      .map((text) => text.trim())
      .filter((text) => text !== "" && text.toLowerCase() !== "clear");
    fc.assert(
      fc.property(instructions, (text) => {
        expect(parseSettingsText(`settings system-prompt ${text}`)).toEqual({
          ok: true,
          value: { kind: "system-prompt", text },
        });
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 365 }),
        fc.constantFrom("", " days", "d", " DAY"),
        (days, unit) => {
          expect(parseSettingsText(`settings retention ${days}${unit}`)).toEqual({
            ok: true,
            value: { kind: "retention", days },
          });
        },
      ),
    );
    expect(parseSettingsText("settings retention Default")).toEqual({
      ok: true,
      value: { kind: "retention", days: null },
    });
  });
});

describe("Slack /spend and /spend-limit text, for any text", () => {
  it("never throws: a reason with the usage, or one of the four requests", () => {
    fc.assert(
      fc.property(commandText, (text) => {
        const limit = parseSpendLimitText(text);
        if (!limit.ok) expect(limit.reason).toContain("/spend-limit set 20");
        else if (limit.value.kind === "user") expect(limit.value.userId).toMatch(/^[UW][A-Z0-9]+$/);
        else if (limit.value.kind === "alerts") expect(limit.value.channelId).toMatch(/^[CG][A-Z0-9]+$/);
        const spend = parseSpendText(text);
        expect(spend.ok ? ["show", "export"] : [spend.reason]).toContain(
          spend.ok ? spend.value : spend.reason,
        );
      }),
    );
  });

  it("gives back the member, channel and amount it was written with", () => {
    const id = fc.string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), minLength: 1 });
    const label = fc.string({ unit: "grapheme-ascii", maxLength: 12 }).map((l) => l.replace(/[\s>|]/g, ""));
    const amount = fc.stringMatching(/^\$?\d{1,6}(\.\d{1,9})?$/);
    fc.assert(
      fc.property(id, label, amount, (userId, name, usd) => {
        const mention = name ? `<@U${userId}|${name}>` : `<@U${userId}>`;
        expect(parseSpendLimitText(`user ${mention} ${usd}`)).toEqual({
          ok: true,
          value: { kind: "user", userId: `U${userId}`, amount: usd },
        });
        expect(parseSpendLimitText(`alerts <#C${userId}|${name}>`)).toEqual({
          ok: true,
          value: { kind: "alerts", channelId: `C${userId}` },
        });
        expect(parseSpendLimitText(` set ${usd} `)).toEqual({
          ok: true,
          value: { kind: "set", amount: usd },
        });
      }),
    );
  });
});
