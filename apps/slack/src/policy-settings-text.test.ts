import { type BlockRule, blockEntryText, parseBlockEntry } from "@replibot/core";
import { type Catalog, loadCatalog } from "@replibot/replicate";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parsePolicySettings } from "./policy-settings-text.ts";

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

const word = fc.oneof(
  fc.string({ unit: "binary", maxLength: 10 }),
  fc.constantFrom(
    "show",
    "blocklist",
    "channels",
    "models",
    "groups",
    "image-safety",
    "add",
    "remove",
    "list",
    "reset",
    "everywhere",
    "everyone",
    "all",
    "ask",
    "imagine",
    "transcribe",
    "llama-3-8b,sdxl",
    "/(a+)+$/",
    "/[/",
    "<#C0GENERAL|general>",
    "<!subteam^S0ENG|@eng>",
    "C0GENERAL",
    "&lt;b&gt;",
    "\n",
    "\u0000",
    "\ud800",
  ),
);
const settingsText = fc.oneof(
  fc.array(word, { maxLength: 8 }).map((words) => `settings ${words.join(" ")}`),
  fc.string({ unit: "binary", maxLength: 200 }),
);
const slackId = (first: string) =>
  fc
    .string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), minLength: 2, maxLength: 11 })
    .map((rest) => `${first}${rest}`);
/** What Slack does to `&`, `<` and `>` in a command's text. */
const asSlackSends = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

describe("Slack /replibot settings policy text, for any text", () => {
  it("never throws: not a policy setting, a reason, or an edit naming real ids and catalog models", () => {
    fc.assert(
      fc.property(settingsText, (text) => {
        const parsed = parsePolicySettings(text, catalog);
        if (parsed === undefined) return;
        if (!parsed.ok) return void expect(parsed.reason.length).toBeGreaterThan(10);
        const edit = parsed.value;
        if (edit === "show" || edit === "list") return;
        switch (edit.setting) {
          case "channels":
            if (edit.action !== "everywhere") expect(edit.channelId).toMatch(/^[CG][A-Z0-9]+$/);
            break;
          case "roles":
            if (edit.action !== "everyone") expect(edit.groupId).toMatch(/^S[A-Z0-9]+$/);
            break;
          case "models": {
            const ids = catalog.commands[edit.command].models.map((m) => m.id);
            for (const model of edit.models ?? []) expect(ids).toContain(model);
            break;
          }
          case "blocklist":
            if (edit.action !== "reset") {
              expect(edit.rule.value.trim()).not.toBe("");
              expect(edit.rule.value.length).toBeLessThanOrEqual(200);
            }
            break;
          default:
            throw new Error(`Slack cannot set ${edit.setting}`);
        }
      }),
    );
  });

  it("gives back the channel, user group and models it was written with", () => {
    const label = fc.string({ unit: "grapheme-ascii", maxLength: 10 }).map((l) => l.replace(/[\s>|]/g, ""));
    const models = fc.subarray(["llama-3-70b", "llama-3-8b"], { minLength: 1 });
    fc.assert(
      fc.property(slackId("C"), slackId("S"), label, models, (channelId, groupId, name, chosen) => {
        expect(parsePolicySettings(`settings channels add <#${channelId}|${name}>`, catalog)).toEqual({
          ok: true,
          value: { setting: "channels", action: "add", channelId },
        });
        expect(
          parsePolicySettings(`settings groups imagine remove <!subteam^${groupId}|@${name}>`, catalog),
        ).toEqual({ ok: true, value: { setting: "roles", command: "imagine", action: "remove", groupId } });
        expect(parsePolicySettings(`settings models ask ${chosen.join(", ")}`, catalog)).toEqual({
          ok: true,
          value: { setting: "models", command: "ask", models: chosen },
        });
      }),
    );
  });

  it("gives back any blocklist entry an admin types, `&`, `<` and `>` included", () => {
    const entry = fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(entry, fc.constantFrom("add", "remove"), (typed, action) => {
        const expected = parseBlockEntry(typed);
        fc.pre(expected.ok);
        const { rule } = expected as { rule: BlockRule };
        const parsed = parsePolicySettings(`settings blocklist ${action} ${asSlackSends(typed)}`, catalog);
        expect(parsed).toEqual({ ok: true, value: { setting: "blocklist", action, rule } });
        // What the bot shows back is what parses to the same entry again.
        expect(parseBlockEntry(blockEntryText(rule))).toEqual({ ok: true, rule });
      }),
    );
  });
});
