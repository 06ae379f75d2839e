import { describe, expect, it } from "vitest";
import { parseImagineText, parseSettingsText, parseSpendLimitText, parseSpendText } from "./command-text.ts";

describe("Slack command text", () => {
  it("reads /imagine options written after the prompt, in any order", () => {
    expect(parseImagineText("a fox in the snow --ar 16:9 --seed 7")).toEqual({
      ok: true,
      value: { prompt: "a fox in the snow", aspectRatio: "16:9", seed: 7 },
    });
    expect(parseImagineText("a castle --no people, cars --model flux-schnell")).toEqual({
      ok: true,
      value: { prompt: "a castle", negativePrompt: "people, cars", model: "flux-schnell" },
    });
    expect(parseImagineText("an em—dash and a-b-c")).toEqual({
      ok: true,
      value: { prompt: "an em—dash and a-b-c" },
    });
  });

  it("refuses unknown options, missing values and bad seeds with the reason", () => {
    const unknown = parseImagineText("a fox --size big");
    expect(unknown.ok ? "" : unknown.reason).toContain("no option `--size`");
    const empty = parseImagineText("a fox --ar");
    expect(empty.ok ? "" : empty.reason).toBe("The option `--ar` needs a value.");
    const seed = parseImagineText("a fox --seed -3");
    expect(seed.ok ? "" : seed.reason).toContain("whole number");
  });

  it("reads /spend-limit with Slack's escaped mentions", () => {
    expect(parseSpendLimitText("set 20")).toEqual({ ok: true, value: { kind: "set", amount: "20" } });
    expect(parseSpendLimitText(" clear ")).toEqual({ ok: true, value: { kind: "clear" } });
    expect(parseSpendLimitText("user <@U0ALICE|alice> 2.50")).toEqual({
      ok: true,
      value: { kind: "user", userId: "U0ALICE", amount: "2.50" },
    });
    expect(parseSpendLimitText("alerts <#C0ALERTS|spend>")).toEqual({
      ok: true,
      value: { kind: "alerts", channelId: "C0ALERTS" },
    });
    const plain = parseSpendLimitText("user @alice 2");
    expect(plain.ok ? "" : plain.reason).toContain("Mention the member with @");
    const nothing = parseSpendLimitText("");
    expect(nothing.ok ? "" : nothing.reason).toContain("/spend-limit set 20");
  });

  it("reads /spend show and export, and explains anything else", () => {
    expect(parseSpendText("")).toEqual({ ok: true, value: "show" });
    expect(parseSpendText("EXPORT")).toEqual({ ok: true, value: "export" });
    expect(parseSpendText("everything").ok).toBe(false);
  });

  it("reads /replibot settings retention in days, or default, and says why anything else is refused", () => {
    expect(parseSettingsText("settings retention 7")).toEqual({
      ok: true,
      value: { kind: "retention", days: 7 },
    });
    expect(parseSettingsText("settings retention 365 days")).toEqual({
      ok: true,
      value: { kind: "retention", days: 365 },
    });
    expect(parseSettingsText("settings retention default")).toEqual({
      ok: true,
      value: { kind: "retention", days: null },
    });
    const range = "Retention is a whole number of days from 1 to 365.";
    for (const text of ["0", "366", "1.5", "-3", "99999999999999999999"]) {
      const parsed = parseSettingsText(`settings retention ${text}`);
      expect(parsed.ok ? "" : parsed.reason).toContain(range);
    }
    for (const text of ["", "forever", "ten days", "7 weeks"]) {
      const parsed = parseSettingsText(`settings retention ${text}`);
      expect(parsed.ok ? "" : parsed.reason).toMatch(/^Use `\/replibot settings retention 30`/);
    }
  });
});
