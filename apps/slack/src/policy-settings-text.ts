import { type GroupCommand, type ModelCommand, type PolicyEdit, parseBlockEntry } from "@replibot/core";
import type { Catalog } from "@replibot/replicate";

/** What `/replibot settings <policy setting>` asks for, or why it cannot be done. */
export type PolicyRequestText =
  | { ok: true; value: PolicyEdit | "show" | "list" }
  | { ok: false; reason: string };

/** How to use the policy settings, shown when the text is not right. */
export const POLICY_USAGE = [
  "`/replibot settings show`",
  "`/replibot settings blocklist add <word>` (or `/regex/`), `remove <entry>`, `list`, `reset`",
  "`/replibot settings channels add #channel`, `remove #channel`, `everywhere`",
  "`/replibot settings models ask|imagine <model,model>` or `all`",
  "`/replibot settings groups ask|imagine|transcribe add @group`, `remove @group`, `everyone`",
].join("\n");

const usage = { ok: false as const, reason: `Use one of:\n${POLICY_USAGE}` };

/** A channel as Slack sends it in a command's text (`<#C123|general>`), or a bare id. */
function channelIdOf(text: string): string | undefined {
  return /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(text)?.[1] ?? /^([CG][A-Z0-9]{2,})$/.exec(text)?.[1];
}

/** A user group as Slack sends it (`<!subteam^S123|@eng>`), or a bare id. */
function groupIdOf(text: string): string | undefined {
  return /^<!subteam\^(S[A-Z0-9]+)(?:\|[^>]*)?>$/.exec(text)?.[1] ?? /^(S[A-Z0-9]{2,})$/.exec(text)?.[1];
}

/** Slack sends `&`, `<` and `>` in command text as entities; an admin's blocklist entry means the characters. */
const fromSlackEntities = (text: string) =>
  text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");

/**
 * Parses the policy part of `/replibot settings …` (show, blocklist, channels, models, groups,
 * image-safety); undefined when the setting is not one of these.
 */
export function parsePolicySettings(text: string, catalog: Catalog): PolicyRequestText | undefined {
  const match = /^\s*settings\s+(\S+)\s*([\s\S]*)$/i.exec(text);
  if (!match) return undefined;
  const setting = (match[1] ?? "").toLowerCase();
  const words = (match[2] ?? "").trim().split(/\s+/).filter(Boolean);
  const [first = "", second = "", ...rest] = words.map((word, index) =>
    index < 2 ? word.toLowerCase() : word,
  );
  switch (setting) {
    case "show":
      return { ok: true, value: "show" };
    case "image-safety":
      return {
        ok: false,
        reason:
          "Slack has no age-restricted channels, so image models always run with their safety checker here.",
      };
    case "blocklist": {
      if (first === "list") return { ok: true, value: "list" };
      if (first === "reset") return { ok: true, value: { setting: "blocklist", action: "reset" } };
      if (first !== "add" && first !== "remove") return usage;
      const entry = fromSlackEntities((match[2] ?? "").trim().slice(first.length).trim());
      const parsed = parseBlockEntry(entry);
      return parsed.ok
        ? { ok: true, value: { setting: "blocklist", action: first, rule: parsed.rule } }
        : parsed;
    }
    case "channels": {
      if (first === "everywhere") return { ok: true, value: { setting: "channels", action: "everywhere" } };
      const channelId = channelIdOf((match[2] ?? "").trim().split(/\s+/)[1] ?? "");
      if ((first !== "add" && first !== "remove") || !channelId) return usage;
      return { ok: true, value: { setting: "channels", action: first, channelId } };
    }
    case "models": {
      if (first !== "ask" && first !== "imagine") return usage;
      const command: ModelCommand = first;
      const list = [second, ...rest]
        .join(",")
        .split(/[\s,]+/)
        .filter(Boolean);
      if (list.length === 0) return usage;
      if (list.length === 1 && list[0]?.toLowerCase() === "all")
        return { ok: true, value: { setting: "models", command, models: null } };
      const choices = catalog.commands[command].models.map((model) => model.id);
      const unknown = list.filter((model) => !choices.includes(model));
      if (unknown.length > 0) {
        return {
          ok: false,
          reason: `No such model for /${command}: ${unknown.map((m) => `\`${m}\``).join(", ")}. Choose from ${choices.map((c) => `\`${c}\``).join(", ")}, or \`all\`.`,
        };
      }
      return { ok: true, value: { setting: "models", command, models: list } };
    }
    case "groups": {
      if (first !== "ask" && first !== "imagine" && first !== "transcribe") return usage;
      const command: GroupCommand = first;
      if (second === "everyone")
        return { ok: true, value: { setting: "roles", command, action: "everyone" } };
      const groupId = groupIdOf((match[2] ?? "").trim().split(/\s+/)[2] ?? "");
      if ((second !== "add" && second !== "remove") || !groupId) return usage;
      return { ok: true, value: { setting: "roles", command, action: second, groupId } };
    }
    default:
      return undefined;
  }
}
